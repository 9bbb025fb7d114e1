"""{% load languages %}: language codes as names ({{ codes|language_names }} → "somaliska, tigrinska")."""

from django import template

from jobbtorg.utils import languages

register = template.Library()


@register.filter
def language_names(codes) -> str:
    """A list of language codes (or one code) as names in the UI language, joined with commas."""
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(languages.language_names(codes))
