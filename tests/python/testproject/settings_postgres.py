"""
The test project with its database on PostgreSQL: the whole suite runs here as well as on SQLite. The cache
stays the local-memory one (several unit tests move a frozen clock past cache expiries, which a Redis server
does not see); the Redis tests switch Django's cache to Redis themselves (conftest_services.redis_cache).

Connection settings come from scripts/services.sh (``eval "$(scripts/services.sh start)"``), which
scripts/test-services.sh does before running pytest with ``--ds testproject.settings_postgres``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403

if not os.environ.get("AJWT_PG_PORT"):
    raise ImproperlyConfigured('AJWT_PG_PORT is not set: start the services first (eval "$(scripts/services.sh start)")')

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("AJWT_PG_HOST", "127.0.0.1"),
        "PORT": os.environ["AJWT_PG_PORT"],
        "USER": os.environ.get("AJWT_PG_USER", "ajwt"),
        "PASSWORD": "",
        "NAME": os.environ.get("AJWT_PG_DB", "ajwt"),
        # A database that is down fails a test quickly instead of hanging it
        "OPTIONS": {"connect_timeout": 5},
    },
}
