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
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "jobbtorg.accounts",
    "jobbtorg.identity",
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
    "jobbtorg.privacy",
    "jobbtorg.followup",
    "jobbtorg.journal",
    "jobbtorg.documents",
    "jobbtorg.payments",
    "jobbtorg.taxonomy",
    "jobbtorg.matching",
    "jobbtorg.reporting",
    "jobbtorg.caseloads",
    "jobbtorg.partners",
    "jobbtorg.background",
    "django_celery_beat",
]

MIDDLEWARE = [
    "jobbtorg.utils.middleware.RequestId",  # first: every record of the request carries its id
    "jobbtorg.utils.metrics.RequestMetrics",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobbtorg.utils.middleware.SwedishUnlessChosen",
    "django.middleware.locale.LocaleMiddleware",
    "jobbtorg.utils.middleware.RefuseUnsafeAddresses",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jobbtorg.accounts.middleware.LanguageForRole",  # participants: their record's language; staff: sv/en
    "django.contrib.messages.middleware.MessageMiddleware",
    "jobbtorg.identity.middleware.SessionLimits",  # idle timeout and lifetime (with a message): before 2FA
    "jobbtorg.accounts.middleware.RequireTwoFactor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jobbtorg.utils.middleware.RetryGetOnLostConnection",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "jobbtorg.urls"
WSGI_APPLICATION = "jobbtorg.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
CSRF_FAILURE_VIEW = "jobbtorg.utils.error_pages.csrf_failure"
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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobbtorg.accounts.context_processors.navigation",
                "jobbtorg.accounts.context_processors.language_switch",
                "jobbtorg.identity.context_processors.sign_in",
            ],
            # {% load perms %}{% can "<app>.<perms function>" obj as var %}: utils is not an installed app.
            "libraries": {
                "perms": "jobbtorg.utils.templatetags.perms",
                "numbers": "jobbtorg.utils.templatetags.numbers",
                "listing": "jobbtorg.utils.templatetags.listing",
                "languages": "jobbtorg.utils.templatetags.languages",
            },
        },
    },
]

# Persistent connections are checked before a request reuses them (CONN_HEALTH_CHECKS): a connection that the
# database closed (restart, failover, pg_terminate_backend) is replaced instead of giving that request a 500.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=os.environ.get("DB_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait for each other instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's cost of a random page read. PostgreSQL's default (4) assumes spinning disks; on SSDs and a
    # warm cache 1.1 is the usual setting. With 4 the planner read all 145,000 action plans to join the few
    # hundred of a coach's unit on the worklist (docs/scaling.md, issue 15). Set DB_RANDOM_PAGE_COST to
    # override, e.g. when the server's own postgresql.conf is tuned.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={os.environ.get('DB_RANDOM_PAGE_COST', '1.1')}"
    )
if os.environ.get("REPORTING_DATABASE_URL"):
    # A read replica for dashboards, indicator exports and research extracts (jobbtorg.utils.db); the tests
    # read the primary through it.
    DATABASES["reporting"] = dj_database_url.parse(
        os.environ["REPORTING_DATABASE_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=os.environ.get("DB_CONN_HEALTH_CHECKS", "1") == "1",
    )
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["reporting"]["ENGINE"] == "django.db.backends.postgresql":
        planner = DATABASES["default"]["OPTIONS"]["options"]
        DATABASES["reporting"].setdefault("OPTIONS", {})["options"] = planner
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
# Staff pages: Swedish and English. The participant's side speaks all of these (jobbtorg.utils.languages,
# docs/translations.md); accounts.middleware.LanguageForRole keeps staff on sv/en.
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("sv-x-easy", _("Easy-to-read Swedish")),
    ("ar", _("Arabic")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("fa", _("Dari")),
]
# One folder: sv and en are the full (staff) catalogues; sv_X-easy, ar, so, ti and fa hold only the
# participant-facing strings (`manage.py participant_messages`, docs/translations.md). gettext falls back
# from sv_X-easy to sv, and Django from any language to LANGUAGE_CODE, for a string a catalogue lacks.
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "static"]
# Files the application writes (background jobs' uploads and results): never served directly, only through
# views that check who asks (background.views).
MEDIA_ROOT = Path(os.environ.get("JOBBTORG_MEDIA_ROOT", BASE_DIR / "media"))
# Where files are stored (documents on a case, background jobs' files): local disk under MEDIA_ROOT by
# default; S3-compatible object storage (django-storages) with JOBBTORG_STORAGE=s3 and the JOBBTORG_S3_*
# variables (docs/operations.md). Never a public URL: files are read through views that check who asks.
if os.environ.get("JOBBTORG_STORAGE", "local") == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("JOBBTORG_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("JOBBTORG_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("JOBBTORG_S3_REGION") or None,
            "access_key": os.environ.get("JOBBTORG_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("JOBBTORG_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": os.environ.get("JOBBTORG_S3_SSE", "AES256")},
        },
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Documents on a case (jobbtorg.documents): the largest file accepted, and the virus-scan hook (a dotted path
# to a callable; the default scans nothing and says so — jobbtorg.documents.scanning).
JOBBTORG_DOCUMENT_MAX_BYTES = int(os.environ.get("JOBBTORG_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
JOBBTORG_DOCUMENT_SCANNER = os.environ.get("JOBBTORG_DOCUMENT_SCANNER", "jobbtorg.documents.scanning.no_scan")
JOBBTORG_CLAMD_SOCKET = os.environ.get("JOBBTORG_CLAMD_SOCKET", "")
JOBBTORG_CLAMD_ADDRESS = os.environ.get("JOBBTORG_CLAMD_ADDRESS", "")

SESSION_COOKIE_HTTPONLY = True
# Social-services defaults: signed out after 30 minutes without activity, and after 10 hours in any case
# (jobbtorg.identity.middleware; pages warn two minutes before).
JOBBTORG_SESSION_IDLE_MINUTES = int(os.environ.get("JOBBTORG_SESSION_IDLE_MINUTES", "30"))
JOBBTORG_SESSION_MAX_HOURS = int(os.environ.get("JOBBTORG_SESSION_MAX_HOURS", "10"))
SESSION_COOKIE_AGE = JOBBTORG_SESSION_MAX_HOURS * 60 * 60
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    # An integration account's token (scoped per endpoint, jobbtorg.identity.authentication) wins; else the
    # browser session (with CSRF) of a signed-in person. Staff have no tokens.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jobbtorg.identity.authentication.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "jobbtorg.utils.api.exception_handler",
    # DRF's parsers plus a check for NUL characters and too deeply nested JSON (a 400, never a 500).
    "DEFAULT_PARSER_CLASSES": [
        "jobbtorg.utils.parsers.JSONParser",
        "jobbtorg.utils.parsers.FormParser",
        "jobbtorg.utils.parsers.MultiPartParser",
    ],
    # No OPTIONS metadata (405): the schema documents the API, and DRF's metadata crashed on views without a
    # queryset (found by the fuzzing in tests/security).
    "DEFAULT_METADATA_CLASS": None,
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
        "JournalEntryKindEnum": "jobbtorg.journal.constants.EntryKind",
        "ValidReasonEnum": "jobbtorg.attendance.constants.ValidReason",
        "AttendanceEventKindEnum": "jobbtorg.attendance.constants.EventKind",
        "NoticeKindEnum": "jobbtorg.attendance.constants.NoticeKind",
        "AppointmentKindEnum": "jobbtorg.attendance.constants.AppointmentKind",
        "OtherPlanKindEnum": "jobbtorg.plans.constants.OtherPlanKind",
        "OtherPlanStatusEnum": "jobbtorg.plans.constants.OtherPlanStatus",
        "DocumentKindEnum": "jobbtorg.documents.constants.DocumentKind",
        "PartnerKindEnum": "jobbtorg.partners.constants.PartnerKind",
        "PartnerMeetingKindEnum": "jobbtorg.partners.constants.MeetingKind",
        "PartnerRequestKindEnum": "jobbtorg.partners.constants.RequestKind",
        "MatchStatusEnum": "jobbtorg.matching.constants.MatchStatus",
        "VacancyStatusEnum": "jobbtorg.matching.constants.VacancyStatus",
        "VacancyKindEnum": "jobbtorg.plans.constants.PlacementKind",
        "VacancyEmploymentFormEnum": "jobbtorg.matching.constants.EmploymentForm",
        "ExitReasonEnum": "jobbtorg.followup.constants.ExitReason",
        "ReferralSourceEnum": "jobbtorg.referrals.constants.ReferralSource",
        "CaseScopeEnum": "jobbtorg.referrals.constants.CaseScope",
        "ScopeEnum": "jobbtorg.participants.constants.ConsentScope",  # its name before CaseScope came
        "CoachChangeKindEnum": "jobbtorg.referrals.constants.CoachChangeKind",
        "ExitEmploymentFormEnum": "jobbtorg.followup.constants.EmploymentForm",
        "RuleKindEnum": "jobbtorg.payments.constants.RuleKind",
        "RuleOutcomeEnum": "jobbtorg.payments.constants.Outcome",
        "RunStatusEnum": "jobbtorg.payments.constants.RunStatus",
        "DisputeStatusEnum": "jobbtorg.payments.constants.DisputeStatus",
        "PaymentTierEnum": "jobbtorg.payments.constants.PaymentTier",
        "SendBackStatusEnum": "jobbtorg.referrals.constants.SendBackStatus",
        "SendBackReasonEnum": "jobbtorg.referrals.constants.SendBackReason",
        "VacancySourceEnum": "jobbtorg.matching.constants.VacancySource",
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
# Support in the first time in a job after an exit to work (followup.JobSupport): the default length.
JOBBTORG_JOB_SUPPORT_MONTHS = int(os.environ.get("JOBBTORG_JOB_SUPPORT_MONTHS", "6"))
# Key of the keyed hash (HMAC-SHA256) that replaces identity numbers in the research extract. Keep it secret
# and stable: the same person gets the same pseudonym in every extract made with it. Empty: no extract (DEBUG:
# a development key).
JOBBTORG_RESEARCH_KEY = os.environ.get("JOBBTORG_RESEARCH_KEY", "")
# Key indicators: the dashboard rebuilds a municipality's dirty rollups itself when the last rebuild took at
# most this many seconds; bigger municipalities wait for `refresh_indicators --dirty` (docs/indicators.md).
JOBBTORG_INDICATORS_INLINE_SECONDS = float(os.environ.get("JOBBTORG_INDICATORS_INLINE_SECONDS", "1.5"))
# Web workers run side by side: numeric libraries (the fair comparison's model fit) get one thread each
# instead of one per core in every worker, which is 3-4 times faster on a busy server. Set before numpy is
# first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
JOBBTORG_MESSAGE_SENDERS = {
    "email": "jobbtorg.integrations.messaging.EmailSender",
    "sms": os.environ.get("JOBBTORG_SMS_SENDER", "jobbtorg.integrations.messaging.LogSmsSender"),
}
JOBBTORG_BASE_URL = os.environ.get("JOBBTORG_BASE_URL", "http://127.0.0.1:8000")
# The SMS gateway (46elks, jobbtorg.integrations.sms; docs/integrations.md): switched on with
# JOBBTORG_SMS_SENDER=jobbtorg.integrations.messaging.GatewaySmsSender. The callback secret makes the
# delivery-report URL unguessable (empty: no delivery reports asked for).
JOBBTORG_SMS_46ELKS = {
    "BASE_URL": os.environ.get("JOBBTORG_46ELKS_URL", "https://api.46elks.com/a1"),
    "USERNAME": os.environ.get("JOBBTORG_46ELKS_USERNAME", ""),
    "PASSWORD": os.environ.get("JOBBTORG_46ELKS_PASSWORD", ""),
    "FROM": os.environ.get("JOBBTORG_SMS_FROM", "Jobbtorg"),
    "CALLBACK_SECRET": os.environ.get("JOBBTORG_46ELKS_CALLBACK_SECRET", ""),
    "TIMEOUT": float(os.environ.get("JOBBTORG_46ELKS_TIMEOUT", "10")),
}
# Vacancies from Platsbanken: JobTech's JobStream (jobbtorg.matching.jobtech; docs/integrations.md). The
# scheduled import runs for the municipalities whose codes are listed (comma-separated; empty: none).
JOBBTORG_JOBSTREAM = {
    "BASE_URL": os.environ.get("JOBBTORG_JOBSTREAM_URL", "https://jobstream.api.jobtechdev.se"),
    "API_KEY": os.environ.get("JOBBTORG_JOBSTREAM_API_KEY", ""),
    "TIMEOUT": float(os.environ.get("JOBBTORG_JOBSTREAM_TIMEOUT", "120")),
    "MUNICIPALITIES": [
        c.strip() for c in os.environ.get("JOBBTORG_JOBSTREAM_MUNICIPALITIES", "").split(",") if c.strip()
    ],
}
# The accessibility statement (/tillganglighet/): where people report an accessibility problem, and the
# date of the last review (lag (2018:1937) om tillgänglighet till digital offentlig service).
JOBBTORG_ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "JOBBTORG_ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@jobbtorg.example"
)
JOBBTORG_ACCESSIBILITY_CONTACT_PHONE = os.environ.get("JOBBTORG_ACCESSIBILITY_CONTACT_PHONE", "")
JOBBTORG_ACCESSIBILITY_REVIEWED = os.environ.get("JOBBTORG_ACCESSIBILITY_REVIEWED", "2026-12-07")

# Security and privacy (docs/security.md) -------------------------------------------------------------------
# Login guessing: django-axes counts failures per username and address together; after AXES_FAILURE_LIMIT
# the pair is locked for AXES_COOLOFF_TIME hours (another user, or the same user elsewhere, is not locked).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jobbtorg.accounts.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "personal_number"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # behind a proxy: set HTTP_X_FORWARDED_FOR first
# Two-factor authentication (TOTP, django-otp) for staff. On in production; off in dev, demo and tests so that
# the demo logins work (the enforced flow has tests of its own).
JOBBTORG_REQUIRE_2FA = os.environ.get("JOBBTORG_REQUIRE_2FA", "0") == "1"
OTP_TOTP_ISSUER = "Jobbtorg"
# Sign-in through OpenID Connect (jobbtorg.identity, docs/identity.md). A client is on when its issuer is set.
# eid: participants, through the municipality's e-ID broker (BankID, Freja eID+); staff: the municipality's
# identity provider (Entra ID, AD FS, …). Passwords stay for `make run`; production switches them off where
# OIDC is configured (JOBBTORG_*_PASSWORD_SIGN_IN).
JOBBTORG_OIDC = {
    "eid": {
        "issuer": os.environ.get("JOBBTORG_EID_ISSUER", ""),
        "client_id": os.environ.get("JOBBTORG_EID_CLIENT_ID", ""),
        "client_secret": os.environ.get("JOBBTORG_EID_CLIENT_SECRET", ""),
        "scope": os.environ.get("JOBBTORG_EID_SCOPE", "openid profile"),
        # The claim that carries the personal identity number differs between brokers.
        "pin_claim": os.environ.get("JOBBTORG_EID_PIN_CLAIM", "personal_identity_number"),
        # Accepted levels of assurance (acr), space-separated; anything else is refused. Default: LoA 3.
        "acr_values": os.environ.get(
            "JOBBTORG_EID_ACR_VALUES", "http://id.elegnamnden.se/loa/1.0/loa3"
        ).split(),
    },
    "staff": {
        "issuer": os.environ.get("JOBBTORG_SSO_ISSUER", ""),
        "client_id": os.environ.get("JOBBTORG_SSO_CLIENT_ID", ""),
        "client_secret": os.environ.get("JOBBTORG_SSO_CLIENT_SECRET", ""),
        "scope": os.environ.get("JOBBTORG_SSO_SCOPE", "openid profile email"),
        "groups_claim": os.environ.get("JOBBTORG_SSO_GROUPS_CLAIM", "groups"),
        # The IdP asserted multi-factor authentication when amr holds one of these, or acr is one of these:
        # then the product's own TOTP step is skipped.
        "mfa_amr": os.environ.get("JOBBTORG_SSO_MFA_AMR", "mfa otp hwk swk sms").split(),
        "mfa_acr": os.environ.get("JOBBTORG_SSO_MFA_ACR", "").split(),
    },
}
JOBBTORG_STAFF_PASSWORD_SIGN_IN = os.environ.get("JOBBTORG_STAFF_PASSWORD_SIGN_IN", "1") == "1"
JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN = os.environ.get("JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN", "1") == "1"
# Content-Security-Policy (Django's own middleware): only our own scripts, styles and images; HTMX comes from
# static files with the request's nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Unusual reads listed for unit heads: more than this many different people read by one user in the window.
JOBBTORG_UNUSUAL_READS_COUNT = int(os.environ.get("JOBBTORG_UNUSUAL_READS_COUNT", "30"))
JOBBTORG_UNUSUAL_READS_MINUTES = int(os.environ.get("JOBBTORG_UNUSUAL_READS_MINUTES", "10"))
# Retention (gallring), applied by `manage.py apply_retention` (docs/security.md): years after a case ended.
JOBBTORG_RETENTION = {
    "closed_case_years": int(os.environ.get("JOBBTORG_RETENTION_CASE_YEARS", "5")),  # SoL 12 kap. 2 §
    "read_log_years": int(os.environ.get("JOBBTORG_RETENTION_READ_LOG_YEARS", "2")),
    "login_attempt_days": int(os.environ.get("JOBBTORG_RETENTION_LOGIN_ATTEMPT_DAYS", "90")),
    # Kept for research and archived, never thinned: people born on these days of the month (SoL 12 kap. 2 §
    # second paragraph); `archive_all` for a municipality chosen to keep everything.
    "archive_birth_days": [5, 15, 25],
    "archive_all": os.environ.get("JOBBTORG_RETENTION_ARCHIVE_ALL", "0") == "1",
}

# Backups (manage.py backup, docs/operations.md): encrypted with age to these public keys (age1…, comma-
# separated); restore reads the private key from JOBBTORG_BACKUP_IDENTITY_FILE (keep it off this machine).
JOBBTORG_BACKUP_RECIPIENTS = [
    key.strip() for key in os.environ.get("JOBBTORG_BACKUP_RECIPIENTS", "").split(",") if key.strip()
]
JOBBTORG_BACKUP_IDENTITY_FILE = os.environ.get("JOBBTORG_BACKUP_IDENTITY_FILE", "")

# Background and scheduled work (jobbtorg/celery.py, docs/operations.md). Redis as the broker, e.g.
# redis://127.0.0.1:6379/0. Unset (development, `make run`, the tests): every task runs eagerly in the caller,
# so nothing needs Redis; the production settings refuse to start without a broker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"
# Results and progress are kept in the database (background.BackgroundJob), not in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# A task is acknowledged when it has finished: a worker killed mid-task leaves it to be run again (the tasks
# are idempotent), and each worker process takes one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task to another worker after this many seconds: longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200")),
}
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Logs (docs/operations.md, "Logs"): one line per record on standard error; JSON (python-json-logger) in
# production — time, level, logger, message and the request id — plain text in development. LOG_FORMAT=json
# or text chooses. Identity numbers are redacted from every record; a 500's record names the page's reference,
# which is the request id.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_pii": {"()": "jobbtorg.utils.logging.RedactPersonalNumbers"},
        "request_line": {"()": "jobbtorg.utils.logging.RedactRequestLine"},
        "error_reference": {"()": "jobbtorg.utils.logging.ErrorReference"},
        "request_id": {"()": "jobbtorg.utils.logging.RequestIdFilter"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "static_fields": {"service": "jobbtorg"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "no_pii"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
        "server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["no_pii"]},
    },
    "loggers": {
        # A 500's record names the reference shown on the error page (utils.error_pages): the request id.
        "django.request": {"filters": ["error_reference"]},
        # runserver's access log: addresses without query values or identity numbers (gunicorn's:
        # gunicorn.conf.py).
        "django.server": {
            "handlers": ["server"],
            "filters": ["request_line"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The operator's metrics (`/metrics/`, Prometheus text format): only with `Authorization: Bearer <token>`
# of this setting; unset, the endpoint answers 403 to everyone. Several processes (gunicorn workers, the
# Celery worker) add up when PROMETHEUS_MULTIPROC_DIR names an empty directory shared by all of them (the
# Procfile sets it).
JOBBTORG_METRICS_TOKEN = os.environ.get("JOBBTORG_METRICS_TOKEN", "")

# Caseloads: a person with no meeting, journal entry or running activity for this many weeks is listed to the
# unit head as not met ("tappas bort"); the page and the API take another N from the address (?weeks=).
CASELOAD_LOST_WEEKS = int(os.environ.get("CASELOAD_LOST_WEEKS", "6"))
