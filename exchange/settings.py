"""Settings for the labor exchange: one file, driven by the environment.

With nothing set, the exchange runs embedded: SQLite, Celery tasks executed
eagerly in the web process, e-mail printed to the console. Setting
DATABASE_URL and CELERY_BROKER_URL switches to PostgreSQL and a real broker
with worker processes. Every variable is listed in .env.example.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A guessable key in production would let anyone forge sessions and
        # password-reset links: refuse to start rather than run insecurely.
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps, lowest layer first (docs/decisions/0014-apps-and-layers.md).
    "exchange",
    "notifications",
    "vacancies",
    "migrants",
    "matching",
    "selection",
    "analytics",
    "integrations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "phonenumber_field",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "exchange.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out sign-in gets axes' response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "exchange.urls"
WSGI_APPLICATION = "exchange.wsgi.application"

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
                "csp.context_processors.nonce",
                "exchange.context_processors.navigation",
                "notifications.context_processors.inbox_link",
            ],
        },
    },
]

# Widgets render from templates/ too (the occupation and skill pickers live there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Wait for a writer rather than fail at once with "database is locked".
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "exchange.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "exchange.backends.EmailOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day to use the e-mailed link

# Lockout after repeated failed sign-ins (django-axes).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the account-and-address pair, so a stranger cannot lock a worker out of
# their account from elsewhere, and one address cannot try many accounts' passwords.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "exchange.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"

PHONENUMBER_DEFAULT_REGION = env_str("PHONENUMBER_DEFAULT_REGION", "RU")
PHONENUMBER_DB_FORMAT = "E164"

# --- Internationalization -----------------------------------------------------
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "ru")
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("ky", "Кыргызча"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "exchange_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Moscow")

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic` first, so only where it is run.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Labor Exchange <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------
# Secure by default whenever debug is off; each flag can still be set by env
# (for example SECURE_SSL_REDIRECT=false behind a proxy that already redirects).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4 format): only our own scripts and styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# Without a broker, tasks run inline in the calling process (the embedded mode).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent, so a task whose worker died is run again, not lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# Incremental matching has a queue of its own, so a long full rematch never delays it;
# run workers with -Q celery,matching_incremental,matching_full (Makefile, compose).
CELERY_TASK_ROUTES = {
    "matching.rematch_vacancy": {"queue": "matching_incremental"},
    "matching.rematch_worker": {"queue": "matching_incremental"},
    "matching.rematch_all": {"queue": "matching_full"},
    "matching.rematch_part": {"queue": "matching_full"},
    "matching.finish_split_rematch": {"queue": "matching_full"},
    "matching.fail_rematch": {"queue": "matching_full"},
    # Notification delivery waits on mail servers and gateways: its own queue, so a
    # slow SMTP server never holds up matching or anything else.
    "notifications.deliver": {"queue": "notifications"},
    "notifications.resend_due": {"queue": "notifications"},
    "notifications.send_job_alerts": {"queue": "notifications"},
}
CELERY_BEAT_SCHEDULE = {
    # Lets /healthz tell whether any worker is alive and consuming.
    "worker-heartbeat": {"task": "exchange.record_worker_heartbeat", "schedule": 60.0},
    # Vacancies past their expiry date leave the search (search also filters by date,
    # so an hourly run only tidies the status).
    "expire-vacancies": {"task": "vacancies.expire_vacancies", "schedule": 60.0 * 60},
    # Nightly full rematch (the incremental path keeps touched rows fresh in between).
    "rematch-all": {"task": "matching.rematch_all", "schedule": 60.0 * 60 * 24},
    # Shortlists from the fresh matching results for every open vacancy (administrators
    # review them; idempotent, so a repeated run adds only what is missing).
    "propose-shortlists": {"task": "matching.propose_shortlists", "schedule": 60.0 * 60 * 24},
    # Outbox rows whose delivery task was lost (broker down at commit, worker killed).
    "notifications-resend-due": {"task": "notifications.resend_due", "schedule": 60.0 * 5},
    # Job alerts: one digest a day per worker with saved searches.
    "notifications-job-alerts": {
        "task": "notifications.send_job_alerts",
        "schedule": 60.0 * 60 * 24,
    },
}
WORKER_HEARTBEAT_STALE_SECONDS = 300

# --- Notifications --------------------------------------------------------------
# The site's address, for links in e-mails and text messages.
EXCHANGE_BASE_URL = env_str("EXCHANGE_BASE_URL", "http://127.0.0.1:8000")
# Delivery attempts per notification, and the first retry delay (doubling each time).
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)

# --- Vacancies ------------------------------------------------------------------
VACANCY_DEFAULT_LIFETIME_DAYS = env_int("VACANCY_DEFAULT_LIFETIME_DAYS", 60)

# --- Matching ---------------------------------------------------------------------
# Weights of the score's components (normalised by their sum) and the partial
# credits; see matching.engine.Weights and docs/decisions/0005-matching-engine.md.
MATCHING_WEIGHTS = {
    "occupation": 0.25,  # same unit group 1, same minor group occ_minor, sub-major occ_submajor
    "skills": 0.25,  # share of the vacancy's required skills the worker has
    "languages": 0.15,  # per required language; one CEFR level short earns lang_one_below
    "region": 0.1,  # a wanted region, or anywhere
    "salary": 0.1,  # the offer against the worker's minimum; unknown pay earns salary_unknown
    "experience": 0.1,  # years against the years required
    "availability": 0.05,  # available by the start date, less credit up to 60 days late
    "occ_minor": 0.5,
    "occ_submajor": 0.25,
    "lang_one_below": 0.5,
    "salary_unknown": 0.5,
}

# An edit is rescored at once; further edits within this many seconds share one more
# rescore at the end of the window (matching.scheduling._schedule).
MATCHING_DEBOUNCE_SECONDS = env_int("MATCHING_DEBOUNCE_SECONDS", 1)
# Parts a full rematch is split into (by ISCO major group), one Celery task each, for
# several workers on the matching_full queue; 1 = one task does it all (2 cores).
MATCHING_REMATCH_PARTS = env_int("MATCHING_REMATCH_PARTS", 1)

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("API_ANON_RATE", "120/minute")},
    # Behind one reverse proxy: the client address is the last X-Forwarded-For hop,
    # which the client cannot forge to get a fresh throttle bucket.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Labor Exchange API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Migrant registry ---------------------------------------------------------
# Passport numbers are encrypted with dedicated Fernet keys (never SECRET_KEY in
# production), newest first; rotation = prepend a new key, then run
# `manage.py rotate_passport_keys`. A separate key makes the HMAC blind index
# used to find the same passport twice without decrypting anything.
MIGRANTS_PASSPORT_KEYS = env_list("MIGRANTS_PASSPORT_KEYS")
MIGRANTS_PASSPORT_HASH_KEY = env_str("MIGRANTS_PASSPORT_HASH_KEY")
MIGRANTS_DEV_KEYS = not (MIGRANTS_PASSPORT_KEYS and MIGRANTS_PASSPORT_HASH_KEY)
if MIGRANTS_DEV_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MIGRANTS_PASSPORT_KEYS and MIGRANTS_PASSPORT_HASH_KEY must be set when DJANGO_DEBUG "
            "is false (passport numbers are encrypted with them)"
        )
    # Development only: deterministic keys derived from SECRET_KEY, so a local
    # database stays readable between runs. The system check migrants.W001 says so.
    import base64
    import hashlib

    MIGRANTS_PASSPORT_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"passport-key:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
    MIGRANTS_PASSPORT_HASH_KEY = hashlib.sha256(f"passport-hash:{SECRET_KEY}".encode()).hexdigest()
# Uploaded identity documents live here, outside the static and media web roots;
# they are served only through a view that checks who asks.
MIGRANTS_PRIVATE_ROOT = Path(env_str("MIGRANTS_PRIVATE_ROOT", str(BASE_DIR / "private")))
MIGRANTS_DOCUMENT_MAX_BYTES = env_int("MIGRANTS_DOCUMENT_MAX_MB", 5) * 1024 * 1024
# Text messages (claim codes, reminders): a backend class like EMAIL_BACKEND.
# notifications.sms.ConsoleBackend, FileBackend (MIGRANTS_SMS_FILE_PATH) or HttpGatewayBackend.
MIGRANTS_SMS_BACKEND = env_str("MIGRANTS_SMS_BACKEND", "notifications.sms.ConsoleBackend")
MIGRANTS_SMS_FILE_PATH = env_str("MIGRANTS_SMS_FILE_PATH", str(BASE_DIR / "sms-outbox"))
MIGRANTS_SMS_GATEWAY_URL = env_str("MIGRANTS_SMS_GATEWAY_URL")
MIGRANTS_SMS_GATEWAY_TOKEN = env_str("MIGRANTS_SMS_GATEWAY_TOKEN")
MIGRANTS_SMS_SENDER = env_str("MIGRANTS_SMS_SENDER", "LaborExch")
# Days before a passport, patent or work permit expires when the worker is reminded.
MIGRANTS_REMINDER_DAYS = [int(days) for days in env_list("MIGRANTS_REMINDER_DAYS", "30,7")]
# Labour market analytics: the summary tables follow changes hourly (incrementally),
# are rebuilt in full and the open data files rewritten once a day.
CELERY_BEAT_SCHEDULE["analytics-refresh"] = {
    "task": "analytics.refresh_summaries",
    "schedule": 60.0 * 60,
}
CELERY_BEAT_SCHEDULE["analytics-open-data"] = {
    "task": "analytics.publish_open_data",
    "schedule": 60.0 * 60 * 24,
}
ANALYTICS_OPEN_DATA_DIR = Path(env_str("ANALYTICS_OPEN_DATA_DIR", str(MEDIA_ROOT / "open-data")))
# Prefix of the vacancy links in the open data files (written by a task, not a request).
ANALYTICS_PUBLIC_BASE_URL = env_str("ANALYTICS_PUBLIC_BASE_URL", "")
# PostgreSQL work_mem for the refresh transaction only (its distinct counts sort in memory).
ANALYTICS_REFRESH_WORK_MEM = env_str("ANALYTICS_REFRESH_WORK_MEM", "256MB")

CELERY_BEAT_SCHEDULE["migrants-expiry-reminders"] = {
    # Once a day; idempotent, so a missed or repeated run sends nothing twice.
    "task": "migrants.send_expiry_reminders",
    "schedule": 60.0 * 60 * 24,
}

# --- Partner integrations (integrations/) -----------------------------------
# Errors of the whole API as RFC 9457 problem details, documented in the schema.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "exchange.api.problems.problem_exception_handler"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_key"] = env_str("API_KEY_RATE", "600/minute")
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "exchange.api.problems.add_problem_responses",
]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {"ApplicationStageEnum": "selection.models.Stage"}
# A replayed Idempotency-Key answers with the first response for this many hours.
INTEGRATIONS_IDEMPOTENCY_HOURS = env_int("INTEGRATIONS_IDEMPOTENCY_HOURS", 24)
# Imports up to this many rows run in the request; larger ones go to a worker.
INTEGRATIONS_IMPORT_SYNC_MAX_ROWS = env_int("INTEGRATIONS_IMPORT_SYNC_MAX_ROWS", 500)
INTEGRATIONS_IMPORT_MAX_BYTES = env_int("INTEGRATIONS_IMPORT_MAX_MB", 50) * 1024 * 1024
# Webhook targets must be public https addresses; development and tests may allow
# http and private or loopback hosts.
INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = env_bool("INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE", False)
INTEGRATIONS_WEBHOOK_TIMEOUT = env_int("INTEGRATIONS_WEBHOOK_TIMEOUT", 10)
# Retries: exponential backoff with jitter from BASE seconds, capped at MAX, at most
# MAX_ATTEMPTS per delivery (about a day); an endpoint failing DISABLE_AFTER attempts
# in a row is switched off and its organization told by e-mail.
INTEGRATIONS_WEBHOOK_BACKOFF_BASE = env_int("INTEGRATIONS_WEBHOOK_BACKOFF_BASE", 30)
INTEGRATIONS_WEBHOOK_BACKOFF_MAX = env_int("INTEGRATIONS_WEBHOOK_BACKOFF_MAX", 6 * 60 * 60)
INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = env_int("INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS", 10)
INTEGRATIONS_WEBHOOK_DISABLE_AFTER = env_int("INTEGRATIONS_WEBHOOK_DISABLE_AFTER", 20)
# Webhook deliveries have their own queue, so a slow partner never delays matching.
CELERY_TASK_ROUTES["integrations.deliver_webhook"] = {"queue": "webhooks"}
CELERY_TASK_ROUTES["integrations.retry_webhooks"] = {"queue": "webhooks"}
# The one list of queues: the default one and every routed one. A worker started
# without -Q (make worker, CI, docker compose) consumes them all; a deployment that
# gives the full rematch machines of its own starts those with -Q matching_full.
CELERY_TASK_QUEUES = [
    Queue(name)
    for name in dict.fromkeys(["celery", *(r["queue"] for r in CELERY_TASK_ROUTES.values())])
]
CELERY_BEAT_SCHEDULE["integrations-retry-webhooks"] = {
    # Retries whose backoff has passed, and first sends whose task was lost.
    "task": "integrations.retry_webhooks",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["integrations-purge-idempotency"] = {
    # Idempotency keys are remembered for INTEGRATIONS_IDEMPOTENCY_HOURS.
    "task": "integrations.purge_idempotency_records",
    "schedule": 60.0 * 60,
}
