"""
Settings of the Django fleet service (tests/fleet/README.md). serve.py fills the FLEET_* environment variables from
the contract's command line before Django reads this module.
"""

import os

NAME = os.environ["FLEET_NAME"]
REDIS_URL = os.environ["FLEET_REDIS_URL"]
KEY_FILE = os.environ["FLEET_KEY"]
JWKS_FILE = os.environ.get("FLEET_JWKS_FILE") or None
JWKS_TTL = int(os.environ.get("FLEET_JWKS_TTL", "2"))

SECRET_KEY = "fleet-test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
ROOT_URLCONF = "fleetsite.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "asymmetric_jwt_auth",
    "fleetsite",
]

# No sessions: a request is a user only when its JWT verified.
MIDDLEWARE = [
    "asymmetric_jwt_auth.middleware.JWTAuthMiddleware",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["FLEET_DB"],
    }
}

CACHES = {
    # This process's own: the JWKS key sets (each service fetches and caches them itself).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The fleet's shared nonce store. Keys are used as given (no "prefix:version:"), so that the key the package
    # writes is the core's ajwt_nonce_key, the one every other service writes.
    "nonces": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "fleetsite.cache_keys.unchanged_key",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}

ASYMMETRIC_JWT_AUTH = {
    "NONCE_CACHE_ALIAS": "nonces",
    # The contract's --jwks-ttl: key sets are refreshed this often (and at most this often on an unknown kid).
    "JWKS_CACHE_TTL": JWKS_TTL,
    "JWKS_REFRESH_COOLDOWN": JWKS_TTL,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": f"django[{NAME}] %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
    "loggers": {
        # The package's refusal reasons are DEBUG records (claimed username escaped, token redacted).
        "asymmetric_jwt_auth": {"handlers": ["stderr"], "level": "DEBUG", "propagate": False},
        "fleetsite": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
