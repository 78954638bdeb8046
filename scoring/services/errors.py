"""Domain errors raised by services; views turn them into translated messages."""

from __future__ import annotations


def msgid(text: str) -> str:
    """Marks `text` as a message for extraction where no gettext call or error class names it."""
    return text


class ScoringError(Exception):
    """Base class of every error a service reports to a user.

    `message` is an English msgid; views translate it with `gettext(message, **params)`.
    """

    status_code = 400

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class NotFound(ScoringError):
    status_code = 404


class Forbidden(ScoringError):
    status_code = 403


class Conflict(ScoringError):
    status_code = 409


class InvalidInput(ScoringError):
    status_code = 422
