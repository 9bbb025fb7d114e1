"""`{% sort_header listing "key" label %}` and `{% pager page %}`: the sortable column header and the pager
of every long list (utils.listing), drawn from one template each so that all lists page and sort alike."""

from django import template
from django.utils.html import format_html

from jobbtorg.utils.listing import SORT_PARAM

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, listing, key: str, label) -> dict:
    """A column header whose link sorts by `key` (ascending first; the sorted column flips), keeping the
    other parameters of the URL (the filters) and going back to the first page."""
    current = listing.sort == key
    return {
        "request": context.get("request"),
        "label": label,
        "current": current,
        "descending": current and listing.descending,
        "next_sort": f"-{key}" if current and not listing.descending else key,
    }


@register.inclusion_tag("includes/pager.html", takes_context=True)
def pager(context, page) -> dict:
    """Previous / page n of m / next, keeping the other parameters of the URL (filters and sort)."""
    return {"request": context.get("request"), "page": page}


@register.simple_tag(takes_context=True)
def keep_sort(context, listing) -> str:
    """Inside a list's filter form: a hidden `sort` field, so that filtering keeps the order chosen."""
    request = context.get("request")
    if request is None or SORT_PARAM not in request.GET:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', SORT_PARAM, listing.sort_param)
