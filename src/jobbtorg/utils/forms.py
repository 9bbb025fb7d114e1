"""What every app's forms share."""

from django.core.exceptions import ValidationError


def add_service_errors(
    form, error: ValidationError, *, aliases: dict[str, str] | None = None, unplaced: list | None = None
) -> None:
    """Put a service's ValidationError on the form: each message on the field it names (`aliases` maps a
    service's name to the form's, e.g. {"intervention_type": "offering"}); the rest at the top of the form,
    or into `unplaced` when the page lists those apart."""
    aliases = aliases or {}
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for name, messages in items:
        name = aliases.get(name, name)
        if name is not None and name in form.fields:
            form.add_error(name, messages)
        elif unplaced is not None:
            unplaced.extend(messages)
        else:
            form.add_error(None, messages)
