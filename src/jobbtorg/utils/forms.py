"""What every app's forms share."""

import re

from django.core.exceptions import ValidationError

# A service's key for an item of a list it was given: "activities[1].hours_per_week", "activities[0]".
ROW_KEY = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")


def add_service_errors(
    form,
    error: ValidationError,
    *,
    aliases: dict[str, str] | None = None,
    unplaced: list | None = None,
    rows: dict[str, list] | None = None,
) -> None:
    """Put a service's ValidationError on the form: each message on the field it names (`aliases` maps a
    service's name to the form's, e.g. {"intervention_type": "offering"}); the rest at the top of the form,
    or into `unplaced` when the page lists those apart. `rows` maps a list the service was given to the row
    forms it was made from, in the same order ({"activities": [row, …]}): "activities[1].hours_per_week"
    goes on the second row's field, "activities[0]" on the first row."""
    aliases = aliases or {}
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for name, messages in items:
        row, field = _row_of(name, rows or {})
        if row is not None:
            row.add_error(field if field in row.fields else None, messages)
            continue
        name = aliases.get(name, name)
        if name is not None and name in form.fields:
            form.add_error(name, messages)
        elif unplaced is not None:
            unplaced.extend(messages)
        else:
            form.add_error(None, messages)


def _row_of(name: str | None, rows: dict[str, list]):
    """(row form, field or None) that a service's key names; (None, None) when it names no row given."""
    match = ROW_KEY.match(name or "")
    if not match or match.group(1) not in rows:
        return None, None
    forms_, index = rows[match.group(1)], int(match.group(2))
    return (forms_[index], match.group(3)) if index < len(forms_) else (None, None)
