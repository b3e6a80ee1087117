"""Settings shared by every environment.

The environment is read here and only here. With no variables set at all the project runs
on an SQLite file in the project folder with Celery tasks executed eagerly in process, so a
laptop needs nothing but Python.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_htmx",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "common",
    "organisation",
    "kunskapsstyrning",
    "remisser",
    "gapanalys",
    "implementering",
    "sammantraden",
    "devdata",
    "nationellt",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organisation.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the view's transaction has committed: counts the change in the person's regions.
    "organisation.middleware.RegionChangeMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "organisation.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# DATABASE_URL=postgres://… selects PostgreSQL. Connections are kept open between requests
# (a new connection per request cost 10× the throughput when measured) and health-checked so
# that a restarted server does not break the first request after it.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The working set (cases, gap rows, timelines) is in memory or on SSD, where a random read
    # costs about what a sequential one does. With PostgreSQL's default of 4 (spinning disks)
    # the planner read all 68,000 recommendations to join a 300-row gap analysis to its own
    # (10 ms) instead of 300 index lookups (0.8 ms). DATABASE_RANDOM_PAGE_COST overrides it.
    random_page_cost = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={random_page_cost}"
    )
else:
    # SQLite serves one laptop user well if writers wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, authentication and permissions ------------------------------------------------
AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "organisation.backends.LocalPasswordBackend",
    "organisation.oidc.OrganisationOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors see nothing.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "kunskapsstyrning:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): five failures lock the username+address pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# Sign-in through the organisation's identity provider (OpenID Connect; organisation/oidc.py,
# README "Connect a regional IdP"). Off until OIDC_CLIENT_ID and the endpoints are set. People
# are matched on HSA-ID, then e-mail, and never created from the IdP's claims.
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env("OIDC_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_END_SESSION_ENDPOINT", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_HSA_ID_CLAIM = env("OIDC_HSA_ID_CLAIM", default="hsa_id")
OIDC_EMAIL_CLAIM = env("OIDC_EMAIL_CLAIM", default="email")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")
OIDC_CLOCK_SKEW = env.int("OIDC_CLOCK_SKEW", default=60)  # seconds of drift allowed
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = True  # the hint that lets the IdP end its session at sign-out
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "organisation.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "organisation.oidc.AuthenticateView"
# The product's own passwords: "all", "superusers" (an emergency administrator) or "off".
LOCAL_LOGIN = env("LOCAL_LOGIN", default="all")

# Sessions stay in the database (never Redis): logging everyone out must not depend on a cache.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Language -----------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files and generated documents -------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: documents go through a permission-checked view.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="kunskapsstyrning@localhost")
# The site's address: the e-mails' links and the verification address every sealed document
# prints are absolute with it (bare paths without, which a PDF or an e-mail cannot follow).
SITE_URL = env("SITE_URL", default="")

# --- Celery -------------------------------------------------------------------------------
# REDIS_URL selects a real broker and worker; without it tasks run eagerly in the process
# that queues them, which is what a laptop needs.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_IGNORE_RESULT = True  # tasks record their outcome on the rows they work on
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Tasks are idempotent, so a task cut off by a lost broker connection may simply run again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Publishing gives up quickly when Redis is down: the request is already recorded and a periodic
# task queues it again, so a user's decision must not hang on the broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
# A worker killed mid-task holds its unacknowledged message until Redis's visibility timeout
# (kombu's default is an hour). Sized to the longest a task may run: every task is idempotent
# and a document's render claims it first, so a message delivered twice does its work once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 30}
CELERY_BEAT_SCHEDULE = {
    "documents-requeue-stale": {
        "task": "kunskapsstyrning.tasks.documents_requeue_stale",
        "schedule": 30.0,
    },
    "memberships-sync-daily": {
        "task": "organisation.tasks.memberships_sync_due",
        "schedule": crontab(hour=0, minute=5),
    },
    # One reminder e-mail a person a day, whatever waits for them (remiss answers, rounds at
    # risk, decisions): kunskapsstyrning.notifications.digest_send.
    "daily-digest": {
        "task": "kunskapsstyrning.tasks.daily_digest_send",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Security headers ---------------------------------------------------------------------
# No inline scripts or styles anywhere: every asset is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
if OIDC_OP_LOGOUT_ENDPOINT:
    # Signing out posts a form whose answer redirects to the IdP's end-session endpoint, and
    # browsers hold that redirect to form-action.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        urlsplit(OIDC_OP_LOGOUT_ENDPOINT)._replace(path="", query="").geturl()
    )
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- The product ---------------------------------------------------------------------------
# Days before an internal remiss deadline when a chair who has not answered is reminded.
REMISS_REMINDER_DAYS = env.int("REMISS_REMINDER_DAYS", default=5)
# Days a part of a decision waits for its decision-maker before the daily digest reminds them
# (and every seven days after).
DECISION_REMINDER_DAYS = env.int("DECISION_REMINDER_DAYS", default=7)
# The organisation certificate that seals every document (PEM; common/seal.py). `make run`
# makes a self-signed demonstration certificate here if none is there.
DOCUMENT_SEAL_CERT = env.path("DOCUMENT_SEAL_CERT", default=BASE_DIR / "var/seal/cert.pem")
DOCUMENT_SEAL_KEY = env.path("DOCUMENT_SEAL_KEY", default=BASE_DIR / "var/seal/key.pem")
DOCUMENT_SEAL_KEY_PASSPHRASE = env("DOCUMENT_SEAL_KEY_PASSPHRASE", default="")
# --- The API (api/, README "API") --------------------------------------------------------
# Read-only JSON for intranets and BI, opened by personal tokens; each token sees what its owner
# sees on the pages. API_RATE: requests per user, e.g. "1200/hour" or "20/min".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_RATE", default="1200/hour")},
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
# The rate is counted in a cache every web process shares (Redis, its own key prefix) when
# there is one; the default cache stays Django's per-process memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "api",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kunskapsstyrning – öppet API",
    "DESCRIPTION": (
        "Läs kunskapsstöd, ärenden, beslut med dokument, gap-analysernas siffror och "
        "uppföljningens indikatorer och mätvärden. Varje personlig nyckel ser exakt det som "
        "dess ägare ser i produkten; det som ligger utanför finns inte (404)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema itself: for someone signed in, in the browser or with a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# The benchmark's reference pages R0 and R1 (bench/urls.py), for `make bench` only.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "common.logging.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Every eager task and every command would otherwise announce itself.
        "celery.app.trace": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
