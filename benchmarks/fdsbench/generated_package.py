"""The generated Flask corpus, part one: shared vocabulary and the application package's modules.

Shaped like the Flask applications people ship: a package with an app factory, configuration
classes, extensions, models, blueprints with views and forms, services, helpers, a click CLI,
Celery tasks, Alembic migrations, launchers (run.py, wsgi.py, manage.py), setup.py and tests.
Most files cannot hold a finding; a small share do, as in real code. Same seed, same bytes.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

WORDS = (
    "shop blog wiki tracker helpdesk inventory billing forum gallery recipes booking library "
    "survey payroll crm notes chat events podcast fleet clinic school"
).split()
ENTITIES = (
    "user post comment tag order invoice product customer ticket project task message "
    "category review payment address session asset report event attachment"
).split()
FIELDS = (
    ("name", "db.String(120), nullable=False"),
    ("title", "db.String(200), nullable=False"),
    ("email", "db.String(255), unique=True, index=True"),
    ("body", "db.Text"),
    ("status", "db.String(32), default=\"draft\""),
    ("amount", "db.Numeric(10, 2), default=0"),
    ("quantity", "db.Integer, default=1"),
    ("is_active", "db.Boolean, default=True"),
    ("created_at", "db.DateTime, default=datetime.utcnow"),
    ("updated_at", "db.DateTime, onupdate=datetime.utcnow"),
    ("slug", "db.String(200), unique=True"),
    ("priority", "db.Integer, default=0"),
    ("notes", "db.Text, nullable=True"),
)


def _d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _cap(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


class _Project:
    def __init__(self, rng: random.Random, name: str, root: Path) -> None:
        self.rng = rng
        self.name = name
        self.root = root
        self.src_layout = rng.random() < 0.35
        self.pkg_dir = root / "src" / name if self.src_layout else root / name
        self.entities = rng.sample(ENTITIES, rng.randint(4, 9))
        self.blueprints = rng.sample(["main", "auth", "admin", "api", "dashboard", "account", "reports"], rng.randint(2, 5))
        self.files: dict[Path, str] = {}

    def add(self, relative: str, text: str) -> None:
        self.files[self.root / relative] = text

    def add_pkg(self, relative: str, text: str) -> None:
        self.files[self.pkg_dir / relative] = text

    @property
    def pkg_prefix(self) -> str:
        return "src/" if self.src_layout else ""


# --------------------------------------------------------------------------- package


def _factory(p: _Project, bug: str | None) -> str:
    imports = "\n".join(f"    from .{bp} import bp as {bp}_bp" for bp in p.blueprints)
    registers = "\n".join(f"    app.register_blueprint({bp}_bp, url_prefix=\"/{bp}\")" for bp in p.blueprints)
    debug_line = ""
    if bug == "factory-debug":
        debug_line = '    app.config["DEBUG"] = True\n'
    elif bug == "factory-attr-debug":
        debug_line = "    app.debug = True\n"
    text = _d(
        f'''
        """{_cap(p.name)} application package: the app factory."""
        import logging
        import os
        from logging.handlers import RotatingFileHandler

        from flask import Flask, jsonify, render_template, request

        from .config import config_by_name
        from .extensions import cache, csrf, db, login_manager, mail, migrate


        def create_app(config_name=None):
            """Create and configure an instance of the application."""
            app = Flask(__name__, instance_relative_config=True)
            config_name = config_name or os.environ.get("{p.name.upper()}_CONFIG", "development")
            app.config.from_object(config_by_name[config_name])
            app.config.from_envvar("{p.name.upper()}_SETTINGS", silent=True)
        __DEBUG__    os.makedirs(app.instance_path, exist_ok=True)
            register_extensions(app)
            register_blueprints(app)
            register_errorhandlers(app)
            register_shellcontext(app)
            register_commands(app)
            configure_logging(app)
            return app


        def register_extensions(app):
            db.init_app(app)
            migrate.init_app(app, db)
            login_manager.init_app(app)
            csrf.init_app(app)
            mail.init_app(app)
            cache.init_app(app)


        def register_blueprints(app):
        __IMPORTS__
        __REGISTERS__


        def register_errorhandlers(app):
            def render_error(error):
                code = getattr(error, "code", 500)
                if request.accept_mimetypes.best == "application/json":
                    return jsonify(error=str(error)), code
                return render_template(f"errors/{{code}}.html"), code

            for errcode in (401, 403, 404, 500):
                app.errorhandler(errcode)(render_error)


        def register_shellcontext(app):
            from . import models

            def shell_context():
                return {{"db": db, "models": models}}

            app.shell_context_processor(shell_context)


        def register_commands(app):
            from .cli import register

            register(app)


        def configure_logging(app):
            if app.debug or app.testing:
                app.logger.setLevel(logging.DEBUG)
                return
            os.makedirs("logs", exist_ok=True)
            handler = RotatingFileHandler("logs/{p.name}.log", maxBytes=10240, backupCount=10)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s: %(message)s [in %(pathname)s:%(lineno)d]"))
            handler.setLevel(logging.INFO)
            app.logger.addHandler(handler)
            app.logger.setLevel(logging.INFO)
            app.logger.info("{p.name} startup")
        '''
    )
    return text.replace("__DEBUG__", debug_line).replace("__IMPORTS__", imports).replace("__REGISTERS__", registers)


def _config(p: _Project, bug: str | None) -> str:
    base_debug = "True" if bug == "config-debug" else "False"
    if bug == "config-raw":
        base_debug = 'os.environ.get("DEBUG", "false")'
    return _d(
        f'''
        """Configuration classes, selected by name in the app factory."""
        import os
        from datetime import timedelta

        basedir = os.path.abspath(os.path.dirname(__file__))


        class Config:
            SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")
            DEBUG = {base_debug}
            TESTING = False
            SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(basedir, "app.db"))
            SQLALCHEMY_TRACK_MODIFICATIONS = False
            PERMANENT_SESSION_LIFETIME = timedelta(days=7)
            MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
            MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
            MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS") is not None
            ITEMS_PER_PAGE = {p.rng.choice((10, 20, 25, 50))}
            CACHE_TYPE = "SimpleCache"
            LOG_LEVEL = "INFO"


        class DevelopmentConfig(Config):
            DEBUG = True
            SQLALCHEMY_ECHO = True
            LOG_LEVEL = "DEBUG"


        class TestingConfig(Config):
            TESTING = True
            WTF_CSRF_ENABLED = False
            SQLALCHEMY_DATABASE_URI = "sqlite://"


        class ProductionConfig(Config):
            SESSION_COOKIE_SECURE = True
            REMEMBER_COOKIE_SECURE = True
            CACHE_TYPE = "RedisCache"


        config_by_name = {{
            "development": DevelopmentConfig,
            "testing": TestingConfig,
            "production": ProductionConfig,
            "default": DevelopmentConfig,
        }}
        '''
    )


def _extensions() -> str:
    return _d(
        '''
        """Extension objects, bound to the app in the factory."""
        from flask_caching import Cache
        from flask_login import LoginManager
        from flask_mail import Mail
        from flask_migrate import Migrate
        from flask_sqlalchemy import SQLAlchemy
        from flask_wtf.csrf import CSRFProtect

        db = SQLAlchemy()
        migrate = Migrate()
        login_manager = LoginManager()
        login_manager.login_view = "auth.login"
        login_manager.login_message_category = "info"
        csrf = CSRFProtect()
        mail = Mail()
        cache = Cache()
        '''
    )


def _model(rng: random.Random, entity: str, others: list[str]) -> str:
    fields = rng.sample(FIELDS, rng.randint(4, 9))
    columns = "\n".join(f"    {name} = db.Column({spec})" for name, spec in fields)
    rels = ""
    for other in rng.sample(others, min(len(others), rng.randint(0, 2))):
        rels += f"    {other}_id = db.Column(db.Integer, db.ForeignKey(\"{other}.id\"))\n"
        rels += f"    {other} = db.relationship(\"{_cap(other)}\", backref=\"{entity}s\")\n"
    methods = []
    if rng.random() < 0.9:
        methods.append(
            _d(
                f'''
                    def to_dict(self):
                        data = {{"id": self.id}}
                        for column in self.__table__.columns:
                            value = getattr(self, column.name)
                            if isinstance(value, datetime):
                                value = value.isoformat()
                            data[column.name] = value
                        return data
                '''
            )
        )
    if rng.random() < 0.9:
        methods.append(
            _d(
                f'''
                    @classmethod
                    def get_or_404(cls, ident):
                        obj = db.session.get(cls, ident)
                        if obj is None:
                            abort(404)
                        return obj

                    @classmethod
                    def recent(cls, limit=10):
                        return cls.query.order_by(cls.id.desc()).limit(limit).all()
                '''
            )
        )
    if rng.random() < 0.9:
        methods.append(
            _d(
                f'''
                    def save(self, commit=True):
                        db.session.add(self)
                        if commit:
                            db.session.commit()
                        return self

                    def delete(self, commit=True):
                        db.session.delete(self)
                        if commit:
                            db.session.commit()
                '''
            )
        )
    if entity == "user":
        methods.append(
            _d(
                '''
                    def set_password(self, password):
                        self.password_hash = generate_password_hash(password)

                    def check_password(self, password):
                        return check_password_hash(self.password_hash, password)

                    @property
                    def is_admin(self):
                        return self.role == "admin"
                '''
            )
        )
        columns += "\n    password_hash = db.Column(db.String(255))\n    role = db.Column(db.String(20), default=\"member\")"
    body = "\n".join(textwrap.indent(method, "    ") for method in methods)
    return (
        f"class {_cap(entity)}(db.Model{', UserMixin' if entity == 'user' else ''}):\n"
        f"    __tablename__ = \"{entity}\"\n\n"
        f"    id = db.Column(db.Integer, primary_key=True)\n{columns}\n{rels}\n"
        f"    def __repr__(self):\n        return f\"<{_cap(entity)} {{self.id}}>\"\n\n{body}"
    )


def _models(p: _Project) -> str:
    head = _d(
        '''
        """Database models."""
        from datetime import datetime

        from flask import abort
        from flask_login import UserMixin
        from werkzeug.security import check_password_hash, generate_password_hash

        from .extensions import db, login_manager


        @login_manager.user_loader
        def load_user(user_id):
            return db.session.get(User, int(user_id))

        '''
    )
    entities = sorted(set(p.entities) | {"user"})
    parts = [_model(p.rng, entity, [e for e in entities if e != entity]) for entity in entities]
    return head + "\n\n" + "\n\n".join(parts)


def _blueprint_init(bp: str) -> str:
    return _d(
        f'''
        """The {bp} blueprint."""
        from flask import Blueprint

        bp = Blueprint("{bp}", __name__, template_folder="templates")

        from . import views  # noqa: E402,F401
        '''
    )


def _view(rng: random.Random, bp: str, entity: str, index: int) -> str:
    cls = _cap(entity)
    kind = rng.choice(("list", "detail", "create", "edit", "delete", "api", "search"))
    logger = rng.random() < 0.5
    log = f'    current_app.logger.debug("{bp}.{entity} {kind} %s", request.path)\n' if logger else ""
    if kind == "list":
        return (
            f"@bp.route(\"/{entity}s\")\n@login_required\ndef list_{entity}s_{index}():\n{log}"
            f"    page = request.args.get(\"page\", 1, type=int)\n"
            f"    query = {cls}.query.order_by({cls}.id.desc())\n"
            f"    pagination = query.paginate(page=page, per_page=current_app.config[\"ITEMS_PER_PAGE\"])\n"
            f"    return render_template(\"{bp}/{entity}_list.html\", pagination=pagination, items=pagination.items)\n"
        )
    if kind == "detail":
        return (
            f"@bp.route(\"/{entity}s/<int:ident>\")\ndef show_{entity}_{index}(ident):\n{log}"
            f"    item = {cls}.query.get_or_404(ident)\n"
            f"    if not can_view(current_user, item):\n        abort(403)\n"
            f"    return render_template(\"{bp}/{entity}_detail.html\", item=item)\n"
        )
    if kind == "create":
        return (
            f"@bp.route(\"/{entity}s/new\", methods=[\"GET\", \"POST\"])\n@login_required\ndef create_{entity}_{index}():\n{log}"
            f"    form = {cls}Form()\n"
            f"    if form.validate_on_submit():\n"
            f"        item = {cls}()\n"
            f"        form.populate_obj(item)\n"
            f"        db.session.add(item)\n"
            f"        db.session.commit()\n"
            f"        flash(\"{cls} created.\", \"success\")\n"
            f"        return redirect(url_for(\"{bp}.show_{entity}_{index}\", ident=item.id))\n"
            f"    return render_template(\"{bp}/{entity}_form.html\", form=form)\n"
        )
    if kind == "edit":
        return (
            f"@bp.route(\"/{entity}s/<int:ident>/edit\", methods=[\"GET\", \"POST\"])\n@login_required\n"
            f"def edit_{entity}_{index}(ident):\n{log}"
            f"    item = {cls}.query.get_or_404(ident)\n"
            f"    form = {cls}Form(obj=item)\n"
            f"    if form.validate_on_submit():\n"
            f"        form.populate_obj(item)\n"
            f"        db.session.commit()\n"
            f"        flash(\"Saved.\", \"success\")\n"
            f"        return redirect(url_for(\"{bp}.show_{entity}_{index}\", ident=item.id))\n"
            f"    elif request.method == \"POST\":\n"
            f"        current_app.logger.info(\"invalid form: %s\", form.errors)\n"
            f"    return render_template(\"{bp}/{entity}_form.html\", form=form, item=item)\n"
        )
    if kind == "delete":
        return (
            f"@bp.route(\"/{entity}s/<int:ident>/delete\", methods=[\"POST\"])\n@login_required\n"
            f"def delete_{entity}_{index}(ident):\n{log}"
            f"    item = {cls}.query.get_or_404(ident)\n"
            f"    if item.user_id != current_user.id and not current_user.is_admin:\n        abort(403)\n"
            f"    db.session.delete(item)\n    db.session.commit()\n"
            f"    flash(\"Deleted.\", \"info\")\n"
            f"    return redirect(url_for(\"{bp}.index\"))\n"
        )
    if kind == "api":
        return (
            f"@bp.route(\"/api/{entity}s\", methods=[\"GET\", \"POST\"])\ndef api_{entity}s_{index}():\n{log}"
            f"    if request.method == \"POST\":\n"
            f"        payload = request.get_json(force=True) or {{}}\n"
            f"        errors = validate_payload(payload, required=(\"name\",))\n"
            f"        if errors:\n            return jsonify(errors=errors), 400\n"
            f"        item = {cls}(**payload)\n"
            f"        db.session.add(item)\n        db.session.commit()\n"
            f"        return jsonify(item.to_dict()), 201\n"
            f"    items = {cls}.query.limit(request.args.get(\"limit\", 50, type=int)).all()\n"
            f"    return jsonify([item.to_dict() for item in items])\n"
        )
    return (
        f"@bp.route(\"/{entity}s/search\")\ndef search_{entity}s_{index}():\n{log}"
        f"    term = request.args.get(\"q\", \"\").strip()\n"
        f"    if not term:\n        return redirect(url_for(\"{bp}.index\"))\n"
        f"    results = {cls}.query.filter({cls}.id.in_(search_ids(term, \"{entity}\"))).all()\n"
        f"    session[\"last_search\"] = term\n"
        f"    return render_template(\"{bp}/search.html\", results=results, term=term)\n"
    )


def _views(p: _Project, bp: str) -> str:
    rng = p.rng
    entities = rng.sample(p.entities, min(len(p.entities), rng.randint(1, 3)))
    classes = ", ".join(sorted({_cap(e) for e in entities}))
    forms = ", ".join(sorted({_cap(e) + "Form" for e in entities}))
    head = _d(
        f'''
        """Views of the {bp} blueprint."""
        from flask import abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
        from flask_login import current_user, login_required

        from ..extensions import db
        from ..models import {classes}
        from ..utils import can_view, search_ids, validate_payload
        from . import bp
        from .forms import {forms}


        @bp.route("/")
        def index():
            return render_template("{bp}/index.html")

        '''
    )
    routes = [_view(rng, bp, rng.choice(entities), i) for i in range(rng.randint(16, 44))]
    return head + "\n\n" + "\n\n".join(routes)


def _forms(p: _Project, bp: str) -> str:
    parts = [
        _d(
            '''
            """Forms of the blueprint."""
            from flask_wtf import FlaskForm
            from wtforms import BooleanField, DecimalField, IntegerField, PasswordField, StringField, TextAreaField
            from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
            '''
        )
    ]
    for entity in p.entities:
        fields = p.rng.sample(
            [
                'name = StringField("Name", validators=[DataRequired(), Length(max=120)])',
                'title = StringField("Title", validators=[DataRequired(), Length(max=200)])',
                'email = StringField("Email", validators=[Optional(), Email()])',
                'body = TextAreaField("Body")',
                'quantity = IntegerField("Quantity", validators=[NumberRange(min=0)])',
                'amount = DecimalField("Amount", places=2)',
                'is_active = BooleanField("Active")',
                'password = PasswordField("Password", validators=[Optional(), Length(min=8)])',
            ],
            4,
        )
        body = "\n".join(f"    {field}" for field in fields)
        first = fields[0].split(" = ")[0]
        validator = (
            f"\n    def validate_{first}(self, field):\n"
            f"        value = field.data\n"
            f"        if isinstance(value, str) and value.strip() != value:\n"
            f"            raise ValidationError(\"No leading or trailing spaces.\")\n"
            f"        if value in self.reserved:\n"
            f"            raise ValidationError(\"This value is reserved.\")\n"
        )
        parts.append(f"\n\nclass {_cap(entity)}Form(FlaskForm):\n    reserved = (\"admin\", \"root\")\n\n{body}\n{validator}")
    return "".join(parts)
