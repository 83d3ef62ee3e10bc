"""Receivers that keep the repositories' key cache (see :mod:`asymmetric_jwt_auth.repos.cache`) current."""

from typing import Any
import logging

from . import get_setting
from .repos import cache as key_cache

logger = logging.getLogger(__name__)


def retire_cached_keys(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A key or JWKS endpoint was saved or deleted: cached key lists must not outlive the change."""
    if update_fields is not None and set(update_fields) == {"last_used_on"}:
        return  # bookkeeping of a successful authentication, not a change of keys
    try:
        key_cache.invalidate()
    except Exception as e:  # noqa: BLE001 - the database change stands; only the cache could not follow it
        ttl = int(get_setting("PUBLIC_KEY_CACHE_TTL") or 0)
        log = logger.error if ttl > 0 else logger.debug
        log("Could not retire cached public keys after a change to %s (%s); it takes effect within PUBLIC_KEY_CACHE_TTL (%d s).", sender.__name__, e, ttl)
