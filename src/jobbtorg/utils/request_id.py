"""The request id: one short id per request (or per background task), in every log record made while it runs
(`logging.RequestIdFilter`), in the `X-Request-ID` response header, and shown as the reference on the 500
page (`error_pages.server_error`) — one id for the user, the access log and the traceback."""

import contextvars
import re
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("jobbtorg_request_id", default="")
# An id from the reverse proxy is kept when it is plain (letters, digits, dashes; at most 64): it then joins
# the proxy's log line to ours. Anything else is replaced, never echoed.
_INCOMING = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def from_header(value: str | None) -> str:
    return value if value and _INCOMING.match(value) else new_id()


def current() -> str:
    return _current.get()


def bind(value: str):
    """Make `value` the current id; returns the token for `unbind`."""
    return _current.set(value)


def unbind(token) -> None:
    _current.reset(token)
