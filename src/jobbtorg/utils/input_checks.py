"""Checks on any input before a form, serializer or service sees it: no NUL character anywhere (PostgreSQL
refuses them in text, which was a 500), and JSON nested no deeper than any of our shapes needs.

Used by the API's parsers (`utils.api`) and by `utils.middleware.RefuseUnsafeAddresses` for addresses and
form posts; the messages are field-level, keyed like the API's other errors (`rows[3].reason_code`)."""

from django.utils.translation import gettext as _

MAX_JSON_DEPTH = 32


def null_character_message() -> str:
    return _("Null characters (\\0) are not allowed.")


def problems_in_pairs(pairs) -> dict[str, list[str]]:
    """Field errors for (name, value) pairs such as a query string or a form post."""
    errors: dict[str, list[str]] = {}
    for name, value in pairs:
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):
            errors[name.replace("\x00", "") or "non_field_errors"] = [null_character_message()]
    return errors


def problems_in_data(data, *, max_depth: int = MAX_JSON_DEPTH) -> dict[str, list[str]]:
    """Field errors for parsed JSON: strings or keys holding NUL, and nesting deeper than `max_depth`.
    Iterative, so that no depth of input can exhaust the stack here."""
    errors: dict[str, list[str]] = {}
    stack = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= max_depth:
                errors.setdefault(path or "non_field_errors", []).append(
                    _("The JSON is nested too deeply (at most %(max)d levels).") % {"max": max_depth}
                )
                continue
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    errors[path or "non_field_errors"] = [null_character_message()]
                    continue
                child = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)
                stack.append((item, child, depth + 1))
        elif isinstance(value, str) and "\x00" in value:
            errors[path or "non_field_errors"] = [null_character_message()]
    return errors
