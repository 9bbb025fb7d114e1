from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from organisationsnummer import organisationsnummer as _org


def organisation_number_normalize(value: str) -> str:
    """Validate a Swedish organisation number (or a sole trader's personal identity number) and return it as
    NNNNNN-NNNN."""
    raw = (value or "").strip().replace(" ", "")
    if not raw:
        raise ValidationError(_("Enter an organisation number."), code="required")
    try:
        parsed = _org.parse(raw)
    except Exception as exc:  # the library raises its own exception types for every kind of bad input
        raise ValidationError(
            _("This is not a valid organisation number (NNNNNN-NNNN with a correct check digit)."),
            code="invalid",
        ) from exc
    return parsed.format(True)
