import hashlib

from django.core.cache import cache

from .. import get_setting
from . import BaseNonceBackend


class DjangoCacheNonceBackend(BaseNonceBackend):
    """
    Nonce backend which uses Django's cache system.

    Each used nonce is one cache entry, recorded with ``cache.add``, which is atomic in Django's cache
    backends (Redis, Memcached, database, local memory): of several concurrent requests carrying one token,
    exactly one is accepted. Entries live twice ``TIMESTAMP_TOLERANCE`` plus a second, which covers the time
    window in which the token's ``time`` claim is accepted at all.
    """

    def validate_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        """
        Confirm that the given nonce hasn't already been used.
        """
        return cache.get(self._create_nonce_key(username, timestamp, nonce)) is None

    def log_used_nonce(self, username: str, timestamp: int, nonce: str) -> None:
        """
        Log a nonce as being used, and therefore henceforth invalid.
        """
        cache.set(self._create_nonce_key(username, timestamp, nonce), True, self._timeout())

    def check_and_record_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        """
        Atomically record the nonce; False if it was already recorded.
        """
        cls = type(self)
        if cls.validate_nonce is not DjangoCacheNonceBackend.validate_nonce or cls.log_used_nonce is not DjangoCacheNonceBackend.log_used_nonce:
            # A subclass customised the two-step interface: honour it.
            return super().check_and_record_nonce(username, timestamp, nonce)
        return bool(cache.add(self._create_nonce_key(username, timestamp, nonce), True, self._timeout()))

    def _timeout(self) -> int:
        # A token stays acceptable from (time - tolerance) to (time + tolerance), inclusive of both whole
        # seconds: the entry has to outlive that whole span.
        return int(get_setting("TIMESTAMP_TOLERANCE")) * 2 + 1

    def _create_nonce_key(self, username: str, timestamp: int, nonce: str | None = None) -> str:
        """
        Create and return the cache key for storing a nonce. Usernames and nonces are arbitrary text, so they
        are hashed: the key stays short and valid for every cache backend (e.g. Memcached's key rules).
        """
        digest = hashlib.sha256()
        for part in (username, str(timestamp), nonce or ""):
            encoded = part.encode("utf-8", "surrogatepass")
            digest.update(len(encoded).to_bytes(8, "big"))
            digest.update(encoded)
        return f"{self.__class__.__name__}-nonce-{digest.hexdigest()}"
