"""Settings, read from the environment (see `.env.example`).

Secure by default: with DEBUG off, a missing SECRET_KEY, ALLOWED_HOSTS or PORTAL_URL stops
start-up.
Importing this module does no I/O (no file, folder or network access): folders the portal
needs are made where they are needed (connect/accounts/apps.py makes STATIC_ROOT).
"""

from ipaddress import ip_network
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from connect.lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)
from connect.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# What the portal calls itself and the firm; the guide's labels derive from these.
FIRM_NAME = env_str("FIRM_NAME", "BCA Expertise")
FIRM_SHORT_NAME = env_str("FIRM_SHORT_NAME", "BCA")
PORTAL_NAME = env_str("PORTAL_NAME", "Connect Réparateurs")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "extranet-reparateur@bca-expertise.example")
# The links of every e-mail start with it: production must say where it is served.
PORTAL_URL = env_str("PORTAL_URL").rstrip("/")
if not PORTAL_URL:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("PORTAL_URL must be set when DEBUG is off")
    PORTAL_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "connect.ops",  # before whitenoise: its runserver (links follow the port) takes the name
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's form templates, for FORM_RENDERER below
    "django.contrib.postgres",
    "django_htmx",
    "django_tasks",
    "connect.jobs",  # before django_tasks_db: its db_worker (leases, retries) takes the name
    "django_tasks_db",
    "csp",
    "ninja",  # its static Swagger UI files: the API documentation page needs no CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "connect.accounts",
    "connect.dossiers",
    "connect.deadlines",
    "connect.documents",
    "connect.checklists",
    "connect.supplements",
    "connect.uploads",
    "connect.invoices",
    "connect.readings",
    "connect.messaging",
    "connect.clients",
    "connect.updates",
    "connect.tariffs",
    "connect.staff",
    "connect.api",
    "connect.evidence",
    "connect.help",
    "connect.dashboard",
    "connect.push",
    "connect.insured",
]

MIDDLEWARE = [
    "connect.ops.middleware.RequestMiddleware",  # request id, access line, metrics: first
    "connect.lib.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's and django-otp's, with the user, garages and devices cached per change.
    "connect.accounts.principal.AuthenticationMiddleware",
    "connect.accounts.principal.PrincipalOTPMiddleware",
    "connect.staff.second_factor.SecondFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "connect.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "connect.urls"
WSGI_APPLICATION = "connect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "connect" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "connect.accounts.context_processors.portal",
            ],
        },
    },
]

# One form renderer: Django's templates found like any other, so connect/templates/django/forms/
# (the field group, the non-field errors banner) overrides them for every form.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'connect.sqlite3'}")
DATABASES = {"default": parse_database_url(DATABASE_URL, base_dir=str(BASE_DIR))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis may fail (connect/cache.py): sessions live in the database, Redis only speeds them.
    CACHES = {
        "default": {
            "BACKEND": "connect.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The list's counts, cached per garage and summed per user until a write touches them
# (connect/dossiers/counts.py): only with a cache shared by every web process.
LIST_COUNTS_CACHE_SECONDS = env_int(
    "LIST_COUNTS_CACHE_SECONDS", 600 if REDIS_URL and not TESTING else 0, minimum=0
)

# The signed-in user, their garage ids and devices, cached until one of them changes
# (connect/accounts/principal.py): only with a cache shared by every web process.
PRINCIPAL_CACHE_SECONDS = env_int(
    "PRINCIPAL_CACHE_SECONDS", 300 if REDIS_URL and not TESTING else 0, minimum=0
)

# Background jobs: the database backend, so a job commits with the change that causes it.
# Reading photos (OCR, seconds of CPU each) has a queue and workers of its own
# (`db_worker --queue-name reading`): the default queue's e-mails never wait behind it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "reading"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests measure; Argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "phone")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "connect.accounts.validators.CommonPasswordsValidator"},
    {"NAME": "connect.accounts.validators.PortalWordsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password-reset link lives two hours, an invitation seven days; both die once used.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
RESET_LINK_MAX_AGE = env_int("RESET_LINK_MAX_AGE", 2 * 3600, minimum=60)
INVITATION_LINK_MAX_AGE = env_int("INVITATION_LINK_MAX_AGE", 7 * 24 * 3600, minimum=60)
# The insured's links (issue 26): choosing a first password, and logging in once by e-mail.
INSURED_SIGNUP_LINK_MAX_AGE = env_int("INSURED_SIGNUP_LINK_MAX_AGE", 24 * 3600, minimum=60)
INSURED_LOGIN_LINK_MAX_AGE = env_int("INSURED_LOGIN_LINK_MAX_AGE", 15 * 60, minimum=60)
# How long the insured still reads a dossier after the core system archived it.
INSURED_ARCHIVE_READ_DAYS = env_int("INSURED_ARCHIVE_READ_DAYS", 90, minimum=0)
# Whether the insured sees the repair amount (off: never an amount in their space).
INSURED_SEES_AMOUNTS = env_bool("INSURED_SEES_AMOUNTS", False)
# An insured account that follows no dossier and has not come for this long is deleted (CNIL).
INSURED_IDLE_ACCOUNT_DAYS = env_int("INSURED_IDLE_ACCOUNT_DAYS", 730, minimum=30)

# Sessions: idle timeout and an absolute lifetime (connect/accounts/middleware.py). Activity
# renews the session at most once a minute, not on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttles (connect/accounts/lockout.py): per (account, IP) quickly, per account with
# growing delays, per IP only at a high threshold; staff clear failures in the admin.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1)
LOGIN_ACCOUNT_DELAY_AFTER = env_int("LOGIN_ACCOUNT_DELAY_AFTER", 10, minimum=2)
LOGIN_ACCOUNT_DELAY_SECONDS = env_int("LOGIN_ACCOUNT_DELAY_SECONDS", 30, minimum=1)
LOGIN_MAX_DELAY = env_int("LOGIN_MAX_DELAY_SECONDS", 15 * 60, minimum=1)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 100, minimum=1)
# Number of reverse proxies in front of the portal whose X-Forwarded-For is trusted; behind
# the proxy (BEHIND_TLS_PROXY) 0 would make every visitor the proxy (a check refuses it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "connect" / "static"]
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(VAR_DIR / "private")))
STORAGES: dict[str, dict[str, Any]] = {
    # Private files: no base URL, every byte is served by a view after an access check.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}[env_choice("EMAIL_BACKEND", ("console", "file", "smtp", "memory"), "console")]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{PORTAL_NAME} <no-reply@connect.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Upload limits, announced in the forms and enforced by the server.
MAX_UPLOAD_FILE_BYTES = env_int("MAX_UPLOAD_FILE_MB", 20, minimum=1) * 1024 * 1024
MAX_UPLOAD_MESSAGE_BYTES = env_int("MAX_UPLOAD_MESSAGE_MB", 100, minimum=1) * 1024 * 1024
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 50_000_000, minimum=1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers. HTTPS settings apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Integration API: requests a minute per token, and the largest JSON body (a multipart upload
# may add MAX_UPLOAD_FILE_BYTES).
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 1200, minimum=1)
API_MAX_JSON_BYTES = env_int("API_MAX_JSON_BYTES", 4 * 1024 * 1024, minimum=1024)

# Background jobs (connect/jobs): a running job's lease, renewed by its worker's heartbeat; the
# attempts of a job (crashes and transient failures alike) and the backoff between them; the
# longest run of one attempt; how long a stopping worker lets its job finish.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 60, minimum=3)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 16, minimum=1)
JOB_RETRY_FIRST_SECONDS = env_int("JOB_RETRY_FIRST_SECONDS", 30, minimum=1)
JOB_RETRY_MAX_SECONDS = env_int("JOB_RETRY_MAX_SECONDS", 3600, minimum=1)
JOB_TIME_LIMIT_SECONDS = env_int("JOB_TIME_LIMIT_SECONDS", 300, minimum=1)
JOB_STOP_GRACE_SECONDS = env_int("JOB_STOP_GRACE_SECONDS", 20, minimum=1)
# One photo's reading takes about 2 s of CPU on a 2-core machine; one that runs past this is
# recorded as failed ("lecture trop longue"), never retried (connect/readings/tasks.py).
READING_TIME_LIMIT_SECONDS = env_int("READING_TIME_LIMIT_SECONDS", 60, minimum=1)
# A queue's own time limit, beside JOB_TIME_LIMIT_SECONDS for the others.
JOB_QUEUE_TIME_LIMITS = {"reading": READING_TIME_LIMIT_SECONDS}
# Plate shots a repairer may have read on the phone before sending, per hour.
PLATE_PROBES_PER_HOUR = env_int("PLATE_PROBES_PER_HOUR", 120, minimum=1)
# An SMTP server that accepts and never answers must not hold a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
# While the SMTP server cannot be reached, one queued mail tries it this often (connect/mail.py);
# the first that gets through brings every other forward.
MAIL_OUTAGE_PROBE_SECONDS = env_int("MAIL_OUTAGE_PROBE_SECONDS", 30, minimum=1)

# Logs: JSON lines in production, readable lines in development (connect/ops/logs.py).
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "text"), "text" if DEBUG or TESTING else "json")
LOGGING = logging_config(fmt=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))

# Operations (connect/ops): French error pages, also for a refused CSRF token.
CSRF_FAILURE_VIEW = "connect.ops.errors.csrf_failure"
# Probes and metrics: /healthz and /readyz answer plain HTTP (the load balancer probes the node
# directly; /readyz's figures, like /metrics, want METRICS_TOKEN as a bearer or a direct peer in
# METRICS_ALLOWED_NETWORKS, and its result is reused for READYZ_CACHE_SECONDS); /metrics answers
# plain HTTP only to a scraper on this host (connect/ops/views.py sends others to HTTPS itself:
# Django's SecurityMiddleware stays in MIDDLEWARE, where its deploy checks look for it).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
READYZ_CACHE_SECONDS = env_int("READYZ_CACHE_SECONDS", 0 if TESTING else 5, minimum=0)
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED_NETWORKS = [ip_network(net) for net in env_list("METRICS_ALLOWED_NETWORKS")]
# Backups (connect/ops/backup.py): the key that signs their manifest, needed to back up and to
# restore; keep it apart from the backups (whoever holds both can forge a restore).
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY")
# The seal of evidence (connect/lib/seal.py): Ed25519 keys as `id:base64url seed`, newest first
# (it signs; all verify), from `manage.py evidence_key`; retired keys' public halves verify only.
# Required with DEBUG off (connect.E029); development and tests derive one from SECRET_KEY.
EVIDENCE_SIGNING_KEYS = env_list("EVIDENCE_SIGNING_KEYS")
EVIDENCE_RETIRED_KEYS = env_list("EVIDENCE_RETIRED_KEYS")

# Object storage: with S3_BUCKET set, private files go to that S3-compatible bucket (never
# public: no ACL, every byte still served by the access-checked views); else the local folder.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_choice("S3_ADDRESSING_STYLE", ("path", "virtual"), "path"),
        },
    }

# Large uploads spool to a temporary file that is removed even when the client drops the
# connection mid-body (connect/ops/uploads.py).
# gunicorn gives each worker its folder (deploy/gunicorn.conf.py); default: the system's.
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR") or None
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "connect.ops.uploads.TrackedTemporaryFileUploadHandler",
]
# Throttles on what a portal user writes or pulls (connect/lib/throttle.py, in the cache): per
# user and per dossier, answered 429 with a French message and Retry-After.
MESSAGES_PER_USER_PER_MINUTE = env_int("MESSAGES_PER_USER_PER_MINUTE", 10, minimum=1)
MESSAGES_PER_DOSSIER_PER_MINUTE = env_int("MESSAGES_PER_DOSSIER_PER_MINUTE", 20, minimum=1)
UPLOADS_PER_USER_PER_HOUR = env_int("UPLOADS_PER_USER_PER_HOUR", 300, minimum=1)
UPLOADS_PER_DOSSIER_PER_HOUR = env_int("UPLOADS_PER_DOSSIER_PER_HOUR", 500, minimum=1)
EXPORTS_PER_USER_PER_HOUR = env_int("EXPORTS_PER_USER_PER_HOUR", 60, minimum=1)
EXPORTS_PER_DOSSIER_PER_HOUR = env_int("EXPORTS_PER_DOSSIER_PER_HOUR", 30, minimum=1)
# Password-reset requests: past these, the same answer is given and no e-mail leaves.
RESETS_PER_ACCOUNT_PER_HOUR = env_int("RESETS_PER_ACCOUNT_PER_HOUR", 3, minimum=1)
RESETS_PER_IP_PER_HOUR = env_int("RESETS_PER_IP_PER_HOUR", 20, minimum=1)
# The insured's sign-up and login-link requests (each kind counted on its own).
INSURED_LINKS_PER_ADDRESS_PER_HOUR = env_int("INSURED_LINKS_PER_ADDRESS_PER_HOUR", 3, minimum=1)
INSURED_LINKS_PER_IP_PER_HOUR = env_int("INSURED_LINKS_PER_IP_PER_HOUR", 20, minimum=1)

# Malware scanning of every upload by clamd (connect/documents/scanning.py): "host:port" or a
# unix socket path. Unset: uploads are not scanned (manage.py check warns). Set and clamd
# unreachable: uploads are refused ("réessayez plus tard"), never stored unscanned.
CLAMAV_ADDRESS = env_str("CLAMAV_ADDRESS")
CLAMAV_TIMEOUT_SECONDS = env_int("CLAMAV_TIMEOUT_SECONDS", 30, minimum=1)

# Web Push (connect/push): the VAPID key pair printed by `manage.py vapid_keys` (base64url) and
# the contact the push services see. Unset: push is off, the preferences page says so and
# `manage.py check` warns (connect.W018). The portal only posts to push services' hosts (a
# subscription's endpoint is the browser's word, and the server must not be aimed elsewhere).
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", f"mailto:{SUPPORT_EMAIL}")
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com",
)
PUSH_TIMEOUT_SECONDS = env_int("PUSH_TIMEOUT_SECONDS", 10, minimum=1)
# The push tests' loopback server ("http://127.0.0.1:<port>"), the one endpoint allowed outside
# PUSH_SERVICE_HOSTS: set by the tests only, never read from the environment; `manage.py check`
# refuses it outside TESTING (connect.E028).
PUSH_TEST_SERVICE = ""

# The core system's batch: up to this many items are applied while the request waits, more go
# to a background job (202 and a status URL): a web worker is never held ~100 ms or more by a
# batch (bench/README.md, "The core system's batch off the web workers").
API_BATCH_SYNC_MAX = env_int("API_BATCH_SYNC_MAX", 100, minimum=0)
