from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What an integration account's API token may do. An endpoint names the scope it accepts
    (`token_scope` on the view); every other endpoint refuses tokens (identity.authentication)."""

    ASSISTANCE_IMPORT = "assistance_import", _("Assistance import (economic-assistance system)")
    ATTENDANCE_REPORT = "attendance_report", _("Attendance report (a provider's system)")


class SignInMethod(models.TextChoices):
    PASSWORD = "password", _("Password")
    TOTP = "totp", _("Password and authenticator app")
    EID = "eid", _("e-ID")
    SSO = "sso", _("Single sign-on")
    TOKEN = "token", _("Integration token")


# Session keys of the session limits (middleware.SessionLimits): when the session began and was last used.
STARTED, LAST_SEEN = "jobbtorg_started", "jobbtorg_last_seen"
