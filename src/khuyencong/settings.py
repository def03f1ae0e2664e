"""Settings, read from the environment (12-factor).

Everything a deployment changes comes from environment variables; the defaults are safe for
production (``DEBUG`` off) and convenient on a developer's machine (SQLite under ``var/``, a
generated development ``SECRET_KEY``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("KHUYENCONG_PROJECT_DIR", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("KHUYENCONG_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    # A development key kept beside the SQLite file, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
#: Django's technical 404/500 pages instead of the system's own while DEBUG is on (developers
#: only: core.middleware.FriendlyErrorPagesMiddleware).
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
#: The address users reach the app at: e-mails carry absolute links built on it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "khuyencong.core",
    "khuyencong.geo",
    "khuyencong.accounts",
    "khuyencong.audit",
    "khuyencong.programs",
    "khuyencong.registry",
    "khuyencong.planning",
    "khuyencong.notifications",
    "khuyencong.norms",
    "khuyencong.projects",
    "khuyencong.awards",
    "khuyencong.reporting",
    "khuyencong.portal",
    "khuyencong.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "khuyencong.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the whole body: an oversize body is refused unread.
    "khuyencong.core.uploads.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside the session, the user and the CSP: its pages have the menu and the headers.
    "khuyencong.core.middleware.FriendlyErrorPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "khuyencong.accounts.middleware.RequireSecondFactorMiddleware",
    # Axes last: it turns lock-outs into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khuyencong.accounts.context_processors.current_role",
            ],
            "builtins": ["khuyencong.core.templatetags.vn", "khuyencong.core.templatetags.urls"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'khuyencong.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=os.environ.get("DB_CONN_HEALTH_CHECKS", "0") == "1",
    )
}
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DB_SERVER_SIDE_BINDING", "1") == "1"
):
    # psycopg binds the parameters in the server and prepares a statement run
    # DB_PREPARE_THRESHOLD times on a connection, so PostgreSQL stops re-planning the pages'
    # repeated queries (Django turns preparing off by default, for connection poolers): ~1.2
    # ms less PostgreSQL CPU a request, on by default since the whole suite passes with it
    # (docs/bench/binding-2026-12-05.md); DB_SERVER_SIDE_BINDING=0 turns it off. A
    # prepared statement lives in one server session: behind a pooler in transaction mode
    # (PgBouncer before 1.21, or without max_prepared_statements) DB_PREPARE_THRESHOLD=""
    # binds in the server without preparing. Each execution is still planned for its own
    # values (plan_cache_mode): after five runs PostgreSQL may settle on a generic plan, and the
    # generic plan of the establishment search walked ~1.7× the rows at scale 1.0.
    threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(threshold) if threshold else None,
        "options": "-c plan_cache_mode=force_custom_plan",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # allauth's, reading the user of a request with their role assignments in one query.
    "khuyencong.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: login by e-mail, no self sign-up (accounts are issued by administrators).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "khuyencong.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Wrong passwords lock out through django-axes (AccountAdapter.pre_authenticate); allauth's
# limits stay for the rest, notably "login_failed" for wrong second-factor codes (5 per 5
# minutes per account), which nothing else would stop. Not "login": a whole office behind one
# address signs in at the same hour.
ACCOUNT_RATE_LIMITS = {"login": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Khuyến công số"

# django-axes: lock an account (per e-mail and IP) after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One lock-out key for every form that checks a password (accounts/lockout.py).
AXES_USERNAME_CALLABLE = "khuyencong.accounts.lockout.login_key"
AXES_LOCKOUT_CALLABLE = "khuyencong.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Officers must use TOTP; demo users are exempt only while DEBUG is on.
MFA_REQUIRED_FOR_OFFICERS = env_bool("MFA_REQUIRED_FOR_OFFICERS", True)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# Our catalogues, then Vietnamese for django-allauth (kept apart: makemessages would drop it).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("PLAIN_STATIC_STORAGE")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Request bodies: form data up to 2.5 MB held in memory, files above it spooled to disk; the
# views that take a file accept more (core/uploads.py LIMITS), every other view refuses a body
# over DATA_UPLOAD_MAX_MEMORY_SIZE before reading it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

#: A list export of more rows than this runs in the background (core.exports), with progress;
#: the job stops after EXPORT_JOB_SECONDS.
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "10000"))
EXPORT_JOB_SECONDS = int(os.environ.get("EXPORT_JOB_SECONDS", str(15 * 60)))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "khuyencong@localhost")

# Production over HTTPS (README, deployment): HTTPS=1 turns on the redirect to https://, HSTS
# and Secure cookies; each can also be set alone. Behind a reverse proxy that terminates TLS,
# SECURE_PROXY_SSL_HEADER=1 trusts its X-Forwarded-Proto header (only a proxy that sets it).
# `make run` serves plain http on the developer's machine: HTTPS stays off there.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Django's database sessions, the read of each request compiled once (accounts.sessions).
SESSION_ENGINE = "khuyencong.accounts.sessions"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own origin
# only, no inline script, style or event handler ('unsafe-inline' is never allowed: templates
# put behaviour in static/js/app.js and styles in static/css/app.css). data: images are
# Bootstrap's own SVG icons (form controls). WeasyPrint's print templates never reach a browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
#: Browser features no page of the system uses (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Lists count exactly up to this many rows, then estimate ("khoảng …", core/counting.py).
LIST_EXACT_COUNT_LIMIT = int(os.environ.get("LIST_EXACT_COUNT_LIMIT", "5000"))
# A text search counts its matches exactly up to this many, then says "hơn …" with the exact
# figure one click away: counting reads each match's row (a trigram match is rechecked), so a
# national search of 6,000 matches read 5,000 rows for its count alone (issue 11).
SEARCH_EXACT_COUNT_LIMIT = int(os.environ.get("SEARCH_EXACT_COUNT_LIMIT", "1000"))

# The REST API (/api/v1/, khuyencong.api): the same services and policy as the web. Systems
# sign in with an API client's token (issued per unit by an administrator), browsers with
# their session. Errors are RFC 9457 problem+json in Vietnamese (khuyencong.api.problems).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "khuyencong.api.authentication.ApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["khuyencong.api.permissions.ClientScopes"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["khuyencong.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "khuyencong.api.pagination.Cursor",
    "DEFAULT_THROTTLE_CLASSES": ["khuyencong.api.throttling.PerClientThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "khuyencong.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
#: Requests per minute for one API client (or one signed-in user) before 429 + Retry-After.
API_RATE_PER_MINUTE = int(os.environ.get("API_RATE_PER_MINUTE", "600"))
#: How long an API client's token is valid when the administrator names no date.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "365"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Khuyến công số — API v1",
    "DESCRIPTION": (
        "API của hệ thống Khuyến công số cho phần mềm của các tỉnh và hệ thống quốc gia. "
        "Xác thực: `Authorization: Bearer <mã truy cập của máy khách API>`."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "khuyencong.api.schema.problem_responses",
        "khuyencong.api.schema.picked_fields_optional",
    ],
    "ENUM_NAME_OVERRIDES": {
        "UnitLevelEnum": "khuyencong.geo.models.UnitLevel",
        "ProgrammeLevelEnum": "khuyencong.programs.models.ProgrammeLevel",
        "ProgrammeStatusEnum": "khuyencong.programs.models.ProgrammeStatus",
        "ProjectStatusEnum": "khuyencong.projects.models.ProjectStatus",
        "ProductGroupEnum": "khuyencong.registry.models.ProductGroup",
        "FundEnum": "khuyencong.programs.models.Fund",
        "PlanFundEnum": "khuyencong.planning.models.PlanFund",
        "ProjectFundEnum": "khuyencong.projects.models.ProjectFund",
        "ProjectKindEnum": "khuyencong.projects.models.ProjectKind",
        "RegistrationStatusEnum": "khuyencong.planning.models.RegistrationStatus",
        "PlanStatusEnum": "khuyencong.planning.models.PlanStatus",
        "SelectionLevelEnum": "khuyencong.awards.models.common.SelectionLevel",
        "SelectionRoundStatusEnum": "khuyencong.awards.models.rounds.RoundStatus",
        "ReportStatusEnum": "khuyencong.reporting.models.ReportStatus",
    },
}
