"""FacetCare settings, read from the environment.

Defaults give the embedded tier: an SQLite file in ``var/``, console email and
in-process background tasks, so ``make run`` needs no configuration at all.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from facetcare.config.env import ConfigurationError, env_bool, env_int, env_list, env_str
from facetcare.operations.log_format import FORMATS, logging_config

DATA_DIR = Path(env_str("FACETCARE_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("FACETCARE_DEBUG", default=True)
SECRET_KEY = env_str("FACETCARE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("FACETCARE_SECRET_KEY must be set when FACETCARE_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-demo"  # noqa: S105
ALLOWED_HOSTS = env_list("FACETCARE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "facetcare.web",
    "facetcare.accounts",
    "facetcare.clinics",
    "facetcare.patients",
    "facetcare.booking",
    "facetcare.pathway",
    "facetcare.audit",
    "facetcare.public",
    "facetcare.diary",
    "facetcare.waitlist",
    "facetcare.operations",
    "facetcare.rehab",
    "facetcare.outcomes",
    "facetcare.portal",
]

MIDDLEWARE = [
    # First: every response and log line carries the request id, and the health
    # probes are answered before host checks, HTTPS redirects, sessions or logins.
    "facetcare.operations.request_id.RequestIdMiddleware",
    "facetcare.operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "facetcare.config.nul_guard.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "facetcare.audit.context.AccessPathMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "facetcare.accounts.middleware.IdleTimeoutMiddleware",
    "facetcare.accounts.middleware.SecondFactorGateMiddleware",
    "facetcare.config.headers.PermissionsPolicyMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "facetcare.config.urls"
WSGI_APPLICATION = "facetcare.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

_SQLITE_DEFAULT = f"sqlite:///{DATA_DIR / 'facetcare.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _SQLITE_DEFAULT)
try:
    _database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("FACETCARE_DB_CONN_MAX_AGE", 0)
    )
except ValueError as error:
    raise ConfigurationError(f"DATABASE_URL is not a database URL: {error}") from None

if _database["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so booking
    # transactions are serialised: the overlap check and the insert cannot
    # interleave with another writer's. WAL lets readers go on meanwhile.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if _database["NAME"] and _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if _database["ENGINE"] == "django.db.backends.postgresql":
    # Parameters are bound on the server and a statement run five times on a
    # connection is prepared there: parsing and planning were half of the
    # database's CPU per booking. A pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21) needs them off.
    _database["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 5
        if env_bool("FACETCARE_DB_PREPARED_STATEMENTS", default=True)
        else None,
    }
DATABASES = {"default": _database}
IS_POSTGRES = _database["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve app static files straight from the installed package, so neither the
# embedded tier nor a gunicorn run needs a collectstatic step first.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Request bodies above this are refused with 413 before any handler runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FACETCARE_MAX_BODY_BYTES", 64 * 1024)

# Email: console in the embedded tier; set FACETCARE_EMAIL_HOST to send through SMTP.
_SMTP_HOST = env_str("FACETCARE_EMAIL_HOST", "")
if _SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _SMTP_HOST,
                "port": env_int("FACETCARE_EMAIL_PORT", 587),
                "username": env_str("FACETCARE_EMAIL_USER", ""),
                "password": env_str("FACETCARE_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("FACETCARE_EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("FACETCARE_FROM_EMAIL", "FacetCare <no-reply@facetcare.invalid>")
FACETCARE_SMS_BACKEND = env_str("FACETCARE_SMS_BACKEND", "facetcare.sms.ConsoleSmsBackend")

# Background work (emails, reminders, waitlist offers) is queued in the database
# (django-tasks-db) and run by a worker: `facetcare serve` starts one beside the
# web server, `facetcare worker` runs one on its own. Nothing slow runs on a request.
TASKS = {
    "default": {"BACKEND": env_str("FACETCARE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

# Links in emails (manage a booking, accept a waitlist offer) start with this.
FACETCARE_SITE_URL = env_str("FACETCARE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Caches: rate-limit counters live here. The embedded tier keeps them in process
# memory; production points FACETCARE_CACHE_URL at Redis so every worker shares them.
_CACHE_URL = env_str("FACETCARE_CACHE_URL", "")
if _CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages: requests per client address per minute (django-ratelimit).
FACETCARE_PUBLIC_RATE = env_str("FACETCARE_PUBLIC_RATE", "120/m")
FACETCARE_PUBLIC_WRITE_RATE = env_str("FACETCARE_PUBLIC_WRITE_RATE", "20/m")
RATELIMIT_VIEW = "facetcare.web.views.rate_limited"

# A clinic's own policy packs (YAML) are loaded from here beside the shipped ones.
# The policy pack a new episode of care follows unless one is named.
FACETCARE_DEFAULT_POLICY_PACK = env_str("FACETCARE_DEFAULT_POLICY_PACK", "uk_nice_ng59_clinic")
FACETCARE_POLICY_PACK_DIR = env_str("FACETCARE_POLICY_PACK_DIR", str(DATA_DIR / "policy-packs"))

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# --- Sign-in, sessions and headers (docs/security.md) ---
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Patients' emailed sign-in links (django-sesame; the portal's own sign-in page).
    "sesame.backends.ModelBackend",
]
# Who must give a one-time code after the password: "off", "clinical"
# (physiotherapists, consultants and anyone opening the admin site) or "all".
# A user who has set up an authenticator app is asked for a code whatever this says.
FACETCARE_REQUIRE_2FA = env_str("FACETCARE_REQUIRE_2FA", "off" if DEBUG else "clinical")
if FACETCARE_REQUIRE_2FA not in {"off", "clinical", "all"}:
    raise ConfigurationError(
        f"FACETCARE_REQUIRE_2FA must be off, clinical or all, got {FACETCARE_REQUIRE_2FA!r}"
    )
OTP_TOTP_ISSUER = "FacetCare"
# Signed-in users are signed out after this many minutes without a request (0: never),
# and in any case this many hours after signing in.
FACETCARE_IDLE_TIMEOUT_MINUTES = env_int("FACETCARE_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("FACETCARE_SESSION_MAX_HOURS", 12) * 3600

# Patient portal: a sign-in link works once (the next sign-in changes what it was
# signed against) and for this many minutes; links are asked for at most this
# often per email address, beside the public write rate per client address.
SESAME_MAX_AGE = env_int("FACETCARE_PORTAL_LINK_MINUTES", 15) * 60
SESAME_ONE_TIME = True
FACETCARE_PORTAL_LINK_RATE = env_str("FACETCARE_PORTAL_LINK_RATE", "5/h")

# Password lockout (django-axes): after this many failures for one account, or the
# address limit from one client address, sign-in waits for the cool-off period.
# Attempts are kept in the database (admin: Axes); `facetcare axes_reset_username NAME`
# or `facetcare axes_reset_ip ADDRESS` unlocks at once.
AXES_FAILURE_LIMIT = env_int("FACETCARE_LOGIN_FAILURE_LIMIT", 5)
FACETCARE_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("FACETCARE_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FACETCARE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "facetcare.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "facetcare.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "facetcare.config.proxies.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Rate limits (public pages: django-ratelimit; the API: config/throttling.py).
# FACETCARE_RATE_LIMITS=false turns every one of them off (load tests).
RATELIMIT_ENABLE = env_bool("FACETCARE_RATE_LIMITS", default=True)
FACETCARE_API_TOKEN_RATE = env_str("FACETCARE_API_TOKEN_RATE", "600/m")

# Behind reverse proxies: how many (the client's address is taken from
# X-Forwarded-For accordingly), and the header that says the request came over HTTPS.
FACETCARE_PROXY_COUNT = env_int("FACETCARE_PROXY_COUNT", 0)
if FACETCARE_PROXY_COUNT > 0:
    RATELIMIT_IP_META_KEY = "facetcare.config.proxies.client_address"
_PROXY_SSL_HEADER = env_str("FACETCARE_PROXY_SSL_HEADER", "")
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

# HTTPS only when debug is off: redirect, cookies marked Secure, HSTS for a year.
SECURE_SSL_REDIRECT = env_bool("FACETCARE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Pages carry the CSRF token in their forms and htmx headers; no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("FACETCARE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FACETCARE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("FACETCARE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Browsers ship the preload list for months and leaving it is slow: a clinic
    # opts in knowingly (FACETCARE_HSTS_PRELOAD=true) rather than by default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Manage links carry a token in their path: it must not leak to another site.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features pages may use (config/headers.py). The public clinic finder
# offers "use my location"; nothing uses the camera, microphone or payments.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "browsing-topics": [],
}

_LOG_LEVEL = env_str("FACETCARE_LOG_LEVEL", "WARNING")
# One JSON object per line (with the request id) for a log collector in
# production; plain text while developing.
_LOG_FORMAT = env_str("FACETCARE_LOG_FORMAT", "text" if DEBUG else "json")
if _LOG_FORMAT not in FORMATS:
    raise ConfigurationError(f"FACETCARE_LOG_FORMAT must be json or text, got {_LOG_FORMAT!r}")
LOGGING = logging_config(level=_LOG_LEVEL, log_format=_LOG_FORMAT)
