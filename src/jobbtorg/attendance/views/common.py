"""What the attendance pages share: who may use them, and how a service's refusal becomes a message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from jobbtorg.accounts.constants import UNIT_ROLES, Role

# Who reports attendance: provider staff for their organisation's people, Jobbtorg staff for their unit's.
REPORTER_ROLES = (Role.PROVIDER_STAFF, *UNIT_ROLES)
# Who books meetings and records their outcome (the same people).
MEETING_ROLES = REPORTER_ROLES


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("Not allowed.")]


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field it names, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
