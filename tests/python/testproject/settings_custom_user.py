"""The test project with a swapped-in user model whose USERNAME_FIELD is ``email`` (no ``username`` field)."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "testproject.accounts"]  # noqa: F405
AUTH_USER_MODEL = "accounts.Account"
