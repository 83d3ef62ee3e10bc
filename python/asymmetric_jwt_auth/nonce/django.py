"""
The default nonce backend: used nonces in a Django cache, or in libajwt's exact in-process store where that
cache could not keep them.

A replay must never pass because a cache dropped an entry. Which cache backends can be trusted with that:

- Redis, Memcached: shared by every process; they drop an entry before it expires only under memory
  pressure, which their configuration can rule out (Redis ``maxmemory-policy noeviction``, ``memcached -M``).
  ``manage.py check --deploy`` reminds of it (``asymmetric_jwt_auth.W007``).
- ``LocMemCache`` (Django's default): culls live entries once it holds ``MAX_ENTRIES`` (300), so a few hundred
  other requests made a victim's token replayable. It is private to one process anyway, so nonces go to
  libajwt's in-process memory store instead, which is exact and refuses new nonces when full rather than
  forgetting live ones (``manage.py check --deploy``: ``asymmetric_jwt_auth.W005``, one process only).
- ``DummyCache`` stores nothing, so it would accept every replay: nonces go to the in-process store too, and
  ``manage.py check`` reports an error (``asymmetric_jwt_auth.E008``).
- ``FileBasedCache``, ``DatabaseCache``: shared, but they cull live entries at ``MAX_ENTRIES``:
  ``manage.py check`` reports an error (``asymmetric_jwt_auth.E008``); give nonces their own cache with
  ``NONCE_CACHE_ALIAS``.
"""

import functools
import hashlib
import threading
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from .. import _native, get_setting, get_settings
from ..exceptions import AJWTError
from . import BaseNonceBackend

#: Cache backends that keep nothing beyond this process (or nothing at all): the in-process store replaces them
IN_PROCESS_CACHE_BACKENDS: tuple[type[BaseCache], ...] = (LocMemCache, DummyCache)

_OK = int(_native.Status.OK)
_REPLAYED = int(_native.Status.NONCE_REPLAYED)

_memory_stores: dict[int, _native.MemoryNonceStore] = {}
_memory_stores_lock = threading.Lock()


def memory_nonce_store(ttl: int) -> _native.MemoryNonceStore:
    """This process's libajwt memory nonce store for entries living ``ttl`` seconds (one per ttl)."""
    store = _memory_stores.get(ttl)
    if store is None:
        with _memory_stores_lock:
            store = _memory_stores.setdefault(ttl, _native.MemoryNonceStore(ttl_seconds=ttl))
    return store


def clear_memory_nonce_stores() -> None:
    """Forget every nonce this process recorded in memory (tests: as ``cache.clear()`` for the cache)."""
    with _memory_stores_lock:
        _memory_stores.clear()


@functools.lru_cache(maxsize=8)
def nonce_ttl(tolerance: int) -> int:
    """Seconds a used nonce is kept under this ``TIMESTAMP_TOLERANCE`` (libajwt's rule, ``ajwt_verifier_nonce_ttl``)."""
    return _native.nonce_ttl(tolerance)


def nonce_cache() -> BaseCache:
    """The cache that ``NONCE_CACHE_ALIAS`` names (``cache``, the default cache's proxy, for ``"default"``)."""
    alias = get_setting("NONCE_CACHE_ALIAS")
    return cache if alias == DEFAULT_CACHE_ALIAS else caches[alias]


def _in_process(alias: str) -> bool:
    return isinstance(caches[alias], IN_PROCESS_CACHE_BACKENDS)


class DjangoCacheNonceBackend(BaseNonceBackend):
    """
    Nonce backend which uses Django's cache system (the cache ``NONCE_CACHE_ALIAS`` names, default ``"default"``).

    Each used nonce is one cache entry, recorded with ``cache.add``, which is atomic in Django's cache backends
    (Redis, Memcached, database): of several concurrent requests carrying one token, exactly one is accepted.
    Its key is libajwt's shared nonce key (``ajwt_nonce_key``), the key the Go, Rust, Node and Java adapters
    record under too, so services sharing one Redis refuse each other's replays (where the cache's
    ``KEY_FUNCTION`` leaves keys unchanged); a subclass that overrides :meth:`_create_nonce_key` keeps its own
    keys. Entries live libajwt's nonce TTL for ``TIMESTAMP_TOLERANCE`` (``ajwt_verifier_nonce_ttl``: twice the
    tolerance plus a second), which covers the time window in which the token's ``time`` claim is accepted at
    all. Where that cache is ``LocMemCache`` or ``DummyCache``, nonces are kept in libajwt's in-process memory
    store instead (see the module's documentation).
    """

    def validate_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        """
        Confirm that the given nonce hasn't already been used.
        """
        return nonce_cache().get(self._create_used_nonce_key(username, timestamp, nonce)) is None

    def log_used_nonce(self, username: str, timestamp: int, nonce: str) -> None:
        """
        Log a nonce as being used, and therefore henceforth invalid.
        """
        self._record_in_memory(username, timestamp, nonce)
        nonce_cache().set(self._create_used_nonce_key(username, timestamp, nonce), True, self._timeout())

    def check_and_record_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        """
        Atomically record the nonce; False if it was already recorded.
        """
        cls = type(self)
        if cls.validate_nonce is not DjangoCacheNonceBackend.validate_nonce:
            # A subclass customised the check: honour it, then record atomically all the same (unless it
            # customised the recording too), so that its check may be the non-atomic 1.x one.
            if not self.validate_nonce(username, timestamp, nonce):
                return False
        if cls.log_used_nonce is not DjangoCacheNonceBackend.log_used_nonce:
            return super().check_and_record_nonce(username, timestamp, nonce)
        recorded = self._record_in_memory(username, timestamp, nonce)
        if recorded is not None:
            return recorded
        return bool(nonce_cache().add(self._create_used_nonce_key(username, timestamp, nonce), True, self._timeout()))

    def _record_in_memory(self, username: str, timestamp: int, nonce: str) -> bool | None:
        """
        Where the nonce cache is in-process, record the nonce in libajwt's memory store: whether it was new.
        None where the cache itself records nonces. A full store raises (fail closed, as an unreachable cache).
        """
        alias, tolerance = get_settings("NONCE_CACHE_ALIAS", "TIMESTAMP_TOLERANCE")
        if not _in_process(alias):
            return None
        store = memory_nonce_store(nonce_ttl(int(tolerance)))
        status, message = store.check_and_record(username, int(timestamp), nonce, int(time.time()))
        if status == _OK:
            return True
        if status == _REPLAYED:
            return False
        raise AJWTError(message, status)

    def _timeout(self) -> int:
        return nonce_ttl(int(get_setting("TIMESTAMP_TOLERANCE")))

    def _create_nonce_key(self, username: str, timestamp: int) -> str:
        """
        Create and return the cache key prefix for the nonces of one user and second (1.x's hook: subclasses may
        override it). Usernames are arbitrary text, so they are hashed: the key stays short and valid for every
        cache backend (e.g. Memcached's key rules).
        """
        digest = hashlib.sha256()
        for part in (username, str(timestamp)):
            encoded = part.encode("utf-8", "surrogatepass")
            digest.update(len(encoded).to_bytes(8, "big"))
            digest.update(encoded)
        return f"{self.__class__.__name__}-nonces-{digest.hexdigest()}"

    def _create_used_nonce_key(self, username: str, timestamp: int, nonce: str) -> str:
        """
        The cache key of one used nonce: libajwt's shared nonce key, or, where a subclass overrides
        :meth:`_create_nonce_key`, that prefix with a digest of the nonce.
        """
        if type(self)._create_nonce_key is DjangoCacheNonceBackend._create_nonce_key:
            return _native.nonce_key(username, int(timestamp), nonce)
        nonce_digest = hashlib.blake2b(nonce.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        return f"{self._create_nonce_key(username, timestamp)}-{nonce_digest}"
