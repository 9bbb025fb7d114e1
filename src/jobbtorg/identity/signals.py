"""Every sign-in is logged (SignInLog): a password sign-in when Django logs the user in, e-ID and single
sign-on with the method and level of assurance their views put on the request, the authenticator-app step
as a row of its own after the password."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from jobbtorg.accounts.signals import second_factor_verified
from jobbtorg.utils.sign_in import current_sign_in_set

from .constants import LAST_SEEN, STARTED, SignInMethod
from .services import sign_in_record

REQUEST_ATTRIBUTE = "jobbtorg_sign_in"  # (method, assurance), set by the OIDC views before login()


@receiver(user_logged_in, dispatch_uid="jobbtorg_sign_in_log")
def _logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    method, assurance = getattr(request, REQUEST_ATTRIBUTE, (SignInMethod.PASSWORD, ""))
    entry = sign_in_record(request=request, user=user, method=method, assurance=assurance)
    request.session[STARTED] = request.session[LAST_SEEN] = time.time()
    current_sign_in_set(entry.pk)


@receiver(second_factor_verified, dispatch_uid="jobbtorg_sign_in_log_totp")
def _second_factor(sender, request, user, **kwargs):
    entry = sign_in_record(request=request, user=user, method=SignInMethod.TOTP, assurance="password+totp")
    current_sign_in_set(entry.pk)
