import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError

from jobbtorg.utils import personal_numbers as pn
from jobbtorg.utils.logging import RedactPersonalNumbers


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("19850709-9805", "198507099805"),
        ("198507099805", "198507099805"),
        ("850709-9805", "198507099805"),
        ("8507099805", "198507099805"),
        (" 19850709 - 9805 ".replace(" - ", "-"), "198507099805"),
        ("121212+1212", "191212121212"),  # '+' = 100 years or older
        ("121212-1212", "201212121212"),
    ],
)
def test_valid_numbers_are_normalised(raw, canonical):
    assert pn.normalize(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("19850709-9806", "invalid"),  # wrong check digit
        ("19850732-1234", "invalid"),  # no such day
        ("19851309-9805", "invalid"),  # no such month
        ("19850709-98", "format"),
        ("abc", "format"),
        ("", "required"),
        ("20990101-0008", "future"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, code):
    if code == "future":
        raw = pn.make(dt.date(2099, 1, 1), 1)
    with pytest.raises(ValidationError) as exc:
        pn.normalize(raw)
    assert exc.value.code == code


def test_coordination_numbers_day_plus_sixty():
    number = pn.make(dt.date(1970, 10, 3), 239, coordination=True)
    assert number[6:8] == "63"
    canonical = pn.normalize(number)
    assert pn.is_coordination_number(canonical)
    assert pn.birth_date(canonical) == dt.date(1970, 10, 3)
    assert pn.normalize("701063-2391") == "197010632391"
    with pytest.raises(ValidationError):
        pn.normalize("701063-2392")  # wrong check digit
    with pytest.raises(ValidationError):
        pn.normalize("701093-2391")  # day 93 - 60 = 33 does not exist


def test_made_numbers_are_valid_for_every_serial():
    for serial in range(1, 1000, 37):  # serial 000 is never issued
        for coordination in (False, True):
            number = pn.make(dt.date(1999, 2, 28), serial, coordination=coordination)
            assert pn.normalize(number) == number


def test_derived_facts():
    assert pn.age_on("198507099805", dt.date(2026, 7, 8)) == 40
    assert pn.age_on("198507099805", dt.date(2026, 7, 9)) == 41
    assert pn.gender("198507099805") == "female"
    assert pn.mask("198507099805") == "19850709-****"
    assert pn.formatted("198507099805") == "19850709-9805"


def test_log_lines_never_carry_a_number():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "lookup of %s failed (%s)", ("19850709-9805", "8507099805"), None
    )
    RedactPersonalNumbers().filter(record)
    assert "9805" not in record.getMessage()
    assert record.getMessage() == "lookup of [personnummer] failed ([personnummer])"
