"""Settings for Stödperson, read from the environment only.

Every variable is documented in .env.example. The defaults are safe and local:
DEBUG off, a SQLite file, a server-less Celery broker in var/broker.
"""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-change-me-" + "x" * 40)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="Stödpersonsregistret")

INSTALLED_APPS = [
    "stodperson.admin_site.StodpersonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "audit",
    "accounts",
    "clients",
    "supportpersons",
    "assignments",
    "duties",
    "flags",
    "payments",
    "overview",
    "reports",
    "demo",
]
# The benchmark (`manage.py bench` and its floor page) is installed only where it is asked
# for: `make bench` and the test suite turn it on; production never has it.
BENCHMARKS_ENABLED = env.bool("BENCHMARKS_ENABLED", default=False)
if BENCHMARKS_ENABLED:
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stodperson.sessions.SessionKeepAliveMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The one place two-factor login is enforced for pages (stodperson/two_factor.py).
    "stodperson.two_factor.TwoFactorMiddleware",
    # Writes what the response showed of persons, in one INSERT (audit/log.py).
    "audit.log.ReadLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stodperson.urls"
WSGI_APPLICATION = "stodperson.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stodperson.context_processors.roles",
                "stodperson.context_processors.service_header",
                "flags.context_processors.open_flags",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}

# Argon2id (OWASP's first choice); older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # Lockout after repeated failed logins, by user name and address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Django's passwords, refused while LOCAL_PASSWORDS_ENABLED is off.
    "accounts.backends.PasswordBackend",
    # Single sign-on (OpenID Connect), active while OIDC_ENABLED is on.
    "accounts.backends.OIDCBackend",
]
# Off: only single sign-on logs in, on the login page and in the admin.
LOCAL_PASSWORDS_ENABLED = env.bool("LOCAL_PASSWORDS_ENABLED", default=True)

# Single sign-on over OpenID Connect (mozilla-django-oidc): the authorisation code flow with
# PKCE, state and nonce; the ID token is checked against the provider's JWKS (RS256), its
# issuer and audience. The provider's endpoints are set here, not discovered, so the start of
# the application never depends on the provider answering.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# Not used (the claims come from the verified ID token), but the library requires it.
OIDC_OP_USER_ENDPOINT = ""
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_CLOCK_SKEW_SECONDS = 60
# The claim that says who the person is, matched against accounts.IdentityLink: `sub`, or
# Entra ID's `oid`, or an employee number the broker sends.
OIDC_USER_CLAIM = env.str("OIDC_USER_CLAIM", default="sub")
# `acr` or `amr` values that count as two factors (e.g. "mfa", or a broker's level of
# assurance for BankID/SITHS); such a login owes no code from the app. Empty: none does.
OIDC_MFA_ACR_VALUES = env.list("OIDC_MFA_ACR_VALUES", default=[])
OIDC_MFA_AMR_VALUES = env.list("OIDC_MFA_AMR_VALUES", default=[])
_oidc_required = {
    "OIDC_OP_ISSUER": OIDC_OP_ISSUER,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
    "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    "OIDC_OP_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
    "OIDC_RP_CLIENT_ID": OIDC_RP_CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
}
if OIDC_ENABLED and (
    _oidc_missing := [name for name, value in _oidc_required.items() if not value]
):
    # Without the issuer the token's `iss` would go unchecked: refuse to start instead.
    raise ImproperlyConfigured(f"OIDC_ENABLED needs {', '.join(_oidc_missing)}")
if not (OIDC_ENABLED or LOCAL_PASSWORDS_ENABLED):
    raise ImproperlyConfigured("LOCAL_PASSWORDS_ENABLED=false needs OIDC_ENABLED=true")
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address, for the lockout, through django-ipware (axes uses it when installed).
# Behind AXES_PROXY_COUNT reverse proxies, each appends the address it was reached from to the
# trusted header, so the client is that many entries from the right; anything further left is
# what the client sent itself and is never trusted. ipware counts only the proxies named in the
# header (the nearest is REMOTE_ADDR), hence one less. With no proxy: the connection's address,
# and a client's own X-Forwarded-For is ignored.
_AXES_PROXIES = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = _AXES_PROXIES - 1 if _AXES_PROXIES > 0 else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    (env.str("AXES_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR"),)
    if _AXES_PROXIES > 0
    else ("REMOTE_ADDR",)
)
# Count from the right even when a client sent entries of its own (strict would give no
# address at all, and every such client would share one lockout).
IPWARE_STRICT = False
# Single sign-on's return is neither counted nor locked (accounts/backends.py says why).
AXES_WHITELIST_CALLABLE = "accounts.backends.is_single_sign_on_return"

# Two-factor login with an authenticator app (django-otp, TOTP): required of the roles listed
# (administrator, manager, support_person), optional for administrators otherwise. The old
# OTP_REQUIRED_FOR_ADMINISTRATORS still adds administrators. A wrong code makes the next try
# wait 1, 2, 4, 8 ... seconds.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_REQUIRED_FOR_ADMINISTRATORS = env.bool("OTP_REQUIRED_FOR_ADMINISTRATORS", default=False)
if _unknown_roles := set(OTP_REQUIRED_ROLES) - {"administrator", "manager", "support_person"}:
    # A misspelt role would silently leave it without two-factor login.
    raise ImproperlyConfigured(f"OTP_REQUIRED_ROLES: unknown roles {sorted(_unknown_roles)}")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_TOTP_ISSUER = ORGANISATION_NAME
# The admin never shows a device's secret key or QR code: they are their owner's only.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Swedish dates as the interface writes them ("9 sep 2026"; stodperson/formats/sv/formats.py).
FORMAT_MODULE_PATH = ["stodperson.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Receipts of the volunteers' expenses (issue #16): outside MEDIA_ROOT, so no URL reaches
# them; served only by assignments.contact_views.receipt, which checks access first.
RECEIPTS_ROOT = env.path("RECEIPTS_ROOT", default=VAR_DIR / "receipts")
RECEIPT_MAX_BYTES = env.int("RECEIPT_MAX_BYTES", default=5 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail. Notifications carry counts and a link only, never personal data (domain.md, privacy).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stodperson@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long a volunteer's invitation link (set a password) works (issue 16).
VOLUNTEER_INVITATION_HOURS = env.int("VOLUNTEER_INVITATION_HOURS", default=72)

# Production switches: off by default so live_server tests and the local run work over HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading HSTS binds the domain and its subdomains to HTTPS in browsers for good: the
# organisation decides it (hstspreload.org), it is not a default. Without it, check --deploy's
# reminder (W021) is a decision already taken, not a finding.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: everything comes from our own static files.
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
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Idle sessions end after SESSION_COOKIE_AGE; the expiry is moved on at most this often
# (stodperson/sessions.py), not on every request.
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Celery. Without a broker URL the jobs run on kombu's server-less filesystem transport,
# so the local run needs no Redis; production and CI set CELERY_BROKER_URL to Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
if not CELERY_BROKER_URL:
    _broker_dir = VAR_DIR / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # All checks, then the digest. Times are CELERY_TIMEZONE (Europe/Stockholm).
    "daily-checks": {
        "task": "flags.tasks.run_daily_checks",
        "schedule": crontab(hour="5", minute="30"),
    },
    # The request clock (3 working days) in working hours, between the nightly runs.
    "request-checks": {
        "task": "flags.tasks.run_request_checks",
        "schedule": crontab(hour="7-17", minute="5", day_of_week="mon-fri"),
    },
    # Retention (gallring), on the first night of the month.
    "retention": {
        "task": "reports.tasks.run_retention",
        "schedule": crontab(hour="3", minute="15", day_of_month="1"),
    },
    # The drafts' figures, computed again after the night's checks.
    "draft-report-figures": {
        "task": "reports.tasks.refresh_draft_figures",
        "schedule": crontab(hour="5", minute="45"),
    },
    # Offers past their time are written down as expired (they read as expired at once).
    "expire-offers": {
        "task": "assignments.tasks.expire_offers",
        "schedule": crontab(minute="*/15"),
    },
    # A second chance for the digest; it sends nothing to anyone who had today's.
    "daily-digest": {
        "task": "flags.tasks.send_digests",
        "schedule": crontab(hour="6", minute="30"),
    },
}

# Programme rules live in the database (Programme); these are deployment-wide choices.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=5)
# The scheduled run anonymises only when this is on; otherwise it is a logged dry run.
RETENTION_AUTO_APPLY = env.bool("RETENTION_AUTO_APPLY", default=False)
REPORT_MIN_GROUP_SIZE = env.int("REPORT_MIN_GROUP_SIZE", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "mozilla_django_oidc": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
