"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Validation uses the `personnummer` library (Luhn checksum, real date, coordination day + 60). We store
the canonical 12-digit form YYYYMMDDNNNN. The number never appears in a URL or a log line: see
`mask()` and `utils.logging`.
"""

import datetime
import re
from urllib.parse import parse_qsl, unquote, unquote_plus

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer as _pnr

PATTERN = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")
# Identifiers the product itself puts in addresses (UUIDs, hex tokens): about one random UUID in 7,700 holds
# ten digits in a row that pass the checksum, so they are taken out before an address is searched.
IDENTIFIER = re.compile(
    r"(?i)\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b|[0-9a-f]{32,}"
)


def normalize(value: str, *, today: datetime.date | None = None) -> str:
    """Validate and return the canonical 12-digit form, or raise ValidationError with a clear message.

    A 10-digit number gets its century from today's date (and a '+' means 100 years or older), as the
    Swedish Tax Agency defines it.
    """
    raw = (value or "").strip().replace(" ", "")
    if not raw:
        raise ValidationError(_("Enter a personal identity number."), code="required")
    if not re.fullmatch(r"(\d{6}|\d{8})[-+]?\d{4}", raw):
        raise ValidationError(
            _("Enter the personal identity number as YYYYMMDD-NNNN or YYMMDD-NNNN."), code="format"
        )
    try:
        parsed = _pnr.parse(raw)
    except Exception as exc:  # the library raises its own exception types for every kind of bad input
        raise ValidationError(
            _("This is not a valid personal identity number or coordination number (check digit or date)."),
            code="invalid",
        ) from exc
    canonical = parsed.format(True)
    birth = birth_date(canonical)
    if birth > (today or datetime.date.today()):
        raise ValidationError(_("The birth date of the identity number lies in the future."), code="future")
    return canonical


def is_coordination_number(canonical: str) -> bool:
    return int(canonical[6:8]) > 60


def birth_date(canonical: str) -> datetime.date:
    day = int(canonical[6:8])
    if day > 60:
        day -= 60
    return datetime.date(int(canonical[0:4]), int(canonical[4:6]), day)


def age_on(canonical: str, on: datetime.date) -> int:
    born = birth_date(canonical)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def gender(canonical: str) -> str:
    """'female' or 'male' as the registry encodes it in the ninth digit (odd = male)."""
    return "male" if int(canonical[10]) % 2 else "female"


def formatted(canonical: str) -> str:
    return f"{canonical[:8]}-{canonical[8:]}"


def mask(canonical: str) -> str:
    """Birth date only, for lists and confirmations: 19850709-****."""
    return f"{canonical[:8]}-****"


def redact(text: str) -> str:
    """Replace anything that looks like an identity number in free text (used for log lines)."""
    return PATTERN.sub("[personnummer]", text)


def redact_url(url: str) -> str:
    """An address for an access log: every query value replaced by `*` (names kept), and anything that looks
    like an identity number replaced: `/a/19870314-2383/?q=x&page=2` → `/a/[personnummer]/?q=*&page=*`."""
    path, sep, query = url.partition("?")
    path = PATTERN.sub("[personnummer]", unquote(path))
    if not sep:
        return path
    names = [
        PATTERN.sub("[personnummer]", unquote_plus(part.split("=", 1)[0]))
        for part in query.split("&")
        if part
    ]
    return path + "?" + "&".join(f"{name}=*" for name in names)


def in_url(path: str, query: str) -> bool:
    """Whether an address holds a VALID identity number, in its path or in any query name or value (as
    typed, or written with a space, a plus or URL-encoded)."""
    texts = [unquote(path)]
    for name, value in parse_qsl(query, keep_blank_values=True):
        texts += [name, value]
    texts.append(unquote_plus(query))
    for text in texts:
        for match in PATTERN.finditer(IDENTIFIER.sub("", text).replace(" ", "")):
            if is_valid(match.group(0)):
                return True
    return False


def is_valid(value: str) -> bool:
    try:
        return _pnr.valid(value)
    except Exception:  # the library raises its own exception types for some inputs
        return False


def luhn_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def make(born: datetime.date, serial: int, *, coordination: bool = False) -> str:
    """Build a valid canonical number for a birth date and a three-digit serial 001–999 (for test and demo
    data; serial 000 is never issued)."""
    if not 1 <= serial % 1000 <= 999:
        raise ValueError("serial must be 1–999")
    day = born.day + (60 if coordination else 0)
    body = f"{born:%y%m}{day:02d}{serial % 1000:03d}"
    return f"{born.year:04d}{born:%m}{day:02d}{serial % 1000:03d}{luhn_digit(body)}"
