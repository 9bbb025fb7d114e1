"""Paging and sorting of the long staff lists, kept in the URL (issue 16): `?sort=-due&page=3` next to the
list's own filters, so a list keeps its filter and order when it is paged, bookmarked or shared.

A view names the columns that may be sorted and the fields each sorts by (a whitelist: any other `sort` is
ignored and the default order used), and gets one page back:

    listing = sorted_page(request, referrals, sorts=REFERRAL_SORTS, default="-received")

The templates draw the headers and the pager with `{% load listing %}`: `{% sort_header listing "due" x %}`
and `{% pager listing.page %}` (templates/includes/sort_header.html, pager.html). A page number that is not
a number or is out of range gives the first or the last page, never an error."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

SORT_PARAM = "sort"
PAGE_PARAM = "page"
DEFAULT_PER_PAGE = 25


@dataclass(frozen=True)
class Listing:
    page: Page
    sort: str  # the key of the column sorted by
    descending: bool

    @property
    def sort_param(self) -> str:
        return f"-{self.sort}" if self.descending else self.sort


def _parse(raw: str, sorts: Mapping[str, Sequence[str]]) -> tuple[str, bool] | None:
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    return (key, descending) if key in sorts else None


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def sort_order(
    raw: str, *, sorts: Mapping[str, Sequence[str]], default: str, tiebreak: Sequence[str] = ("pk",)
) -> tuple[str, bool, list[str]]:
    """The (key, descending, order_by fields) that `raw` asks for, or the default's when `raw` is not one of
    the whitelisted keys (with or without a leading minus)."""
    key, descending = _parse(raw or "", sorts) or _parse(default, sorts) or (None, False)
    if key is None:
        raise ValueError(f"the default sort {default!r} is not one of {sorted(sorts)}")
    fields = [_flip(f) if descending else f for f in sorts[key]]
    return key, descending, fields + [f for f in tiebreak if f not in fields]


def sorted_page(
    request,
    queryset: QuerySet,
    *,
    sorts: Mapping[str, Sequence[str]],
    default: str,
    per_page: int = DEFAULT_PER_PAGE,
    tiebreak: Sequence[str] = ("pk",),
) -> Listing:
    """One page of `queryset`, ordered by the request's `sort` if whitelisted in `sorts` (key → fields),
    else by `default`; the last field(s) of `tiebreak` make the order total so pages never overlap."""
    key, descending, order = sort_order(
        request.GET.get(SORT_PARAM, ""), sorts=sorts, default=default, tiebreak=tiebreak
    )
    page = Paginator(queryset.order_by(*order), per_page).get_page(request.GET.get(PAGE_PARAM))
    return Listing(page=page, sort=key, descending=descending)
