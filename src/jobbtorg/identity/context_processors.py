from django.conf import settings

from . import oidc


def sign_in(request):
    """Which ways of signing in the login page offers."""
    if request.user.is_authenticated:
        return {}
    return {
        "sign_in_eid": oidc.enabled(oidc.EID),
        "sign_in_staff": oidc.enabled(oidc.STAFF),
        "sign_in_password": settings.JOBBTORG_STAFF_PASSWORD_SIGN_IN
        or settings.JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN,
    }
