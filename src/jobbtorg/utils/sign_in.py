"""The sign-in behind the current request (identity.SignInLog's id), for the read log: set by the identity
app's middleware (a session) or token authentication (an integration token), read by audit. A context
variable, so that audit needs no import of identity and threads or tasks never share it."""

from contextvars import ContextVar

_current: ContextVar[int | None] = ContextVar("jobbtorg_sign_in", default=None)


def current_sign_in_set(sign_in_id: int | None) -> None:
    _current.set(sign_in_id)


def current_sign_in_id() -> int | None:
    return _current.get()
