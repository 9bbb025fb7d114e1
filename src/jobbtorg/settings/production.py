"""Production settings: everything secret or host-specific must come from the environment.

`DJANGO_SETTINGS_MODULE=jobbtorg.settings.production manage.py check --deploy` is clean (tests/security)."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
if not ALLOWED_HOSTS:  # noqa: F405
    raise RuntimeError("Set DJANGO_ALLOWED_HOSTS (comma-separated host names) in production.")
# Background work goes to a real queue: a broker is required (eager tasks would run inside web requests).
if not os.environ.get("CELERY_BROKER_URL"):
    raise RuntimeError("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) in production.")
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
# JSON log lines for the log collector (LOG_FORMAT=text for reading by eye).
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".")]  # noqa: F405
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
if os.environ.get("DJANGO_BEHIND_PROXY", "0") == "1":  # TLS ends at the municipality's reverse proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
JOBBTORG_REQUIRE_2FA = os.environ.get("JOBBTORG_REQUIRE_2FA", "1") == "1"
# Where OIDC is configured, nobody signs in with a password the product keeps (issue 13); set the variable
# to 1 to keep passwords beside it during a migration.
JOBBTORG_STAFF_PASSWORD_SIGN_IN = (
    os.environ.get(
        "JOBBTORG_STAFF_PASSWORD_SIGN_IN",
        "0" if JOBBTORG_OIDC["staff"]["issuer"] else "1",  # noqa: F405
    )
    == "1"
)
JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN = (
    os.environ.get(
        "JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN",
        "0" if JOBBTORG_OIDC["eid"]["issuer"] else "1",  # noqa: F405
    )
    == "1"
)
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405  (local disk or S3-compatible, settings/base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
