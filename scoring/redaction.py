"""Logs carry no passwords, NIK or tokens: every log record is redacted as it is created.

Installed once per process as the logging record factory, so it covers every logger (the app's,
the request log, werkzeug's and gunicorn's) and every handler, including tracebacks: the
message and the exception text are rendered and cleaned before any handler sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Flask

from scoring.formatting import mask_nik

REDACTED = "[redacted]"

_NIK = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
# Secrets in URLs: certificate tokens and participant download links.
_PATH_TOKEN = re.compile(r"(/verifikasi/|/sertifikat/unduh/)[^\s/?#\"']+")
# key=value, key: value, "key": "value" for names that hold secrets.
_SECRET_PAIR = re.compile(
    r"(?i)\b(password|passwd|sandi|kata_sandi|csrf_token|token|access_code|kode_akses|kode"
    r"|secret|secret_key|api_key|session)\b([\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}\]]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/-]+=*")
# SQLAlchemy appends the bound values of a failed statement: they can be anything.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\(Background|$))", re.MULTILINE)


def redact(text: str) -> str:
    """`text` without NIKs (masked), passwords, tokens, access codes or SQL parameters."""
    text = _SQL_PARAMETERS.sub(f"[parameters: {REDACTED}]", text)
    text = _PATH_TOKEN.sub(rf"\1{REDACTED}", text)
    text = _SECRET_PAIR.sub(rf"\1\2{REDACTED}", text)
    text = _BEARER.sub(rf"\1{REDACTED}", text)
    return _NIK.sub(lambda m: mask_nik(m.group(0)), text)


_formatter = logging.Formatter()


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            record.msg = redact(record.getMessage())
            record.args = ()
            if record.exc_info and record.exc_info[0] is not None:
                record.exc_text = redact(_formatter.formatException(record.exc_info))
        except Exception:  # never lose a log line over redaction
            record.msg, record.args = REDACTED, ()
        return record

    make_record.juara_redacting = True  # type: ignore[attr-defined]
    return make_record


def install() -> None:
    """Make every log record of this process redacted (idempotent)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "juara_redacting", False):
        logging.setLogRecordFactory(_redacting(current))


def init_app(app: Flask) -> None:
    install()
