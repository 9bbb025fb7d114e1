"""Session limits for social-services data: an idle timeout and an absolute lifetime (settings
JOBBTORG_SESSION_IDLE_MINUTES, JOBBTORG_SESSION_MAX_HOURS). After either the session ends and the next page
asks to sign in again; pages warn before the idle timeout (static/jobbtorg/session.js, keepalive view).
Also puts the session's sign-in on the request context for the read log (utils.sign_in)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jobbtorg.utils.sign_in import current_sign_in_set

from .constants import LAST_SEEN, STARTED
from .services import SESSION_SIGN_IN

# The last-seen time is written at most this often (seconds), not on every request.
LAST_SEEN_RESOLUTION = 30


def idle_seconds() -> int:
    return int(settings.JOBBTORG_SESSION_IDLE_MINUTES * 60)


def max_seconds() -> int:
    return int(settings.JOBBTORG_SESSION_MAX_HOURS * 3600)


class SessionLimits:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        current_sign_in_set(None)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            if now - last_seen > idle_seconds() or now - started > max_seconds():
                return self._ended(request, idle=now - last_seen > idle_seconds())
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
                session[LAST_SEEN] = now
            current_sign_in_set(session.get(SESSION_SIGN_IN))
        return self.get_response(request)

    @staticmethod
    def _ended(request, *, idle: bool):
        logout(request)
        message = (
            _("You were signed out after %(minutes)d minutes without activity. Sign in again.")
            % {"minutes": settings.JOBBTORG_SESSION_IDLE_MINUTES}
            if idle
            else _("You were signed out: a session lasts at most %(hours)d hours. Sign in again.")
            % {"hours": settings.JOBBTORG_SESSION_MAX_HOURS}
        )
        if request.path.startswith("/api/") or request.headers.get("HX-Request"):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
