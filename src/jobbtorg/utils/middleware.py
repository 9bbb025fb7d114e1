import logging
import os

from django.db import InterfaceError, OperationalError, connections

from . import request_id
from .error_pages import identity_number_in_url, invalid_input, is_api
from .input_checks import problems_in_pairs
from .personal_numbers import in_url

logger = logging.getLogger(__name__)


class RequestId:
    """Give the request its id (`utils.request_id`): kept from the proxy's `X-Request-ID` when plain, else
    new; bound for the log records made while the request runs, and returned in `X-Request-ID`. First in
    MIDDLEWARE, so every other middleware's records carry it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id.from_header(request.headers.get("X-Request-ID"))
        token = request_id.bind(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.unbind(token)
        response["X-Request-ID"] = request.request_id
        return response


class SwedishUnlessChosen:
    """The UI is Swedish unless the user picks another language with the language switch (a cookie).

    The browser's Accept-Language is ignored: staff on an English-language browser still get the
    municipality's language by default. Runs just before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseUnsafeAddresses:
    """Two checks on every request before anything else reads it.

    A personal identity number never travels in an address: a request whose path or query string holds a
    valid one (typed in the address bar, or a name search given a number) gets a 400 page that does not echo
    it, before any redirect could carry it on in `next=` (login, two-factor) or `APPEND_SLASH`. Access logs
    redact addresses separately (`gunicorn.conf.py`, `utils.logging.RedactRequestLine`).

    A NUL character in the path, the query or a posted form value is a 400 naming the field (PostgreSQL
    refuses NUL in text; that was a 500). The API's bodies are checked by its parsers (`utils.api`).
    Both answer JSON under /api/. Runs before CommonMiddleware and the authentication redirects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if in_url(request.path, query):
            return identity_number_in_url(request)
        pairs = [("path", request.path), *((k, v) for k, values in request.GET.lists() for v in values)]
        if request.method == "POST" and not is_api(request) and _is_form(request):
            pairs += [(k, v) for k, values in request.POST.lists() for v in values]
        problems = problems_in_pairs(pairs)
        if problems:
            return invalid_input(request, problems)
        return self.get_response(request)


def _is_form(request) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


class RetryGetOnLostConnection:
    """A GET or HEAD whose database connection was lost while the view ran (a restart, a failover,
    `pg_terminate_backend`) is run once more on a fresh connection instead of answering 500. Connections lost
    between requests are already replaced by CONN_HEALTH_CHECKS; this covers the ones lost mid-request.
    Only reads are retried, and only when a connection really is unusable afterwards (not for other database
    errors); a second failure is a 500 as before. Measured by bench/lost_connections.py."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = os.environ.get("JOBBTORG_RETRY_LOST_CONNECTION", "1") == "1"

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (
            self.enabled
            and request.method in ("GET", "HEAD")
            and isinstance(exception, OperationalError | InterfaceError)
            and request.resolver_match is not None
            and not getattr(request, "_retried_lost_connection", False)
        ):
            return None
        lost = [
            c
            for c in connections.all(initialized_only=True)
            if c.connection is not None and not c.is_usable()
        ]
        if not lost or any(c.in_atomic_block for c in lost):
            return None
        for conn in lost:
            conn.close()
        request._retried_lost_connection = True
        match = request.resolver_match
        logger.warning("Database connection lost during %s; retrying once", request.method)
        return match.func(request, *match.args, **match.kwargs)
