"""Reading Room settings: one module, driven by environment variables (documented in .env.example).

Embedded defaults (SQLite, in-process cache, database task queue) need no configuration;
DATABASE_URL and REDIS_URL scale the same code out to PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DATA_DIR = Path(os.environ.get("RR_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("RR_DEBUG", False)
SECRET_KEY_FILE = DATA_DIR / "secret_key"


def _secret_key() -> str:
    """A secret from the environment, else one generated once and kept in the data directory."""
    if os.environ.get("RR_SECRET_KEY"):
        return os.environ["RR_SECRET_KEY"]
    if not SECRET_KEY_FILE.exists():
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY_FILE.write_text(get_random_secret_key() + get_random_secret_key())
        SECRET_KEY_FILE.chmod(0o600)
    return SECRET_KEY_FILE.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("RR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
SITE_NAME = os.environ.get("RR_SITE_NAME", "Reading Room")
# Public origin used in emails and links. HTTPS in production; plain http on the local demo.
SITE_URL = os.environ.get("RR_SITE_URL", "http://127.0.0.1:8000")
HTTPS = env_bool("RR_HTTPS", SITE_URL.startswith("https://"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves its docs page's assets locally (no CDN)
    "readingroom.core",
    "readingroom.accounts",
    "readingroom.notifications",
    "readingroom.posts",
    "readingroom.network",
    # After posts and network, though below them in the layers: the apps register notification
    # kinds in this order, and members look for mentions and replies first in their settings.
    "readingroom.groups",
    "readingroom.discussions",
    # After posts and network: the order apps register notification kinds is the order of their tabs.
    "readingroom.messaging",
    "readingroom.digests",
    "readingroom.search",
    "readingroom.learning",
    "readingroom.skills",
    "readingroom.goals",
    "readingroom.cpd",
    "readingroom.portfolio",
    "readingroom.pln",
    "readingroom.api",
    "readingroom.ops",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "readingroom.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "readingroom.accounts.middleware.MemberTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "readingroom.core.middleware.RateLimitedMiddleware",
    "readingroom.posts.middleware.ActivityMiddleware",
]

ROOT_URLCONF = "readingroom.urls"
WSGI_APPLICATION = "readingroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "readingroom" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "readingroom.core.context_processors.site",
                "readingroom.notifications.context_processors.unread_badge",
                "readingroom.messaging.context_processors.unread_messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            # Cached loaders in every mode: template parsing is a large share of a timeline request.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Django's SQLite backend with a writers' queue in front of SQLite's write lock (see its docstring).
SQLITE_ENGINE = "readingroom.core.sqlite"
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"].update(ENGINE=SQLITE_ENGINE, OPTIONS={})
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": DATA_DIR / "readingroom.sqlite3",
            # Keep each thread's connection: opening one (and its PRAGMAs, page cache and compiled
            # statements) on every request cost several milliseconds.
            "CONN_MAX_AGE": None,
        }
    }
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    # WAL + BEGIN IMMEDIATE + busy timeout: concurrent writers queue instead of failing,
    # and no acknowledged write is lost (see shared/SECURITY.md, durability).
    # Tests get an in-memory database, as for Django's own engine name (which pytest-django checks).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# --- Cache, sessions, tasks -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "readingroom"}}
# Live updates (direct messages, ADR 0014): the web server publishes through the channel layer and
# the live process (`readingroom live`, ASGI) relays to browsers. Redis crosses processes; the
# embedded in-process layer cannot, so there the live process polls for new messages instead.
ASGI_APPLICATION = "readingroom.asgi.application"
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Where browsers open the live WebSocket: a full ws(s):// URL (behind a proxy, e.g.
# wss://rr.example.org/live/), or by default the page's own host on RR_LIVE_PORT.
RR_LIVE_PORT = env_int("RR_LIVE_PORT", 8001)
RR_LIVE_URL = os.environ.get("RR_LIVE_URL", "")
# Seconds between a conversation page's fetches of new messages when the WebSocket is not open.
RR_MESSAGES_POLL_SECONDS = env_int("RR_MESSAGES_POLL_SECONDS", 10)

# Sessions live in the database (durable) with the cache in front (fast reads).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

# Every background job goes through Django's task API; the queue is durable rows in our own
# database in both modes (Redis holds nothing that cannot be rebuilt). See docs/adr/0003-tasks.md.
TASKS = {"default": {"BACKEND": os.environ.get("RR_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend (sign in by email), loading the member and profile in one query per request.
AUTHENTICATION_BACKENDS = ["readingroom.accounts.backends.MemberBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "posts:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("RR_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:onboarding"
ACCOUNT_ADAPTER = "readingroom.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "readingroom.accounts.forms.SignupForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Throttles with a cool-off, never a permanent lock (allauth counts per IP and per account key).
ACCOUNT_RATE_LIMITS = {
    "login": "25/5m/ip",
    "login_failed": "10/5m/ip,5/5m/key",
    "signup": "5/30m/ip",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
if env_bool("RR_DISABLE_RATE_LIMITS", False):
    ACCOUNT_RATE_LIMITS = False
RR_RATE_LIMITS_ENABLED = not env_bool("RR_DISABLE_RATE_LIMITS", False)

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("RR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("RR_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("RR_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("RR_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("RR_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("RR_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("RR_FROM_EMAIL", "Reading Room <noreply@readingroom.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "readingroom" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("RR_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Learning evidence (certificates, notes): never under MEDIA_ROOT, served only by views that check
# the owning record's visibility.
RR_PRIVATE_ROOT = DATA_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default
CSRF_TRUSTED_ORIGINS = [SITE_URL]
SECURE_SSL_REDIRECT = HTTPS and env_bool("RR_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("RR_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if HTTPS else ["security.W004", "security.W008", "security.W012", "security.W016"]



def _live_origins() -> list[str]:
    """The live process's WebSocket origins, which pages may connect to."""
    from urllib.parse import urlsplit

    if RR_LIVE_URL:
        parts = urlsplit(RR_LIVE_URL)
        return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("ws", "wss") else []
    scheme = "wss" if HTTPS else "ws"
    return [f"{scheme}://{h}:{RR_LIVE_PORT}" for h in ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # No inline script or style anywhere: every script and stylesheet is a static file.
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", *_live_origins()],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RR_LOG_LEVEL", "WARNING")},
    "loggers": {"readingroom": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Reading Room domain settings -------------------------------------------------------------
RR_TIMELINE_CAP = env_int("RR_TIMELINE_CAP", 800)  # stored home-timeline rows per member
RR_ACTIVE_DAYS = env_int("RR_ACTIVE_DAYS", 14)  # fan-out skips members unseen for longer
RR_PAGE_SIZE = 20
RR_POST_MAX_CHARS = 1000
RR_MAX_IMAGES = 4
RR_REPLY_MAX_CHARS = 20_000  # a discussion reply: room for a considered answer, not a book
RR_TOPIC_PAGE_SIZE = 50  # replies per page of a topic
RR_MAX_ATTACHMENTS = 5
RR_MESSAGE_MAX_CHARS = 5000
RR_MESSAGES_PAGE_SIZE = 40  # messages per page of a conversation
RR_IMAGE_MAX_BYTES = 8 * 1024 * 1024
RR_IMAGE_MAX_PIXELS = 40_000_000
RR_SIGNUP_OPEN = env_bool("RR_SIGNUP_OPEN", True)
# Seconds between the header's unread-count refreshes while a tab is visible (ADR 0008).
RR_NOTIFICATIONS_POLL_SECONDS = env_int("RR_NOTIFICATIONS_POLL_SECONDS", 20)
# Digest emails (ADR 0009): members per batch of a run, and how often the worker looks for due digests.
RR_DIGEST_BATCH_SIZE = env_int("RR_DIGEST_BATCH_SIZE", 500)
RR_DIGEST_CHECK_SECONDS = env_int("RR_DIGEST_CHECK_SECONDS", 60)
RR_DIGEST_RUNS = env_int("RR_DIGEST_RUNS", 2)  # digest runs sending at once, each in its own worker
