"""Shared API plumbing: domain errors become 400/409 with field-level messages, never a 500.

Also here: the permission classes, the date field with sane bounds and the error responses every endpoint
documents in the OpenAPI schema. `utils` imports no domain app (tests/test_import_graph.py): the API's read
logging is `audit.services.log_read`/`log_reads`.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ConflictError

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"
MAX_VERSION = 2**31 - 1


# --- errors ---------------------------------------------------------------------------------------------


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD_ERRORS if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD_ERRORS: list(error.messages)}


def flatten_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error structure as flat keys, the same shape the services use:
    {"activities": [{}, {"hours_per_week": [...]}]} → {"activities[1].hours_per_week": [...]}."""
    out: dict[str, list[str]] = {}
    _flatten(detail, "", out)
    return out


def _flatten(detail, prefix: str, out: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == NON_FIELD_ERRORS:
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            _flatten(value, name, out)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                _flatten(item, f"{prefix}[{index}]", out)
            else:
                out.setdefault(prefix or NON_FIELD_ERRORS, []).append(str(item))
    else:
        out.setdefault(prefix or NON_FIELD_ERRORS, []).append(str(detail))


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message, "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        return Response(flatten_errors(exc.detail), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


# --- permissions ----------------------------------------------------------------------------------------


# The keyword arguments of a detail-level POST action (approve, decide, …): no filters, no pagination.
WRITE_ACTION = {"detail": True, "methods": ["post"], "filter_backends": [], "pagination_class": None}


def validated_input(request, serializer_class, data=None) -> dict:
    """Validate the request body (or `data`) with `serializer_class`; a 400 with field messages if invalid."""
    serializer = serializer_class(data=request.data if data is None else data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def has_any_perm(*perms: str) -> type[permissions.BasePermission]:
    """The user holds at least one of the role permissions `perms` (else 403)."""

    class HasAnyPerm(permissions.BasePermission):
        message = _("Your role does not give access to this.")

        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and any(user.has_perm(p) for p in perms))

    HasAnyPerm.__name__ = HasAnyPerm.__qualname__ = "HasAny_" + "_".join(p.replace(".", "_") for p in perms)
    return HasAnyPerm


def has_perms(*perms: str) -> type[permissions.BasePermission]:
    """A permission class: the user holds every one of the role permissions `perms` (else 403).
    Object scoping stays in the querysets (`visible_to`): an object the user may not see is a 404."""

    class HasPerms(permissions.BasePermission):
        message = _("Your role does not give access to this.")

        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    HasPerms.__name__ = HasPerms.__qualname__ = "Has_" + "_".join(p.replace(".", "_") for p in perms)
    return HasPerms


def allowed_by(rule, message=None) -> type[permissions.BasePermission]:
    """A permission class that asks a `perms.py` function, `rule(user)` (else 403): an endpoint and the page
    that does the same thing ask the same rule. Object rules (`rule(user, obj)`) are asked by the service."""

    class AllowedBy(permissions.BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and rule(user))

    AllowedBy.message = message or _("Your role does not give access to this.")
    AllowedBy.__name__ = AllowedBy.__qualname__ = f"AllowedBy_{rule.__name__}"
    return AllowedBy


class IsUnitStaff(permissions.BasePermission):
    """Staff of a Jobbtorg unit (coach, counsellor, matcher, unit head)."""

    message = _("Only staff of a Jobbtorg unit can do this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_unit_staff and user.unit_id)


class IsCaseworker(permissions.BasePermission):
    """A district caseworker."""

    message = _("Only a district caseworker can do this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_caseworker and user.district_id)


# --- fields ---------------------------------------------------------------------------------------------


class BoundedDateField(serializers.DateField):
    """A date between 1900 and 2199: anything else is a typing mistake, and dates near year 9999 would
    overflow the working-day and week arithmetic."""

    default_error_messages = {"range": _("Enter a date between 1900-01-01 and 2199-12-31.")}
    earliest = datetime.date(1900, 1, 1)
    latest = datetime.date(2199, 12, 31)

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not (self.earliest <= parsed <= self.latest):
            self.fail("range")
        return parsed


def version_field(**kwargs) -> serializers.IntegerField:
    kwargs.setdefault(
        "help_text", _("The lock_version you read (optimistic locking: a stale version is a 409).")
    )
    return serializers.IntegerField(min_value=0, max_value=MAX_VERSION, **kwargs)


# --- schema ---------------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "Messages per field. Nested fields are named like `activities[1].hours_per_week`; errors that "
        "concern no single field are under `non_field_errors`."
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

ERROR_RESPONSES = {
    400: OpenApiResponse(FIELD_ERRORS_SCHEMA, description="Invalid input: field-level messages."),
    403: OpenApiResponse(ErrorSerializer, description="Your role does not allow this."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to you."),
    409: OpenApiResponse(
        ErrorSerializer,
        description="Someone else changed the record since you read it (stale `version`). Reload and retry.",
    ),
}


def errors(*codes: int) -> dict:
    """The documented error responses of an operation, e.g. `responses={200: X, **errors(400, 404, 409)}`."""
    return {code: ERROR_RESPONSES[code] for code in codes}
