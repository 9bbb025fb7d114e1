"""utils.listing: whitelisted sorting and paging kept in the URL; bad parameters fall back, never an error."""

import pytest
from django.test import RequestFactory

from jobbtorg.referrals.models import Referral
from jobbtorg.utils.listing import sort_order, sorted_page

SORTS = {"due": ("plan_due_date",), "received": ("referral_date", "-created_at")}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("due", ("due", False, ["plan_due_date", "pk"])),
        ("-due", ("due", True, ["-plan_due_date", "pk"])),
        ("-received", ("received", True, ["-referral_date", "created_at", "pk"])),
        ("", ("received", False, ["referral_date", "-created_at", "pk"])),
        ("participant__personal_number", ("received", False, ["referral_date", "-created_at", "pk"])),
        ("--due", ("received", False, ["referral_date", "-created_at", "pk"])),
        ("-", ("received", False, ["referral_date", "-created_at", "pk"])),
    ],
)
def test_only_whitelisted_keys_sort(raw, expected):
    assert sort_order(raw, sorts=SORTS, default="received") == expected


def test_a_default_outside_the_whitelist_is_a_programming_error():
    with pytest.raises(ValueError):
        sort_order("", sorts=SORTS, default="name")


@pytest.mark.parametrize("page", ["", "x", "0", "-1", "99999999999999999999", "2"])
def test_any_page_number_gives_a_page(db, page):
    request = RequestFactory().get("/", {"page": page, "sort": "-due"})
    listing = sorted_page(request, Referral.objects.all(), sorts=SORTS, default="received", per_page=2)
    assert listing.page.number == 1 and listing.sort_param == "-due"
