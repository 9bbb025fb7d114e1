"""The error pages: 400, 403, 404, 500 and the CSRF failure, in Swedish (the user's language) and in the
product's layout, with the way back. Under `/api/` every error is JSON instead, the 400 for an oversized body
and any 500 included.

A 500 shows a reference that is also in the log record of that error (`utils.logging.ErrorReference`), so
that support can find the traceback from what the user reads out. The 500 page is rendered without the
request's context processors: the error may be that the database is gone.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from . import request_id
from .personal_numbers import in_url

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_reference(request) -> str:
    """The reference of this request's error: its request id (`utils.request_id`, set by the `RequestId`
    middleware; a new one only if the middleware did not run), so that the page, the `X-Request-ID` header
    and the log record of the traceback name the same."""
    if not getattr(request, "request_id", None):
        request.request_id = request_id.current() or request_id.new_id()
    request.error_reference = request.request_id
    return request.error_reference


def _page(request, *, status: int, title: str, message: str, with_request: bool = True, **extra):
    context = {"status": status, "title": title, "message": message, **extra}
    template = loader.get_template("errors/error.html")
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        message = _("The request is too large.")
    else:
        message = _(
            "The request could not be understood. Check the address and what you sent, and try again."
        )
    if is_api(request):
        return JsonResponse({"detail": message, "code": "bad_request"}, status=400)
    return _page(request, status=400, title=_("Bad request"), message=message)


@requires_csrf_token
def permission_denied(request, exception=None):
    if is_api(request):
        return JsonResponse(
            {"detail": _("You do not have permission to do this."), "code": "permission_denied"}, status=403
        )
    return _page(
        request,
        status=403,
        title=_("No access"),
        message=_("Your role does not give access to this page. Ask your unit head if you think it should."),
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return _page(
        request,
        status=404,
        title=_("Page not found"),
        message=_("The page does not exist, or it is not visible to you. Check the address or start again."),
    )


def server_error(request):
    reference = error_reference(request)
    message = _(
        "Something went wrong on our side. Try again in a moment; if it happens again, give support the "
        "reference below."
    )
    if is_api(request):
        return JsonResponse({"detail": message, "code": "server_error", "reference": reference}, status=500)
    return _page(
        request,
        status=500,
        title=_("Something went wrong"),
        message=message,
        reference=reference,
        with_request=False,
    )


def csrf_failure(request, reason=""):
    """`CSRF_FAILURE_VIEW`: usually a form left open past the session, or cookies blocked."""
    message = _(
        "The form had expired or your browser did not send its security cookie. Go back, reload the page "
        "and try again."
    )
    if is_api(request):
        return JsonResponse({"detail": message, "code": "csrf_failed"}, status=403)
    return _page(request, status=403, title=_("The form could not be sent"), message=message)


def identity_number_in_url(request):
    """The answer to an address holding a personal identity number (`RefuseUnsafeAddresses`); the
    number is not repeated, and the way on is the page without its query string when the path is clean."""
    message = _(
        "The address contained a personal identity number. Identity numbers are never written in "
        "addresses: find a person with the identity number form on the search page."
    )
    if is_api(request):
        return JsonResponse({"detail": message, "code": "personal_number_in_url"}, status=400)
    path = request.path
    safe = path.startswith("/") and not path.startswith(("//", "/\\")) and not in_url(path, "")
    clean_path = path if safe else None
    return _page(
        request,
        status=400,
        title=_("Bad request"),
        message=message,
        continue_to=clean_path,
        with_request=False,
    )


def invalid_input(request, problems: dict[str, list[str]]):
    """A 400 for input refused before any view saw it (`RefuseUnsafeAddresses`): the API's field errors, or
    the error page listing them."""
    if is_api(request):
        return JsonResponse(problems, status=400)
    message = " ".join(f"{field}: {' '.join(messages)}" for field, messages in problems.items())
    return _page(request, status=400, title=_("Bad request"), message=message, with_request=False)
