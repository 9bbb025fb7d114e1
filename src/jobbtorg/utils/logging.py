"""Logging filters: personal identity numbers never reach a log line, and a 500's log record names the
reference the user saw on the error page."""

import logging

from . import request_id
from .personal_numbers import redact, redact_url


class RedactPersonalNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactRequestLine(logging.Filter):
    """runserver's access log (`django.server`): the request line keeps the query's names but not their
    values, and a path segment that looks like an identity number is replaced (`redact_url`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(redact_request_line(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_request_line(line: str) -> str:
    """`GET /personer/?q=19870314-2383 HTTP/1.1` → `GET /personer/?[redacted] HTTP/1.1`."""
    parts = line.split(" ")
    if len(parts) == 3:
        parts[1] = redact_url(parts[1])
        return " ".join(parts)
    return redact_url(line) if line.startswith("/") else line


class ErrorReference(logging.Filter):
    """The record of an unhandled error (Django's `django.request` logger, after the 500 page was made)
    carries the page's reference: as `record.reference` and at the end of the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        reference = getattr(request, "error_reference", None) if request is not None else None
        if reference and not getattr(record, "reference", None):
            record.reference = reference
            record.msg, record.args = f"{record.getMessage()} [reference {reference}]", None
        return True


class RequestIdFilter(logging.Filter):
    """Every record carries `request_id`: the id of the request (or background task) it was made in, empty
    outside one. The JSON formatter writes it as a field; the 500 page shows the same id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id.current()
        return True
