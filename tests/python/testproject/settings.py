"""Django settings of the test project: django.contrib.auth's User, SQLite, local-memory cache."""

import importlib.util
import os
import tempfile

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
# BigAutoField on purpose: the app pins its own AutoField, so makemigrations must stay quiet regardless.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # The live server (test_drf.py, test_admin_browser.py) then serves the admin's CSS and scripts
    "django.contrib.staticfiles",
    "asymmetric_jwt_auth",
]
# The optional extras, where installed (scripts/test-python.sh installs them)
INSTALLED_APPS += [app for app in ("rest_framework", "drf_spectacular") if importlib.util.find_spec(app) is not None]
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "asymmetric_jwt_auth.middleware.JWTAuthMiddleware",
]

ROOT_URLCONF = "testproject.urls"
STATIC_URL = "/static/"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    },
    # Every other cache backend Django ships that runs without a server, for the nonce backend's tests
    # (ASYMMETRIC_JWT_AUTH["NONCE_CACHE_ALIAS"]). The database cache's table is made with the test database.
    "filebased": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(tempfile.gettempdir(), f"ajwt-tests-filebased-cache-{os.getpid()}"),
    },
    "db": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ajwt_tests_cache",
    },
    "dummy": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache",
    },
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"asymmetric_jwt_auth": {"handlers": ["null"], "level": "DEBUG", "propagate": True}},
}
