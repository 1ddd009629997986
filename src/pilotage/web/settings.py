"""Django settings, read only from environment variables (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from pilotage.web.env import envbool, envlist, envpath, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent

PILOTAGE_HOME = envpath("PILOTAGE_HOME", "./var")
PILOTAGE_WAREHOUSE_DIR = envpath("PILOTAGE_WAREHOUSE_DIR", str(PILOTAGE_HOME / "warehouse"))

SECRET_KEY = envsecret("PILOTAGE_SECRET_KEY", PILOTAGE_HOME / "secret_key")
DEBUG = envbool("PILOTAGE_DEBUG", False)
ALLOWED_HOSTS = envlist("PILOTAGE_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("PILOTAGE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "pilotage.web.workspaces",
    "pilotage.web.plans",
    "pilotage.web.control",
    "pilotage.web.experiments",
    "pilotage.web.imports",
    "pilotage.web.customers",
    "pilotage.web.mmm",
    "pilotage.web.strategy",
    "pilotage.web.actions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pilotage.web.urls"
WSGI_APPLICATION = "pilotage.web.wsgi.application"

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
                "pilotage.web.workspaces.context.workspaces",
            ]
        },
    }
]


def _database(url: str) -> dict:
    config = dj_database_url.parse(url)  # one connection per request: safe with any server
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server and the background worker read while one writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
        # Tests get a database file too (not SQLite's shared in-memory database, where a
        # reader fails at once while the background worker writes): WAL, like production.
        config["TEST"] = {"NAME": str(PILOTAGE_HOME / "test-pilotage.sqlite3")}
    return config


DATABASES = {
    "default": _database(
        envstr("PILOTAGE_DATABASE_URL", f"sqlite:///{PILOTAGE_HOME / 'pilotage.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (imports) runs in the background: tasks wait in the app database and a worker runs
# them — inside `pilotage serve` unless PILOTAGE_RUN_WORKER is false (then run
# `pilotage manage db_worker` as its own process).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PILOTAGE_RUN_WORKER = envbool("PILOTAGE_RUN_WORKER", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portfolio"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = envstr("PILOTAGE_TIME_ZONE", "Europe/Paris")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = PILOTAGE_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve the package's static files straight from the app folders: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SECURE = envbool("PILOTAGE_SECURE", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
