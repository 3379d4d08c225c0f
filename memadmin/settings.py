"""Django settings for memadmin.

Everything comes from environment variables (see README.md, "Configuration") with
defaults that are safe for local use; `memadmin.config` does the parsing.
"""

import os
import sys
from pathlib import Path

from django.utils.csp import CSP

from memadmin import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MEMADMIN_VAR_DIR", BASE_DIR / "var"))
TESTING = "pytest" in sys.modules or os.environ.get("MEMADMIN_TESTING") == "1"

DEBUG = config.env_bool("DEBUG", default=True)
SECRET_KEY = config.secret_key(debug=DEBUG, key_file=VAR_DIR / "secret_key")
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger page from our static files, not a CDN (the CSP allows only self)
    "django_tasks_db",
    "axes",
    "memadmin.web",
    "memadmin.accounts",
    "memadmin.emulator",
    "memadmin.audit",
    "memadmin.operations",
    "memadmin.traitgroups",
    "memadmin.reviews",
    "memadmin.stores",
    "memadmin.schemafiles",
    "memadmin.api",
    "memadmin.history",
    "memadmin.notifications",
    "memadmin.catalog",
    "memadmin.dryrun",
    "memadmin.impact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Audit events recorded while answering a request carry its IP, user agent and id.
    "memadmin.audit.middleware.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "memadmin.web.middleware.RefuseNulCharactersMiddleware",
    # Last, as django-axes asks: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "memadmin.urls"
WSGI_APPLICATION = "memadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "memadmin.web.context_processors.site",
                "memadmin.stores.context_processors.selected_store",
            ],
        },
    },
]

DATABASES = {
    "default": config.database_config(
        os.environ.get("DATABASE_URL"), default_sqlite_path=VAR_DIR / "memadmin.sqlite3"
    )
}
if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the browser tests' live server answers several htmx requests
    # at once on threads, and an in-memory database would make them share one connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: five wrong passwords for one username from one address lock it for
# a while. Keyed on both, so an attacker cannot lock every user out from one address.
AXES_FAILURE_LIMIT = config.env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = config.env_float("LOGIN_COOLOFF_MINUTES", 15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
if TESTING:
    # Test users need no protection against brute force; PBKDF2 costs ~0.3 s per user.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Local use runs over plain HTTP; with DEBUG off everything assumes HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = config.env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Off only for plain-HTTP loopback runs of the production server (benchmarks, smoke tests).
SECURE_COOKIES = config.env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token travels in hx-headers
SECURE_SSL_REDIRECT = config.env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# A strict policy: no inline script or style anywhere, so nothing needs 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# The Memory API. "emulator" routes the client to the embedded emulator in process.
MEMORY_API_USERNAME, MEMORY_API_PASSWORD, MEMORY_API_CREDENTIALS_CONFIGURED = (
    config.memory_api_credentials()
)
MEMORY_API_URL = config.memory_api_url(credentials_configured=MEMORY_API_CREDENTIALS_CONFIGURED)
MEMORY_API_CONNECT_TIMEOUT = config.env_float("MEMORY_API_CONNECT_TIMEOUT", 5.0)
MEMORY_API_READ_TIMEOUT = config.env_float("MEMORY_API_READ_TIMEOUT", 15.0)
MEMORY_API_MAX_ATTEMPTS = config.env_int("MEMORY_API_MAX_ATTEMPTS", 4, minimum=1)
MEMORY_API_MAX_RETRY_SECONDS = config.env_float("MEMORY_API_MAX_RETRY_SECONDS", 30.0)
MEMORY_API_BULK_CONCURRENCY = config.env_int("MEMORY_API_BULK_CONCURRENCY", 8, minimum=1)
# Page tokens promise no end: a listing is read for at most this many pages and items.
MEMORY_API_MAX_PAGES = config.env_int("MEMORY_API_MAX_PAGES", 100, minimum=1)
MEMORY_API_MAX_LIST_ITEMS = config.env_int("MEMORY_API_MAX_LIST_ITEMS", 1000, minimum=1)
# Retry-After has no stated bound: polls wait at least 1 second and at most this many.
OPERATIONS_RETRY_AFTER_CAP = config.env_int("OPERATIONS_RETRY_AFTER_CAP", 300, minimum=1)
# Without Retry-After polls back off 1, 2, 4, ... seconds: a long outage must not park an
# operation for hours, and a short cap would hammer a struggling API.
OPERATIONS_BACKOFF_CAP = config.env_int("OPERATIONS_BACKOFF_CAP", 60, minimum=1)
# Twilio states no bound on how long an accepted operation may run: past this many
# seconds it counts as UNKNOWN, so nobody waits on a status that will never come.
OPERATIONS_POLL_DEADLINE = config.env_int("OPERATIONS_POLL_DEADLINE", 15 * 60, minimum=1)
# Changes made in Twilio's console reach memadmin only through this periodic sync.
STORES_SYNC_INTERVAL_SECONDS = config.env_int("STORES_SYNC_INTERVAL_SECONDS", 600, minimum=1)
# The embedded emulator keeps its state in a file so the web server and the worker,
# two processes, see the same stores and operations. Tests use memory instead.
EMULATOR_STATE_PATH = None if TESTING else str(VAR_DIR / "emulator-state.sqlite3")
EMULATOR_STEP_SECONDS = config.env_float("EMULATOR_STEP_SECONDS", 1.0)

# Approvals a revision needs before it may be published, by its risk tier (issue 19,
# memadmin/impact/risk.py). Each approval must come from a different reviewer.
REVIEW_APPROVALS_REQUIRED = config.approvals_by_tier(
    low=config.env_int("REVIEW_APPROVALS_LOW", 1, minimum=1),
    medium=config.env_int("REVIEW_APPROVALS_MEDIUM", 1, minimum=1),
    high=config.env_int("REVIEW_APPROVALS_HIGH", 2, minimum=1),
)
# A trait's regex pattern that takes longer than this to compile is refused (issue 15).
REGEX_COMPILE_BUDGET_SECONDS = config.env_float("REGEX_COMPILE_BUDGET_SECONDS", 0.25)
# Import refuses documents past these bounds before parsing them into a draft.
IMPORT_MAX_BYTES = config.env_int("IMPORT_MAX_BYTES", 256 * 1024, minimum=1024)

# Data dry runs (issue 19): how many live profiles one run samples, and how many reads
# of profiles it keeps in flight at once through the one client (pacing by Retry-After).
DRY_RUN_SAMPLE_SIZE = config.env_int("DRY_RUN_SAMPLE_SIZE", 1000, minimum=1)
DRY_RUN_CONCURRENCY = config.env_int("DRY_RUN_CONCURRENCY", 8, minimum=1)

# The HTTP API (/api/): calls per token per minute, and the largest body it reads (bodies
# past DATA_UPLOAD_MAX_MEMORY_SIZE are refused by Django before the API sees them).
API_RATE_LIMIT_PER_MINUTE = config.env_int("API_RATE_LIMIT_PER_MINUTE", 60, minimum=1)
API_MAX_BODY_BYTES = config.env_int("API_MAX_BODY_BYTES", 1024 * 1024, minimum=1024)

# Notifications. Links in messages are absolute: this is where people reach memadmin.
MEMADMIN_BASE_URL = os.environ.get("MEMADMIN_BASE_URL", "http://127.0.0.1:8000")
# E-mail: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS (or
# _SSL) and EMAIL_TIMEOUT from the environment; SMTP when EMAIL_HOST is set, else the
# console (DEBUG) or no e-mail (production).
MAILERS = config.mailers(debug=DEBUG)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "memadmin <memadmin@localhost>")
# Chat destinations from the environment: Apprise URLs separated by spaces.
NOTIFY_APPRISE_URLS = os.environ.get("NOTIFY_APPRISE_URLS", "").split()
NOTIFY_MAX_ATTEMPTS = config.env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_RETRY_SECONDS = config.env_float("NOTIFY_RETRY_SECONDS", 30.0)
NOTIFY_WEBHOOK_TIMEOUT = config.env_float("NOTIFY_WEBHOOK_TIMEOUT", 10.0)

# The audit log. The signing key (Ed25519, base64 of its 32-byte seed or PEM) signs the
# chain's head at checkpoints; it is only ever read here, never stored or shown.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
AUDIT_CHECKPOINT_EVERY_EVENTS = config.env_int("AUDIT_CHECKPOINT_EVERY_EVENTS", 1000, minimum=1)
AUDIT_CHECKPOINT_MAX_AGE_SECONDS = config.env_int(
    "AUDIT_CHECKPOINT_MAX_AGE_SECONDS", 3600, minimum=60
)
# Only behind a proxy of our own that appends the client's address to X-Forwarded-For.
AUDIT_TRUST_X_FORWARDED_FOR = config.env_bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "memadmin.redaction.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print django.* lines as they
        # are, before the root handler's redaction: every line goes through the root.
        "django": {"handlers": [], "level": "INFO"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # axes logs every sign-in at INFO; failures still reach the audit log.
        "axes": {"level": "WARNING"},
        # Apprise may log a destination's URL, tokens and all: memadmin records its own
        # reasons for a failed send instead, with the URL blotted out.
        "apprise": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
