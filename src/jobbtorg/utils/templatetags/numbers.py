"""`{{ share|percent }}`: a share (0–1) as a percentage with one decimal, localised (14,8 in Swedish).

Django's `widthratio` rounds its third argument to an integer: `{% widthratio x 0.001 0.1 %}` gave 0."""

from django import template
from django.template.defaultfilters import floatformat

from jobbtorg.utils.numbers import percent as as_percent

register = template.Library()


@register.filter
def percent(fraction):
    value = as_percent(fraction)
    return "–" if value is None else floatformat(value, 1)
