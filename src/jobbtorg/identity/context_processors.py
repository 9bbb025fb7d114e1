from django.conf import settings

from . import oidc


def sign_in(request):
    """Which ways of signing in the login page offers; for a signed-in user, the idle timeout the page warns
    before (static/jobbtorg/session.js). An error page for a request refused before authentication (a body
    over the limit) has no user."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"session_idle_seconds": settings.JOBBTORG_SESSION_IDLE_MINUTES * 60}
    return {
        "sign_in_eid": oidc.enabled(oidc.EID),
        "sign_in_staff": oidc.enabled(oidc.STAFF),
        "sign_in_password": settings.JOBBTORG_STAFF_PASSWORD_SIGN_IN
        or settings.JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN,
    }
