"""DVO Portal settings: one module, every deployment-specific value read from the environment.

Development (`make run`) sets DEBUG=1; production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
and HTTPS=1 (see README). `manage.py check --deploy` is the gate for a production environment.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
BENCH_VIEWS = env_bool("BENCH_VIEWS", False)  # bench/server.py's yardstick view
# Outside development (DEBUG=1) the app does not start without its own key (a key in this
# file is public, and with it anyone can sign session cookies and password-reset links): the
# WSGI/ASGI application (gunicorn, runserver) and `check --deploy` refuse
# (dvo_portal/startup.py). Tools that need no secret (makemigrations, makemessages,
# collectstatic) still load these settings.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-dvo-portal-development-key-do-not-use"  # noqa: S105
# The keys that encrypt the two-factor secrets (TOTP keys, recovery-code seeds) in the
# database, comma-separated Fernet keys (accounts/mfa_secrets.py): the first encrypts, all decrypt,
# so a new key goes first and `manage.py rotate_mfa_secrets` re-encrypts with it. Without
# one (development, tests) a key derived from SECRET_KEY is used.
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # the sessions page (allauth.usersessions) says "2 hours ago"
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks_db",  # the queue of background tasks (reports/tasks.py), run by db_worker
    "assessments",
    "roadmaps",
    "workshops",
    "reports",
    "backups",
    "accounts",
    "branding",
    "surveys",
    "units",
    "benchmark",
    "portfolio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dvo_portal.responses.InvalidFormStatusMiddleware",  # a refused form answers 422
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dvo_portal.errors.HtmxErrorMiddleware",  # an htmx request's error page: one short line
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who made a change, for the audit
    "dvo_portal.logging.RequestLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dvo_portal.urls"
WSGI_APPLICATION = "dvo_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "branding.context_processors.brand",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE takes the write lock at the start of a transaction, so two writers queue
    # instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in through django-allauth, for its optional second factor (allauth.mfa): an authenticator
# app (TOTP) with recovery codes. Accounts are made by administrators; nobody signs up.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"  # the QR code to scan, drawn with segno
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mails to addresses that have no account
ACCOUNT_PREVENT_ENUMERATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# That check guards open sign-ups; ours are made by admins, and an unverified address left by
# a password-reset request must not stop anyone from switching two-factor on.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "DVO Portal"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way, for phones whose clock drifts
# Each login is recorded with its address and browser (allauth.usersessions): the user's
# sessions page lists them and can end the others, and switching two-factor authentication on
# ends them (accounts/receivers.py). Not kept up to date on every request (that needs
# allauth's UserSessionsMiddleware too): a database write per page for a "last seen" column.
USERSESSIONS_TRACK_ACTIVITY = False


# Brute-force protection (django-axes): 5 failures for one username from one address (an IPv6
# /64 counts as one) lock that pair for 15 minutes; other addresses are not locked out; a
# success resets the count.
# Across usernames: different usernames failing from one address (accounts/adapter.py).
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_FAILURES_PAUSE = env_int("LOGIN_FAILURES_PAUSE_SECONDS", 600)
# Per account, from any address: this many failures in a window lock the account until the
# window ends, its owner resets the password by mail, or an admin runs `unlock_account`.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 50)
LOGIN_ACCOUNT_WINDOW = 3600 * env_int("LOGIN_ACCOUNT_WINDOW_HOURS", 24)
# Wrong workshop codes, on the join page and every participant URL, per address block.
WORKSHOP_WRONG_CODES = env_int("WORKSHOP_WRONG_CODES", 10)
WORKSHOP_WRONG_CODES_WINDOW = 60 * env_int("WORKSHOP_WRONG_CODES_MINUTES", 10)
# Pre-workshop surveys: a respondent group's figures show from this many respondents (a survey
# may ask more, never fewer than 3); new answers through one open link per address block and
# window (a survey's unknown links count as the workshop's wrong codes do).
SURVEY_MIN_GROUP = env_int("SURVEY_MIN_GROUP", 3)
SURVEY_NEW_RESPONSES = env_int("SURVEY_NEW_RESPONSES", 60)
SURVEY_NEW_RESPONSES_WINDOW = 60 * env_int("SURVEY_NEW_RESPONSES_MINUTES", 10)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Trusted reverse proxies in front of the app servers (each appends to X-Forwarded-For):
# django-allauth's rule for the client address, which axes, the per-address login cap and the
# workshop's wrong-code limit use as well (dvo_portal/network.py).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "dvo_portal.network.client_block"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Mail (password resets), Django 6.1's MAILERS. Development prints mails on the console.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG and not env_str("EMAIL_HOST")
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    )
}
# Without a mail server the password reset is switched off (404, no "Forgot your password?").
PASSWORD_RESET_BY_MAIL = DEBUG or bool(env_str("EMAIL_HOST"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "DVO Portal <noreply@localhost>")

# Import WeasyPrint and load the report's fonts when an app server starts (dvo_portal/wsgi.py),
# so the first PDF costs what the second does.
PDF_WARM_UP = env_bool("PDF_WARM_UP", True)

# Two caches. "default" is a database table, shared by every app server: rate limits,
# used-code markers, rendered PDFs (`migrate` creates it, accounts.apps). "local" lives in each
# app process: parts that are cheap to make again and keyed exactly by what they show
# (published model catalogues, rendered grid rows by the assessment's revision), so no two
# servers can disagree about them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dvo_cache",
        # Never culled in practice: rate-limit counters and used-code markers must outlive
        # any flood of other keys (they expire by themselves within minutes).
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dvo-local",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2_000},
    },
}

# Background tasks (Django's django.tasks): PDFs and decks are rendered off the request path.
# The queue is a table in the database (django-tasks-db); `manage.py db_worker` runs it
# (`make run` starts one; see README, Production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# How often a live screen asks for news, in milliseconds: the workshop's votes panel and the
# phones, and the presenter screen following the consultant's laptop.
POLL_MS = {"workshop": 2000, "presenter": 1500}
# How long the grid waits after the last key typed in a row before it saves the row (a click
# saves at once).
SAVE_AFTER_TYPING_MS = 900

# Sessions live in the database so any app server behind a load balancer can serve a user.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Internationalisation: English and Dutch ship together.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# Static files: served by WhiteNoise, hashed and compressed outside development.
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Serve straight from the source folders without collectstatic (development, and the
# scale-out test that starts gunicorn on a fresh checkout).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. HTTPS=1 in production (behind TLS, directly or via a proxy that sets
# X-Forwarded-Proto); it switches on the redirect, secure cookies and HSTS.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (Django's built-in middleware): no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dvo_portal.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {
            "class": "logging.StreamHandler",
            "formatter": env_str("REQUEST_LOG_FORMAT", "json"),
        },
    },
    "loggers": {
        "dvo_portal.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- portfolio settings (re-assessment cadence, reminders) ---
# An organisation without its own cadence is due this many months after its last final
# assessment.
PORTFOLIO_DEFAULT_CADENCE_MONTHS = env_int("PORTFOLIO_CADENCE_MONTHS", 12)
# "Due soon" on the dashboard, and the first reminder mail: this many weeks before the date.
PORTFOLIO_DUE_SOON_WEEKS = env_int("PORTFOLIO_DUE_SOON_WEEKS", 4)
# The "due" mail still goes out this many days after the date (a periodic run that was
# missed); an organisation overdue for longer gets no new mail, the dashboard shows it.
PORTFOLIO_DUE_GRACE_DAYS = env_int("PORTFOLIO_DUE_GRACE_DAYS", 14)
# The links in reminder mails (they are sent by the worker, without a request).
PORTFOLIO_SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

# --- benchmark settings (peer benchmark) ---
# Peer figures are shown only where at least this many other organisations contribute
# (never fewer than 3, whatever the environment says).
BENCHMARK_MIN_PEERS = max(3, env_int("BENCHMARK_MIN_PEERS", 5))
