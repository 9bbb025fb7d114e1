"""What the attendance pages share: how a service's refusal becomes a message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("Not allowed.")]
