"""Juara: competition and award scoring for BKKBN selections."""

from __future__ import annotations

from typing import Any

from flask import Flask

from config import config_class


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=False,
    )
    env_name = (test_config or {}).get("ENV_NAME")
    config = config_class(env_name)
    app.config.from_object(config)
    config.apply_environment(app.config)
    if test_config:
        app.config.update(test_config)
    config.validate(app.config)

    from scoring import (
        database,
        errors,
        headers,
        i18n,
        limits,
        observability,
        security,
        session_cookie,
    )
    from scoring.extensions import babel, csrf, db, login_manager, migrate

    app.config["SQLALCHEMY_DATABASE_URI"] = database.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    database.ensure_sqlite_directory(app.config["SQLALCHEMY_DATABASE_URI"])

    import scoring.models  # noqa: F401 - register every model with the metadata

    db.init_app(app)
    database.install_sqlite_pragmas(app)
    migrate.init_app(app, db, directory=str(_project_path("migrations")))
    limits.init_app(app)  # body caps before CSRF reads the form; `int` before any route
    session_cookie.init_app(app)  # no re-signing of an unchanged cookie (issue 16)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    security.init_login(app, login_manager)
    errors.init_app(app)
    headers.init_app(app)
    observability.init_app(app)
    from scoring import redaction  # logs without passwords, NIK or tokens (issue 9)

    redaction.init_app(app)

    from scoring import ratelimit

    ratelimit.init_app(app)

    from scoring import api, auth, certificates, committee, files, judge, ops, public, results

    blueprints = (
        public.bp,
        auth.bp,
        committee.bp,
        judge.bp,
        api.bp,
        files.bp,
        results.bp,
        ops.bp,
        certificates.bp,
    )
    from scoring import regional  # regional registration (issue 11)

    blueprints = (*blueprints, regional.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    from scoring import cli

    cli.init_app(app)
    return app


def _project_path(name: str) -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / name)
