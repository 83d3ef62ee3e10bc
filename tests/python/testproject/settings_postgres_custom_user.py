"""The swapped-in user model suite (settings_custom_user) on PostgreSQL (settings_postgres)."""

from .settings_postgres import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "testproject.accounts"]  # noqa: F405
AUTH_USER_MODEL = "accounts.Account"
