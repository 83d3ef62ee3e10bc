"""
Settings of the example service: the smallest Django project that authenticates requests with
asymmetric_jwt_auth. Everything that differs between machines comes from the environment:

    EXAMPLE_DB_PATH        SQLite database file (default: db.sqlite3 beside manage.py)
    EXAMPLE_REDIS_URL      e.g. redis://127.0.0.1:6379/0: keep used nonces in Redis (needs the
                           ``redis`` package) instead of this process's memory
    EXAMPLE_NONCE_BACKEND  dotted path of the nonce backend (default: the Django cache backend)
    EXAMPLE_SECRET_KEY     Django's SECRET_KEY (default: a fixed, public, example-only value)
    EXAMPLE_DEBUG          "1" for Django's DEBUG mode
"""

from pathlib import Path
import os

BASE_DIR = Path(__file__).resolve().parent.parent

# Example only: a real deployment reads its secret from somewhere private.
SECRET_KEY = os.environ.get("EXAMPLE_SECRET_KEY", "example-only-not-secret")
DEBUG = os.environ.get("EXAMPLE_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",  # the app registers PublicKey and JWKSEndpointTrust in the admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "asymmetric_jwt_auth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After AuthenticationMiddleware: it replaces the anonymous request.user when the
    # Authorization header carries a valid token.
    "asymmetric_jwt_auth.middleware.JWTAuthMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "example_service.urls"
WSGI_APPLICATION = "example_service.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("EXAMPLE_DB_PATH", str(BASE_DIR / "db.sqlite3")),
    },
}

# Replay protection records every used nonce for 2 x TIMESTAMP_TOLERANCE + 1 seconds, in the cache that
# ASYMMETRIC_JWT_AUTH["NONCE_CACHE_ALIAS"] names. A cache that drops live entries would let a token be
# replayed: the database cache culls at MAX_ENTRIES (manage.py check refuses it for nonces), and Django's
# local-memory cache is private to one process. So nonces go to Redis when configured (shared by every
# process); otherwise to a local-memory alias, for which the package keeps them in libajwt's exact
# in-process store: right for this single-process example server (runserver), not for several workers.
# The default cache, a table in the SQLite database (`manage.py createcachetable`), holds the JWKS key sets.
_redis_url = os.environ.get("EXAMPLE_REDIS_URL")
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "example_cache"},
        "nonces": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

ASYMMETRIC_JWT_AUTH = {
    # The defaults, spelled out; see README.md for every setting.
    "AUTH_METHOD": "JWT",
    "TIMESTAMP_TOLERANCE": 20,
    "NONCE_BACKEND": os.environ.get("EXAMPLE_NONCE_BACKEND", "asymmetric_jwt_auth.nonce.django.DjangoCacheNonceBackend"),
    "NONCE_CACHE_ALIAS": "default" if _redis_url else "nonces",
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

STATIC_URL = "static/"

# The middleware says at DEBUG level why it did not authenticate a request (no such user, bad
# signature, replayed nonce, ...): worth seeing in an example.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[%(name)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"asymmetric_jwt_auth": {"handlers": ["console"], "level": "DEBUG", "propagate": False}},
}
