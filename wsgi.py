"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from scoring import create_app

app = create_app()
