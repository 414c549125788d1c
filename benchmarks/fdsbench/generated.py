"""The generated Flask corpus, part two: services, CLI, tasks, launchers, migrations, tests; :func:`generate`."""

from __future__ import annotations

import random
from pathlib import Path

from .generated_package import (
    ENTITIES,
    FIELDS,
    WORDS,
    _blueprint_init,
    _cap,
    _config,
    _d,
    _extensions,
    _factory,
    _forms,
    _models,
    _Project,
    _views,
)

def _utils(p: _Project) -> str:
    return _d(
        '''
        """Small helpers shared by the views (no Flask here)."""
        import hashlib
        import re
        import unicodedata
        from datetime import datetime, timezone

        _SLUG = re.compile(r"[^a-z0-9]+")


        def slugify(text, max_length=80):
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
            return _SLUG.sub("-", text.lower()).strip("-")[:max_length]


        def can_view(user, item):
            if getattr(user, "is_admin", False):
                return True
            owner = getattr(item, "user_id", None)
            return owner is None or owner == getattr(user, "id", None)


        def validate_payload(payload, required=()):
            errors = {}
            for key in required:
                if not payload.get(key):
                    errors[key] = "required"
            return errors


        def search_ids(term, kind, limit=100):
            digest = hashlib.sha1(f"{kind}:{term}".encode()).hexdigest()
            return [int(digest[i:i + 4], 16) % 1000 for i in range(0, min(len(digest), limit), 4)]


        def utcnow():
            return datetime.now(timezone.utc)


        def humanize_delta(moment, now=None):
            now = now or utcnow()
            seconds = int((now - moment).total_seconds())
            for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
                if seconds >= size:
                    count = seconds // size
                    return f"{count} {unit}{'s' if count != 1 else ''} ago"
            return "just now"


        def chunked(items, size):
            for start in range(0, len(items), size):
                yield items[start:start + size]
        '''
    )


def _service(p: _Project, entity: str) -> str:
    cls = _cap(entity)
    return _d(
        f'''
        """Business logic for {entity}s, kept out of the views."""
        import csv
        import io
        import logging
        import subprocess

        from ..extensions import db
        from ..models import {cls}

        log = logging.getLogger(__name__)


        class {cls}Service:
            def __init__(self, session=None):
                self.session = session or db.session

            def create(self, **fields):
                item = {cls}(**fields)
                self.session.add(item)
                self.session.commit()
                log.debug("created {entity} %s", item.id)
                return item

            def bulk_import(self, text):
                reader = csv.DictReader(io.StringIO(text))
                created = 0
                for row in reader:
                    self.session.add({cls}(**{{k: v for k, v in row.items() if v}}))
                    created += 1
                self.session.commit()
                return created

            def export(self):
                out = io.StringIO()
                writer = csv.writer(out)
                for item in {cls}.query.all():
                    writer.writerow(item.to_dict().values())
                return out.getvalue()

            def archive(self, path):
                result = subprocess.run(["tar", "czf", path, "data/{entity}s"], capture_output=True, check=False)
                if result.returncode:
                    log.warning("archive failed: %s", result.stderr)
                return result.returncode == 0
        '''
    )


def _schemas(p: _Project) -> str:
    parts = [
        '"""Serialisation schemas for the JSON API."""\n'
        "from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate\n\n"
        "from .models import " + ", ".join(sorted({_cap(e) for e in p.entities})) + "\n"
    ]
    for entity in p.entities:
        cls = _cap(entity)
        chosen = p.rng.sample(FIELDS, p.rng.randint(4, 8))
        lines = []
        for name, spec in chosen:
            kind = "Str"
            if "Integer" in spec:
                kind = "Int"
            elif "Boolean" in spec:
                kind = "Bool"
            elif "DateTime" in spec:
                kind = "DateTime"
            elif "Numeric" in spec:
                kind = "Decimal"
            extra = ", validate=validate.Length(max=200)" if kind == "Str" else ""
            lines.append(f"    {name} = fields.{kind}({'required=True' if 'nullable=False' in spec else 'allow_none=True'}{extra})")
        body = "\n".join(lines)
        parts.append(
            f"\n\nclass {cls}Schema(Schema):\n"
            f"    id = fields.Int(dump_only=True)\n{body}\n\n"
            f"    class Meta:\n        ordered = True\n\n"
            f"    @pre_load\n    def strip_strings(self, data, **kwargs):\n"
            f"        return {{key: value.strip() if isinstance(value, str) else value for key, value in data.items()}}\n\n"
            f"    @post_load\n    def make_object(self, data, **kwargs):\n"
            f"        if not data:\n            raise ValidationError(\"empty payload\")\n"
            f"        return {cls}(**data)\n\n\n"
            f"{entity}_schema = {cls}Schema()\n{entity}s_schema = {cls}Schema(many=True)\n"
        )
    return "".join(parts)


def _cli(p: _Project) -> str:
    return _d(
        f'''
        """Command line helpers registered on the app (flask <command>)."""
        import os
        import subprocess

        import click
        from flask.cli import with_appcontext

        from .extensions import db


        @click.command("init-db")
        @with_appcontext
        def init_db():
            """Create all tables."""
            db.create_all()
            click.echo("Initialised the database.")


        @click.command("lint")
        @click.option("--fix", is_flag=True, help="Fix imports and formatting.")
        def lint(fix):
            """Lint the code base."""
            files = [name for name in os.listdir(".") if name.endswith(".py")]
            subprocess.run(["flake8", *files], check=False)
            if fix:
                subprocess.run(["isort", "."], check=False)


        @click.command("clean")
        def clean():
            """Remove *.pyc files."""
            for dirpath, _, filenames in os.walk("."):
                for filename in filenames:
                    if filename.endswith(".pyc"):
                        os.remove(os.path.join(dirpath, filename))


        def register(app):
            for command in (init_db, lint, clean):
                app.cli.add_command(command)
        '''
    )


def _tasks(p: _Project) -> str:
    return _d(
        f'''
        """Celery tasks."""
        import logging

        from celery import Celery, shared_task

        log = logging.getLogger(__name__)
        celery = Celery(__name__, broker="redis://localhost:6379/0")


        def init_celery(app):
            celery.conf.update(app.config)

            class ContextTask(celery.Task):
                def __call__(self, *args, **kwargs):
                    with app.app_context():
                        return self.run(*args, **kwargs)

            celery.Task = ContextTask
            return celery


        @shared_task(bind=True, max_retries=3)
        def send_digest(self, user_id):
            try:
                log.info("sending digest to %s", user_id)
            except Exception as exc:  # noqa: BLE001
                raise self.retry(exc=exc, countdown=60)
        '''
    )


# --------------------------------------------------------------------------- project files


def _run_py(p: _Project, variant: str) -> str:
    head = f'"""Development launcher."""\nimport os\n\nfrom {p.name} import create_app\n\napp = create_app(os.environ.get("APP_CONFIG", "development"))\n'
    if variant == "debug":
        return head + '\nif __name__ == "__main__":\n    app.run(debug=True)\n'
    if variant == "host":
        return head + '\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))\n'
    if variant == "env":
        return head + '\nif __name__ == "__main__":\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n'
    return head + '\nif __name__ == "__main__":\n    app.run()\n'


def _wsgi_py(p: _Project) -> str:
    return f'"""WSGI entry point for gunicorn: gunicorn \'wsgi:app\'."""\nfrom {p.name} import create_app\n\napp = create_app("production")\n'


def _manage_py(p: _Project, variant: str) -> str:
    body = _d(
        f'''
        """Management script."""
        import sys

        import click

        from {p.name} import create_app
        from {p.name}.extensions import db

        app = create_app()


        @click.group()
        def cli():
            pass


        @cli.command()
        def shell():
            import code

            with app.app_context():
                code.interact(local={{"app": app, "db": db}})


        @cli.command()
        @click.option("--port", default=5000)
        def serve(port):
        '''
    )
    if variant == "host":
        body += '    app.run(host="0.0.0.0", port=port)\n'
    else:
        body += '    from waitress import serve as waitress_serve\n\n    waitress_serve(app, port=port)\n'
    return body + '\n\nif __name__ == "__main__":\n    sys.exit(cli())\n'


def _setup_py(p: _Project) -> str:
    return _d(
        f'''
        from setuptools import find_packages, setup

        setup(
            name="{p.name}",
            version="0.{p.rng.randint(1, 9)}.0",
            packages=find_packages({'"src"' if p.src_layout else ''}),
            {'package_dir={"": "src"},' if p.src_layout else ''}
            include_package_data=True,
            install_requires=["flask>=2.3", "flask-sqlalchemy", "flask-login", "flask-wtf", "flask-migrate"],
        )
        '''
    )


def _docs_conf(p: _Project) -> str:
    return _d(
        f'''
        # Sphinx configuration.
        import os
        import sys

        sys.path.insert(0, os.path.abspath(".."))

        project = "{p.name}"
        author = "{p.name} developers"
        release = "0.1"
        extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode", "sphinx.ext.napoleon"]
        templates_path = ["_templates"]
        exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
        html_theme = "alabaster"
        html_static_path = ["_static"]
        '''
    )


def _migration_env(p: _Project) -> str:
    return _d(
        '''
        import logging
        from logging.config import fileConfig

        from alembic import context
        from flask import current_app

        config = context.config
        fileConfig(config.config_file_name)
        logger = logging.getLogger("alembic.env")


        def get_engine():
            return current_app.extensions["migrate"].db.engine


        config.set_main_option("sqlalchemy.url", str(get_engine().url).replace("%", "%%"))
        target_db = current_app.extensions["migrate"].db


        def run_migrations_offline():
            url = config.get_main_option("sqlalchemy.url")
            context.configure(url=url, target_metadata=target_db.metadata, literal_binds=True)
            with context.begin_transaction():
                context.run_migrations()


        def run_migrations_online():
            def process_revision_directives(context, revision, directives):
                if getattr(config.cmd_opts, "autogenerate", False):
                    script = directives[0]
                    if script.upgrade_ops.is_empty():
                        directives[:] = []
                        logger.info("No changes in schema detected.")

            connectable = get_engine()
            with connectable.connect() as connection:
                context.configure(
                    connection=connection,
                    target_metadata=target_db.metadata,
                    process_revision_directives=process_revision_directives,
                )
                with context.begin_transaction():
                    context.run_migrations()


        if context.is_offline_mode():
            run_migrations_offline()
        else:
            run_migrations_online()
        '''
    )


def _migration(p: _Project, index: int, entity: str) -> str:
    rng = p.rng
    revision = f"{rng.getrandbits(48):012x}"
    columns = ",\n".join(
        f"        sa.Column(\"{name}\", sa.{spec.split(',')[0].split('(')[0].replace('db.', '')}(), nullable=True)"
        for name, spec in rng.sample(FIELDS, 5)
    )
    return _d(
        f'''
        """add {entity} table

        Revision ID: {revision}
        """
        import sqlalchemy as sa
        from alembic import op

        revision = "{revision}"
        down_revision = None
        branch_labels = None
        depends_on = None


        def upgrade():
            op.create_table(
                "{entity}_{index}",
                sa.Column("id", sa.Integer(), nullable=False),
        '''
    ) + columns + _d(
        f'''
        ,
                sa.PrimaryKeyConstraint("id"),
            )
            op.create_index(op.f("ix_{entity}_{index}_id"), "{entity}_{index}", ["id"], unique=False)


        def downgrade():
            op.drop_index(op.f("ix_{entity}_{index}_id"), table_name="{entity}_{index}")
            op.drop_table("{entity}_{index}")
        '''
    )


def _conftest(p: _Project) -> str:
    return _d(
        f'''
        import pytest

        from {p.name} import create_app
        from {p.name}.extensions import db


        @pytest.fixture
        def app():
            app = create_app("testing")
            app.config.update(TESTING=True, DEBUG=True)
            with app.app_context():
                db.create_all()
                yield app
                db.drop_all()


        @pytest.fixture
        def client(app):
            return app.test_client()
        '''
    )


def _test_module(p: _Project, bp: str) -> str:
    rng = p.rng
    tests = []
    for index in range(rng.randint(10, 36)):
        entity = rng.choice(p.entities)
        shape = rng.choice(("get", "post", "json", "auth"))
        if shape == "get":
            body = (
                f"    response = client.get(\"/{bp}/{entity}s\")\n"
                f"    assert response.status_code in (200, 302)\n"
                f"    assert b\"<html\" in response.data or response.status_code == 302\n"
            )
        elif shape == "post":
            body = (
                f"    response = client.post(\"/{bp}/{entity}s/new\", data={{\"name\": \"x{index}\"}}, follow_redirects=True)\n"
                f"    assert response.status_code == 200\n"
                f"    with app.app_context():\n"
                f"        assert db.session.query({_cap(entity)}).count() >= 0\n"
            )
        elif shape == "json":
            body = (
                f"    response = client.post(\"/{bp}/api/{entity}s\", json={{\"name\": \"item{index}\"}})\n"
                f"    assert response.status_code in (201, 400, 404)\n"
                f"    if response.status_code == 201:\n"
                f"        assert response.get_json()[\"id\"] > 0\n"
            )
        else:
            body = (
                f"    client.post(\"/auth/login\", data={{\"email\": \"a@example.com\", \"password\": \"secret{index}\"}})\n"
                f"    response = client.get(\"/{bp}/{entity}s/1/edit\")\n"
                f"    assert response.status_code in (200, 302, 403, 404)\n"
            )
        tests.append(f"def test_{bp}_{entity}_{shape}_{index}(app, client):\n{body}")
    entities = ", ".join(sorted({_cap(e) for e in p.entities}))
    head = f'"""Tests for the {bp} blueprint."""\nfrom {p.name}.extensions import db\nfrom {p.name}.models import {entities}  # noqa: F401\n\n\n'
    return head + "\n\n".join(tests)


def _single_file_app(rng: random.Random, name: str, variant: str) -> str:
    routes = "\n\n".join(
        f"@app.route(\"/{word}\")\ndef {word}():\n    return render_template(\"{word}.html\", items=ITEMS.get(\"{word}\", []))\n"
        for word in rng.sample(ENTITIES, rng.randint(3, 8))
    )
    head = _d(
        f'''
        """{_cap(name)}: a small single-file Flask app."""
        import os

        from flask import Flask, render_template

        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")
        ITEMS = {{}}

        '''
    )
    tail = {
        "import-time": 'app.run(debug=True)\n',
        "main": 'if __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080, debug=True)\n',
        "clean": 'if __name__ == "__main__":\n    app.run()\n',
    }[variant]
    return head + "\n" + routes + "\n\n" + tail


def _project(rng: random.Random, name: str, root: Path) -> dict[Path, str]:
    p = _Project(rng, name, root)
    bug = rng.choice((None, None, None, None, "config-debug", "config-raw", "factory-debug", "factory-attr-debug"))
    p.add("pyproject.toml", f'[project]\nname = "{name}"\nversion = "0.1.0"\n')
    p.add_pkg("__init__.py", _factory(p, bug))
    p.add_pkg("config.py", _config(p, bug))
    p.add_pkg("extensions.py", _extensions())
    p.add_pkg("models.py", _models(p))
    p.add_pkg("utils.py", _utils(p))
    p.add_pkg("cli.py", _cli(p))
    p.add_pkg("schemas.py", _schemas(p))
    if rng.random() < 0.5:
        p.add_pkg("tasks.py", _tasks(p))
    p.add_pkg("services/__init__.py", '"""Services."""\n')
    for entity in rng.sample(p.entities, min(len(p.entities), rng.randint(1, 4))):
        p.add_pkg(f"services/{entity}.py", _service(p, entity))
    for bp in p.blueprints:
        p.add_pkg(f"{bp}/__init__.py", _blueprint_init(bp))
        p.add_pkg(f"{bp}/views.py", _views(p, bp))
        p.add_pkg(f"{bp}/forms.py", _forms(p, bp))
    p.add("run.py", _run_py(p, rng.choice(("debug", "debug", "host", "env", "plain"))))
    p.add("wsgi.py", _wsgi_py(p))
    if rng.random() < 0.5:
        p.add("manage.py", _manage_py(p, rng.choice(("host", "waitress", "waitress"))))
    p.add("setup.py", _setup_py(p))
    if rng.random() < 0.5:
        p.add("docs/conf.py", _docs_conf(p))
    p.add("migrations/env.py", _migration_env(p))
    for index in range(rng.randint(2, 6)):
        p.add(f"migrations/versions/{index:03d}_{p.entities[index % len(p.entities)]}.py", _migration(p, index, p.entities[index % len(p.entities)]))
    p.add("tests/__init__.py", "")
    p.add("tests/conftest.py", _conftest(p))
    for bp in p.blueprints:
        p.add(f"tests/test_{bp}.py", _test_module(p, bp))
    return p.files


def generate(dest: Path, seed: int = 7, projects: int = 8, small_apps: int = 4) -> list[Path]:
    """Write the corpus under ``dest`` (which must not hold anything else); return the .py files."""
    rng = random.Random(seed)
    names = rng.sample(WORDS, projects + small_apps)
    files: dict[Path, str] = {}
    for name in names[:projects]:
        files.update(_project(rng, name, dest / name))
    for name in names[projects:]:
        variant = rng.choice(("import-time", "main", "clean"))
        root = dest / f"{name}_app"
        files[root / "app.py"] = _single_file_app(rng, name, variant)
        files[root / "requirements.txt"] = "flask\n"
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(path for path in files if path.suffix == ".py")
