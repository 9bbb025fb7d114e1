"""Sign-in with e-ID (participants) and single sign-on (staff) through OpenID Connect; the pages that say
plainly why a sign-in was refused; the session keepalive."""

import time

from django.contrib.auth import login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jobbtorg.accounts.constants import END_SESSION_URL_KEY, IDP_MFA_SESSION_KEY

from . import oidc
from .constants import LAST_SEEN, STARTED, SignInMethod
from .middleware import idle_seconds, max_seconds
from .services import SignInRefused, assurance_of, participant_from_eid, staff_from_sso
from .signals import REQUEST_ATTRIBUTE

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _start(request, name: str, callback: str, **params):
    if not oidc.enabled(name):
        raise Http404
    redirect_uri = request.build_absolute_uri(reverse(callback))
    return oidc.client(name).authorize_redirect(request, redirect_uri, **params)


@require_GET
def eid_start(request):
    accepted = oidc.config(oidc.EID).get("acr_values") or []
    params = {"acr_values": " ".join(accepted)} if accepted else {}
    return _start(request, oidc.EID, "identity:eid_callback", **params)


@require_GET
def staff_start(request):
    return _start(request, oidc.STAFF, "identity:staff_callback")


def _refused(request, reason: str, audience: str):
    return render(request, "identity/refused.html", {"reason": reason, "audience": audience}, status=403)


def _claims(request, name: str) -> dict | None:
    if not oidc.enabled(name):
        raise Http404
    return oidc.claims_of(name, request)


def _signed_in(request, user, *, name: str, method: str, claims: dict):
    setattr(request, REQUEST_ATTRIBUTE, (method, assurance_of(claims)))  # for the sign-in log (signals.py)
    login(request, user, backend=BACKEND)
    end_session = oidc.end_session_url(
        name,
        id_token=claims.get("_id_token", ""),
        return_to=request.build_absolute_uri(reverse("accounts:login")),
    )
    if end_session:
        request.session[END_SESSION_URL_KEY] = end_session


@require_GET
def eid_callback(request):
    claims = _claims(request, oidc.EID)
    if claims is None:
        return _refused(request, "failed", "participant")
    try:
        user = participant_from_eid(claims=claims)
    except SignInRefused as refusal:
        return _refused(request, refusal.reason, "participant")
    _signed_in(request, user, name=oidc.EID, method=SignInMethod.EID, claims=claims)
    return redirect("portal:home")


@require_GET
def staff_callback(request):
    claims = _claims(request, oidc.STAFF)
    if claims is None:
        return _refused(request, "failed", "staff")
    try:
        user, mfa = staff_from_sso(claims=claims)
    except SignInRefused as refusal:
        return _refused(request, refusal.reason, "staff")
    _signed_in(request, user, name=oidc.STAFF, method=SignInMethod.SSO, claims=claims)
    if mfa:
        request.session[IDP_MFA_SESSION_KEY] = True  # the IdP's MFA stands for our TOTP step
    return redirect("accounts:home")


@require_POST
def keepalive(request):
    """The "stay signed in" button of the expiry warning: the request itself counts as activity
    (middleware.SessionLimits); answers how long the session now has (idle, and at most)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "signed out"}, status=401)
    started = request.session.get(STARTED, time.time())
    request.session[LAST_SEEN] = time.time()
    left = min(idle_seconds(), max_seconds() - (time.time() - started))
    return JsonResponse({"seconds_left": int(max(0, left))})
