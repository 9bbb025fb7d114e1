"""The API's request parsers: DRF's defaults with the checks of `utils.input_checks` — a NUL character in any
value or key, and JSON nested too deeply, are a 400 with the field named, before any serializer or service
sees the data.

A module of its own because DRF imports the parser classes named in `DEFAULT_PARSER_CLASSES` while
`rest_framework.views` is being imported; `utils.api` imports that module, so the parsers cannot live there.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from .input_checks import problems_in_data, problems_in_pairs


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from exc
        problems = problems_in_data(data)
        if problems:
            raise exceptions.ValidationError(problems)
        return data


def _checked_form(data):
    problems = problems_in_pairs((key, value) for key, values in data.lists() for value in values)
    if problems:
        raise exceptions.ValidationError(problems)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _checked_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _checked_form(result.data)
        return result
