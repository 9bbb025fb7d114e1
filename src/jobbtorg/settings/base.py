"""Settings shared by every environment. Values come from the environment with safe development defaults."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "jobbtorg.accounts",
    "jobbtorg.participants",
    "jobbtorg.referrals",
    "jobbtorg.providers",
    "jobbtorg.interventions",
    "jobbtorg.plans",
    "jobbtorg.attendance",
    "jobbtorg.integrations",
    "jobbtorg.portal",
    "jobbtorg.demo",
    "jobbtorg.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobbtorg.utils.middleware.SwedishUnlessChosen",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jobbtorg.urls"
WSGI_APPLICATION = "jobbtorg.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobbtorg.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait for each other instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "static"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "jobbtorg.utils.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Jobbtorg API",
    "DESCRIPTION": (
        "Referrals, participants, mapping and action plans of a municipal labour-market unit. "
        "Every read of a person's record is logged. Personal identity numbers are never part of a URL."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "jobbtorg.referrals.constants.ReferralStatus",
        "PlanStatusEnum": "jobbtorg.plans.constants.PlanStatus",
        "PlanVersionStatusEnum": "jobbtorg.plans.constants.VersionStatus",
        "ConsentStatusEnum": "jobbtorg.participants.constants.ConsentStatus",
        "TargetGroupEnum": "jobbtorg.participants.constants.TargetGroup",
        "CloseReasonEnum": "jobbtorg.referrals.constants.CloseReason",
        "ProviderKindEnum": "jobbtorg.providers.constants.ProviderKind",
        "ApplicationStatusEnum": "jobbtorg.providers.constants.ApplicationStatus",
        "AuthorisationEventKindEnum": "jobbtorg.providers.constants.AuthorisationEventKind",
        "ChoiceStatusEnum": "jobbtorg.providers.constants.ChoiceStatus",
        "BookingStatusEnum": "jobbtorg.interventions.constants.BookingStatus",
        "AttendanceStatusEnum": "jobbtorg.attendance.constants.AttendanceStatus",
        "AttendanceEventKindEnum": "jobbtorg.attendance.constants.EventKind",
        "NoticeKindEnum": "jobbtorg.attendance.constants.NoticeKind",
        "AppointmentKindEnum": "jobbtorg.attendance.constants.AppointmentKind",
        "OtherPlanKindEnum": "jobbtorg.plans.constants.OtherPlanKind",
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jobbtorg@example.org")

# Domain settings
JOBBTORG_PLAN_DEADLINE_WORKING_DAYS = 5
# Customer choice: days a person has to choose a provider before the default provider is assigned, and the
# smallest number of finished participants for which a provider's results are shown.
JOBBTORG_CHOICE_DAYS = int(os.environ.get("JOBBTORG_CHOICE_DAYS", "14"))
JOBBTORG_COMPARISON_MIN_COUNT = int(os.environ.get("JOBBTORG_COMPARISON_MIN_COUNT", "10"))
JOBBTORG_MESSAGE_SENDERS = {
    "email": "jobbtorg.integrations.messaging.EmailSender",
    "sms": os.environ.get("JOBBTORG_SMS_SENDER", "jobbtorg.integrations.messaging.LogSmsSender"),
}
JOBBTORG_BASE_URL = os.environ.get("JOBBTORG_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_pii": {"()": "jobbtorg.utils.logging.RedactPersonalNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_pii"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
