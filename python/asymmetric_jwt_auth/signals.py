"""Receivers that keep the repositories' cache (see :mod:`asymmetric_jwt_auth.repos.cache`) current."""

from typing import Any
import logging

from . import get_setting
from .repos import cache as auth_cache

logger = logging.getLogger(__name__)


#: Saves that only record bookkeeping (a key's or endpoint's last use, a user's last login) change nothing
#: authentication reads.
_BOOKKEEPING_FIELDS = ({"last_used_on"}, {"last_login"})


def retire_cached_auth(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A user, key or JWKS endpoint was saved or deleted: what the cache holds must not outlive the change."""
    if update_fields is not None and set(update_fields) in _BOOKKEEPING_FIELDS:
        return
    try:
        auth_cache.invalidate()
    except Exception as e:  # noqa: BLE001 - the database change stands; only the cache could not follow it
        ttl = int(get_setting("AUTH_CACHE_TTL") or 0)
        log = logger.error if ttl > 0 else logger.debug
        log("Could not retire cached users and keys after a change to %s (%s); it takes effect within AUTH_CACHE_TTL (%d s).", sender.__name__, e, ttl)
