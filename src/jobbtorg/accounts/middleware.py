"""Two-factor authentication for staff (django-otp, TOTP), enforced when `JOBBTORG_REQUIRE_2FA` is true; the
language of a signed-in user's pages."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from jobbtorg.utils.languages import PARTICIPANT_LANGUAGES, STAFF_LANGUAGES

from .constants import IDP_MFA_SESSION_KEY, Role

# Pages a signed-in but not yet verified staff member may still open.
OPEN_URL_NAMES = ("accounts:otp_setup", "accounts:otp_verify", "accounts:logout", "set_language")


def needs_second_factor(user) -> bool:
    """Staff (every role but the participant, whose login becomes BankID) must verify a second factor."""
    return (
        getattr(settings, "JOBBTORG_REQUIRE_2FA", False)
        and user.is_authenticated
        and user.role != Role.PARTICIPANT
        and not user.is_verified()
    )


class RequireTwoFactor:
    """After the password, staff are sent to enter a code (or to enrol an authenticator app first). The API
    answers 403 to a session that is not verified; API tokens are for integrations (docs/security.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            needs_second_factor(request.user)
            and not request.session.get(IDP_MFA_SESSION_KEY)
            and not self._open(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor authentication is required."}, status=403)
            from .twofactor import has_device

            target = "accounts:otp_verify" if has_device(request.user) else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(f"/{settings.STATIC_URL.strip('/')}/") or any(
            path == reverse(name) for name in OPEN_URL_NAMES
        )


class LanguageForRole:
    """Which language a signed-in user's pages speak (after LocaleMiddleware and authentication).

    A participant's pages speak the language chosen on this device (the language cookie, set by the header's
    switch; choosing while signed in also stores it on the record, and so does signing in after choosing on
    the sign-in page), else the language stored on their record (`Participant.language`, which the coach may
    have set). Staff pages speak Swedish or English only: a staff member whose cookie names a
    participant-only language (e.g. after a shared computer) gets Swedish. Visitors who are not signed in
    (sign-in pages, the accessibility statement) may use every participant language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._language(request)
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _language(request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_participant:
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in PARTICIPANT_LANGUAGES:
                return None  # LocaleMiddleware has activated it
            return user.participant.language
        if translation.get_language() not in STAFF_LANGUAGES:
            return settings.LANGUAGE_CODE
        return None
