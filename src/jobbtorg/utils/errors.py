"""Domain errors raised by services; the web views and the API turn them into messages and status codes."""

from django.core.exceptions import ValidationError


class ConflictError(Exception):
    """Someone else changed the record since it was read (optimistic locking). HTTP 409."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(ValidationError):
    """A state change that the workflow does not allow from the current state. HTTP 400."""
