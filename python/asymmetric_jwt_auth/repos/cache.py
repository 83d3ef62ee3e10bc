"""
What the Django repositories keep between requests, to spare the database:

- What authentication reads from the database — the user a token names, their registered keys and their JWKS
  endpoint — in Django's default cache for ``AUTH_CACHE_TTL`` seconds (off by default). Any save or delete of
  a user, a :class:`~asymmetric_jwt_auth.models.PublicKey` or a
  :class:`~asymmetric_jwt_auth.models.JWKSEndpointTrust` through the ORM (admin, ``objects.create()``,
  ``delete()``, cascades) changes a version stamp in that cache, which retires every cached entry at once,
  in every process that shares the cache. Writes that send no signals (``QuerySet.update()``, raw SQL) take
  effect within the TTL. Users that don't exist are not cached (anyone can make up usernames).
- Whether a use of a key is written: when its row's ``last_used_on`` is empty or older than
  ``LAST_USED_UPDATE_INTERVAL`` seconds, instead of on every request (with the auth cache on, rows can be stale
  copies, so each process also remembers what it wrote).
"""

from collections.abc import Callable
from typing import Any, TypeVar
import hashlib
import threading
import time
import uuid

from django.core.cache import cache
from django.db import models
from django.utils import timezone

from .. import get_setting
from .auth_rows import loaded_rows
from .lookups import attnames, instances_lookup, values_lookup

ModelT = TypeVar("ModelT", bound=models.Model)

_PREFIX = "asymmetric_jwt_auth:keys:v1"
_VERSION_KEY = f"{_PREFIX}:version"


def _version() -> str:
    """The current version stamp, created when the cache has none (first use, or evicted: entries then retire)."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_VERSION_KEY)
    return str(version)


def invalidate() -> None:
    """Retire every cached entry (called by the models' save and delete signals)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _ttl() -> int:
    return int(get_setting("AUTH_CACHE_TTL") or 0)


def auth_cache_enabled() -> bool:
    """Whether ``AUTH_CACHE_TTL`` is on."""
    return _ttl() > 0


def user_by(model: type[ModelT], field: str, username: str, load: Callable[[], ModelT | None]) -> ModelT | None:
    """``load()`` (the user whose ``field`` is ``username``, or None), through the cache when ``AUTH_CACHE_TTL`` is on."""
    ttl = _ttl()
    if ttl <= 0:
        return load()
    # Usernames are arbitrary text: hashed, the key stays short and valid for every cache backend.
    digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"{_PREFIX}:{_version()}:{model._meta.label_lower}:{field}:{digest}"
    user = cache.get(key)
    if user is None:
        user = load()
        if user is not None:
            cache.set(key, user, ttl)
    return user


def rows_for_user(model: type[ModelT], user: Any) -> list[ModelT]:
    """
    ``model.objects.filter(user=user)``: the rows loaded with the user if they were (see :mod:`.auth_rows`), else
    from the cache when ``AUTH_CACHE_TTL`` is on, else from the database. Cached rows are
    stored as field values under the version stamp read *before* the query, so a change that lands while the
    query runs retires what it stored.
    """
    loaded = loaded_rows(model, user)
    if loaded is not None:
        return loaded
    ttl = _ttl()
    if ttl <= 0:
        instances = instances_lookup(model, "user")(user.pk)
    else:
        fields = attnames(model)
        key = f"{_PREFIX}:{_version()}:{model._meta.label_lower}:{user.pk}"
        rows = cache.get(key)
        if rows is None:
            rows = values_lookup(model, "user", tuple(fields))(user.pk)[1]
            cache.set(key, rows, ttl)
        instances = [model.from_db(model.objects.db, fields, row) for row in rows]
    for instance in instances:
        instance.user = user  # the caller's user object: no query to fetch it again
    return instances


def rows_for_unknown_user(model: type[ModelT]) -> list[ModelT]:
    """
    No rows, found the way :func:`rows_for_user` finds a user's, so that a user who doesn't exist costs what one
    who does costs.
    """
    if _ttl() <= 0:
        return instances_lookup(model, "user")(None)
    cache.get(f"{_PREFIX}:{_version()}:{model._meta.label_lower}:-")
    return []


class _LastUsedThrottle:
    """
    Decides whether a use of a key row is written. The row's own ``last_used_on`` (loaded with the key) decides:
    a row never stamped, or stamped over an interval ago, is due. So a new row is always stamped, even one whose
    primary key a rolled-back or restored database handed out again.

    With the auth cache on, rows may be cached copies older than the last write, so each process also remembers
    what it wrote and writes a row at most once per interval. Bounded: cleared when it gets large.
    """

    _MAX_ENTRIES = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._written: dict[tuple[str, Any], float] = {}

    def due(self, instance: models.Model) -> bool:
        """Whether ``instance``'s use should be written now; if so, it counts as written from now on."""
        interval = float(get_setting("LAST_USED_UPDATE_INTERVAL") or 0)
        if interval <= 0:
            return True
        last_used_on = getattr(instance, "last_used_on", None)
        if last_used_on is not None and (timezone.now() - last_used_on).total_seconds() < interval:
            return False
        if not auth_cache_enabled():
            return True
        key = (instance._meta.label_lower, instance.pk)
        now = time.monotonic()
        with self._lock:
            last = self._written.get(key)
            if last is not None and now - last < interval:
                return False
            if len(self._written) >= self._MAX_ENTRIES:
                self._written.clear()
            self._written[key] = now
        return True

    def clear(self) -> None:
        with self._lock:
            self._written.clear()


last_used_throttle = _LastUsedThrottle()


def record_use(instance: Any) -> None:
    """``instance.update_last_used_datetime()``, unless this process wrote it within the interval."""
    if last_used_throttle.due(instance):
        instance.update_last_used_datetime()
