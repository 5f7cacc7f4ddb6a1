"""Tanyuan settings: one module, read from the environment by strict helpers.

SQLite (``var/tanyuan.sqlite3``) is the default; ``DATABASE_URL`` switches to
PostgreSQL. ``DEBUG`` is off unless set, and there is no development
``SECRET_KEY`` unless it is on.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from kb.lib.env import EnvError, env_base_url, env_bool, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KB_VAR_DIR", str(BASE_DIR / "var")))

try:
    DEBUG = env_bool("DEBUG", False)
    _secret = env_str("SECRET_KEY")
    if not _secret:
        if not DEBUG:
            raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
        _secret = "django-insecure-dev-only-key-tanyuan"
    SECRET_KEY = _secret
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    _database_url = env_str("DATABASE_URL")
    DATABASES = {
        "default": parse_database_url(_database_url)
        if _database_url
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "tanyuan.sqlite3")}
    }
    KB_PUBLIC_READ = env_bool("KB_PUBLIC_READ", True)
    KB_UPLOAD_MAX_MB = env_int("KB_UPLOAD_MAX_MB", 50)
    KB_UPLOAD_STALLED_MINUTES = env_int("KB_UPLOAD_STALLED_MINUTES", 30)
    # Limits of one parse (kb.services.parse_runner) and of one publication (kb.services.loading)
    KB_PARSE_ISOLATED = env_bool("KB_PARSE_ISOLATED", True)
    KB_PARSE_MEMORY_MB = env_int("KB_PARSE_MEMORY_MB", 2048)
    KB_PARSE_TIMEOUT_S = env_int("KB_PARSE_TIMEOUT_S", 900)
    KB_PARSE_MAX_PAGES = env_int("KB_PARSE_MAX_PAGES", 2000)
    KB_PUBLISH_MAX_CHARS = env_int("KB_PUBLISH_MAX_CHARS", 3_000_000)
    for _name in ("KB_PARSE_MEMORY_MB", "KB_PARSE_TIMEOUT_S", "KB_PARSE_MAX_PAGES", "KB_PUBLISH_MAX_CHARS"):
        if globals()[_name] <= 0:
            raise EnvError(f"{_name} must be a positive integer; got {globals()[_name]}")
    # Concept IRIs (the SKOS export's @id, matched again on import) start here, whatever host served them.
    KB_BASE_URL = env_base_url("KB_BASE_URL", "http://localhost:8000")
    KB_SAMPLE_CORPUS = env_str("KB_SAMPLE_CORPUS", str(BASE_DIR.parent / "shared" / "corpus"))
    KB_SEARCH_INDEX_DIR = env_str("KB_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index"))
    KB_SEARCH_THESAURUS_TTL = env_int("KB_SEARCH_THESAURUS_TTL", 30)
    _axes_enabled = env_bool("KB_LOGIN_THROTTLE", True)
    _axes_limit = env_int("KB_LOGIN_FAILURE_LIMIT", 5)
    _axes_minutes = env_int("KB_LOGIN_LOCKOUT_MINUTES", 30)
    SECURE = env_bool("KB_SECURE", not DEBUG)
    SECURE_SSL_REDIRECT = env_bool("KB_SSL_REDIRECT", SECURE)
    SECURE_HSTS_SECONDS = env_int("KB_HSTS_SECONDS", 31536000 if SECURE else 0)
except EnvError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}

INSTALLED_APPS = [
    "kb.apps.TanyuanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "papers",
    "kb",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kb.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # History rows of writes made in a request name the user who made them.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so its 400 page has the user, messages and CSP nonce: control characters refused,
    # bidi controls in pages made visible (kb.textguard).
    "kb.textguard.UserTextMiddleware",
    # Login throttling: the lock-out page for a username + address with too many failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

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
                "kb.context_processors.roles",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Members of the Admin group hold every permission (Django admin included).
    "kb.auth.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after KB_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked out for KB_LOGIN_LOCKOUT_MINUTES (0: until an admin runs
# ``manage.py axes_reset`` or ``axes_reset_username``). A successful login resets the count.
AXES_ENABLED = _axes_enabled
AXES_FAILURE_LIMIT = _axes_limit
AXES_COOLOFF_TIME = timedelta(minutes=_axes_minutes) if _axes_minutes else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
# Each language is named in itself on the switcher.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# One queue per kind of work, each with its own worker (``make run``, docker-compose.yml), so a long
# parse or publication never holds up indexing: an edit stays findable within seconds.
TASK_QUEUES = {"indexing": "indexing", "parsing": "parsing", "publishing": "publishing"}
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", *TASK_QUEUES.values()],
    }
}

# Security headers. A strict CSP: no inline scripts or styles, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("KB_BEHIND_PROXY", False) else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
