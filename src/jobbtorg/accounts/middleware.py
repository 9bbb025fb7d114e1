"""Two-factor authentication for staff (django-otp, TOTP), enforced when `JOBBTORG_REQUIRE_2FA` is true."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

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
