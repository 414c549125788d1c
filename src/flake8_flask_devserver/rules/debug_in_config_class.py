'''FDS204 debug-in-config-class: `DEBUG = True` in a configuration class not marked for development.

## What it does
Flags `DEBUG = True` (or `1`, or a module constant bound to `True`) in the body of a configuration class
(a class whose name contains `Config`, or that derives from one in the same module)
whose name does not mark it for development or testing: `Config`, `BaseConfig`,
`ProductionConfig` are flagged; `DevelopmentConfig`, `DevConfig`, `LocalConfig`,
`TestingConfig`, `TestConfig` are not.

Only where there is evidence that the class configures a Flask-family app: a loader
of the project passes it to `app.config.from_object` (the class, its dotted name,
its module, or an entry of a mapping of classes, `config = {"production":
ProductionConfig}` then `from_object(config[name])`; a factory's parameter default
`create_app(config_class=Config)` and an environment lookup's default count too), or
its module imports a Flask-family package, or some module of its project does. A
project that uses no Flask-family framework (a Sanic or FastAPI service's config
classes) gets no FDS204, nor does a module that imports another web framework.

## Why is this bad?
`app.config.from_object(Config)` copies `DEBUG` into the app. A base class or the
production class with `DEBUG = True` turns debug mode on in every environment that
inherits it, and with it Werkzeug's debugger wherever the development server runs.

## Example
```python
class Config:
    DEBUG = True

class ProductionConfig(Config):
    DATABASE_URI = "postgresql://db/prod"
```

## Use instead
```python
class Config:
    DEBUG = False

class DevelopmentConfig(Config):
    DEBUG = True
```

## Fix safety
No automatic fix.

## Options
`dev-config-classes`: the words (or glob patterns) that mark a class name as
development or testing. Default: `Dev`, `Development`, `Local`, `Test`, `Testing`.

## References
- https://flask.palletsprojects.com/en/stable/config/#development-production
'''

from __future__ import annotations

from typing import Iterator

import libcst as cst

from ..analysis import Analysis, Truth
from ..apps import evaluated
from ._base import Report

CODE = "FDS204"
NAME = "debug-in-config-class"
SUMMARY = "DEBUG = True in a configuration class not marked for development"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only


def check(analysis: Analysis) -> Iterator[Report]:
    for site, node in analysis.config_classes:
        name = node.name.value
        if analysis.is_dev_config_name(name):
            continue
        for target, value in analysis.class_body_assignments(node, "DEBUG"):
            # Only boolean spellings: ``DEBUG = 10`` in a logging config is a log level.
            boolean = isinstance(value, cst.Name) or (isinstance(value, cst.Integer) and evaluated(value) == 1)
            if boolean and analysis.class_truth(node, value, site) is Truth.TRUE:
                yield Report(
                    target,
                    f"DEBUG = True in configuration class '{name}', which is not marked for development; "
                    f"set DEBUG = False here and True only in a DevelopmentConfig",
                )
