"""Nonce backends: the 1.x interface, atomic check-and-record, and replay protection under concurrency."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from unittest import mock
import json
import threading

from django.core.cache import caches
import pytest

from asymmetric_jwt_auth import _native, nonce, tokens
from asymmetric_jwt_auth.nonce import django as nonce_django
from asymmetric_jwt_auth.nonce.base import BaseNonceBackend
from asymmetric_jwt_auth.nonce.django import DjangoCacheNonceBackend
from asymmetric_jwt_auth.nonce.null import NullNonceBackend

VECTORS_DIR = Path(__file__).resolve().parents[1] / "vectors"


def test_get_nonce_backend_default_and_setting(settings: Any) -> None:
    assert type(nonce.get_nonce_backend()) is DjangoCacheNonceBackend
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
    assert type(nonce.get_nonce_backend()) is NullNonceBackend


def test_generate_nonce_uses_secrets_token_urlsafe() -> None:
    with mock.patch("secrets.token_urlsafe", return_value="abc") as token_urlsafe:
        assert DjangoCacheNonceBackend().generate_nonce() == "abc"
    token_urlsafe.assert_called_once_with(nbytes=8)


@pytest.fixture(params=["default", "filebased", "db"])
def on_cache(request: Any, settings: Any) -> Iterator[str]:
    """Each cache backend Django ships that runs without a server: ``default`` is a LocMemCache (test settings)."""
    if request.param == "db":
        request.getfixturevalue("db")
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": request.param}
    caches[request.param].clear()
    yield request.param
    caches[request.param].clear()


def test_django_cache_backend_two_step_interface(on_cache: str) -> None:
    backend = DjangoCacheNonceBackend()
    assert backend.validate_nonce("rusty", 1000, "n1")
    backend.log_used_nonce("rusty", 1000, "n1")
    assert not backend.validate_nonce("rusty", 1000, "n1")
    assert not backend.check_and_record_nonce("rusty", 1000, "n1")
    # Unique per (username, time): the same nonce elsewhere is new
    assert backend.validate_nonce("rusty", 1001, "n1")
    assert backend.validate_nonce("other", 1000, "n1")
    assert backend.validate_nonce("rusty", 1000, "n2")


def test_django_cache_backend_check_and_record_is_one_cache_add(settings: Any, on_cache: str) -> None:
    backend = DjangoCacheNonceBackend()
    if on_cache == "default":
        # A LocMemCache: recorded in libajwt's in-process store, the cache is not asked
        with mock.patch("asymmetric_jwt_auth.nonce.django.cache") as mocked:
            assert backend.check_and_record_nonce("rusty", 1000, "n1")
            assert not backend.check_and_record_nonce("rusty", 1000, "n1")
        assert mocked.method_calls == []
        assert len(nonce_django.memory_nonce_store(41)) == 1
        return
    wrapped = mock.MagicMock(wraps=caches[on_cache])
    with mock.patch("asymmetric_jwt_auth.nonce.django.caches", {on_cache: wrapped}):
        assert backend.check_and_record_nonce("rusty", 1000, "n1")
        assert not backend.check_and_record_nonce("rusty", 1000, "n1")
    assert wrapped.add.call_count == 2
    wrapped.get.assert_not_called()
    wrapped.set.assert_not_called()
    assert not backend.validate_nonce("rusty", 1000, "n1")
    assert nonce_django._memory_stores == {}


def test_django_cache_backend_expiry_covers_the_window(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": 7, "NONCE_CACHE_ALIAS": "filebased"}
    mocked = mock.MagicMock(spec=caches["filebased"])
    with mock.patch("asymmetric_jwt_auth.nonce.django.caches", {"filebased": mocked}):
        DjangoCacheNonceBackend().check_and_record_nonce("rusty", 1000, "n1")
    key, value, timeout = mocked.add.call_args.args
    assert timeout == 15
    assert len(key) < 250 and " " not in key  # safe for every cache backend, whatever the username


def test_memory_store_entries_cover_the_window(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": 7}
    backend = DjangoCacheNonceBackend()
    with mock.patch("time.time", return_value=993.0):  # the earliest second the token is accepted
        assert backend.check_and_record_nonce("rusty", 1000, "n1")
    with mock.patch("time.time", return_value=1007.9):  # the latest
        assert not backend.check_and_record_nonce("rusty", 1000, "n1")


def test_django_cache_keys_do_not_collide() -> None:
    backend = DjangoCacheNonceBackend()
    keys = {
        backend._create_used_nonce_key("a-1", 2, "n"),
        backend._create_used_nonce_key("a", 12, "n"),
        backend._create_used_nonce_key("a", 1, "2-n"),
        backend._create_used_nonce_key("a-1-2", 0, ""),
        backend._create_used_nonce_key("a", 1, "2"),
    }
    assert len(keys) == 5
    # Without a subclass's own _create_nonce_key: libajwt's shared key, as every other language records
    assert backend._create_used_nonce_key("a", 1, "n") == _native.nonce_key("a", 1, "n")


NONCE_KEY_VECTORS = json.loads((VECTORS_DIR / "nonce-keys.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", NONCE_KEY_VECTORS, ids=[case["name"] for case in NONCE_KEY_VECTORS])
def test_nonce_key_vectors(case: dict[str, Any]) -> None:
    """The module's nonce_key and the cache backend's keys are tests/vectors/nonce-keys.json's."""
    assert _native.nonce_key(case["username"], case["time"], case["nonce"]) == case["key"]
    assert DjangoCacheNonceBackend()._create_used_nonce_key(case["username"], case["time"], case["nonce"]) == case["key"]


def test_nonce_ttl_is_libajwts_rule() -> None:
    assert [_native.nonce_ttl(tolerance) for tolerance in (0, 7, 20)] == [1, 15, 41]
    with pytest.raises(ValueError):
        _native.nonce_ttl(-1)


@pytest.mark.parametrize("alias", ["filebased", "db"])
def test_cache_backend_records_under_the_shared_key(settings: Any, request: Any, alias: str) -> None:
    if alias == "db":
        request.getfixturevalue("db")
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": alias, "TIMESTAMP_TOLERANCE": 20}
    caches[alias].clear()
    backend = DjangoCacheNonceBackend()
    assert backend.check_and_record_nonce("rusty", 1000, "n1")
    assert caches[alias].get(_native.nonce_key("rusty", 1000, "n1")) is True
    # A nonce another service (Go, Rust, Node, Java) recorded in the shared cache is a replay here
    assert caches[alias].add(_native.nonce_key("rusty", 1000, "from-go"), True, _native.nonce_ttl(20))
    assert not backend.check_and_record_nonce("rusty", 1000, "from-go")
    assert not backend.validate_nonce("rusty", 1000, "from-go")
    caches[alias].clear()


class PrefixedKeyBackend(DjangoCacheNonceBackend):
    """A 1.x subclass that overrides ``_create_nonce_key(username, timestamp)``, with its two arguments."""

    def _create_nonce_key(self, username: str, timestamp: int) -> str:
        return f"tenant-a-{username}-{timestamp}"


def test_two_argument_create_nonce_key_override_is_used(settings: Any, on_cache: str, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": on_cache, "NONCE_BACKEND": f"{__name__}.PrefixedKeyBackend"}
    backend = PrefixedKeyBackend()
    key = backend._create_used_nonce_key("rusty", 1000, "n1")
    assert key.startswith("tenant-a-rusty-1000-")
    backend.log_used_nonce("rusty", 1000, "n1")
    assert caches[on_cache].get(key) is True
    assert not backend.validate_nonce("rusty", 1000, "n1")
    # And through a verification
    untrusted = tokens.UntrustedToken(tokens.Token("rusty").sign(ed25519_key))
    assert untrusted.verify(ed25519_key.public_key) is not None
    assert untrusted.verify(ed25519_key.public_key) is None
    if on_cache != "default":
        parsed = untrusted._parsed
        assert caches[on_cache].get(backend._create_used_nonce_key("rusty", parsed.time, parsed.nonce)) is True


@pytest.mark.django_db
@pytest.mark.parametrize("alias", ["default", "dummy"])
def test_replay_is_refused_after_the_cache_culled_its_entries(settings: Any, ed25519_key: Any, alias: str) -> None:
    """
    Django's default cache, a LocMemCache, holds 300 entries and then culls live ones; a DummyCache holds none.
    Neither may make a replay pass: used nonces are kept in libajwt's in-process store instead.
    """
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
    from asymmetric_jwt_auth.models import PublicKey

    if alias != "default":
        settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": alias}
    for name in ("alice", "bob"):
        PublicKey.objects.create(user=User.objects.create_user(username=name), key=ed25519_key.public_key.as_pem.decode())
    middleware = JWTAuthMiddleware(lambda request: None)

    def user_of(header: str) -> Any:
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=header)
        middleware(request)
        return getattr(request, "user", None)

    alice_header = tokens.Token("alice").create_auth_header(ed25519_key)
    assert user_of(alice_header).username == "alice"
    for _ in range(300):
        assert user_of(tokens.Token("bob").create_auth_header(ed25519_key)).username == "bob"
    assert user_of(alice_header) is None


def test_full_memory_store_fails_closed(settings: Any) -> None:
    """libajwt's store refuses new nonces when full rather than forgetting live ones: the backend raises."""
    from asymmetric_jwt_auth import _native
    from asymmetric_jwt_auth.exceptions import AJWTError

    with mock.patch.object(nonce_django, "memory_nonce_store", return_value=_native.MemoryNonceStore(ttl_seconds=41, max_entries=2)):
        backend = DjangoCacheNonceBackend()
        assert backend.check_and_record_nonce("rusty", 1000, "n1")
        assert backend.check_and_record_nonce("rusty", 1000, "n2")
        with pytest.raises(AJWTError) as raised:
            backend.check_and_record_nonce("rusty", 1000, "n3")
        assert raised.value.status == int(_native.Status.NONCE_STORE_FULL)
        assert not backend.check_and_record_nonce("rusty", 1000, "n1")


def test_null_backend() -> None:
    backend = NullNonceBackend()
    backend.log_used_nonce("rusty", 1, "n")
    assert backend.validate_nonce("rusty", 1, "n")
    assert backend.check_and_record_nonce("rusty", 1, "n")
    assert backend.check_and_record_nonce("rusty", 1, "n")


class LegacyBackend(BaseNonceBackend):
    """A user's 1.x-style backend: only the two-step interface."""

    used: set[tuple[str, int, str]] = set()

    def validate_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        return (username, timestamp, nonce) not in self.used

    def log_used_nonce(self, username: str, timestamp: int, nonce: str) -> None:
        self.used.add((username, timestamp, nonce))


class CustomisedCacheBackend(DjangoCacheNonceBackend):
    """Overrides the two-step interface of the cache backend: the atomic shortcut must not bypass it."""

    calls: list[str] = []

    def validate_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        self.calls.append("validate")
        return super().validate_nonce(username, timestamp, nonce)


@pytest.mark.django_db
def test_legacy_backend_is_used_for_verification(settings: Any, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": f"{__name__}.LegacyBackend"}
    LegacyBackend.used = set()
    untrusted = tokens.UntrustedToken(tokens.Token("rusty").sign(ed25519_key))
    assert untrusted.verify(ed25519_key.public_key) is not None
    assert len(LegacyBackend.used) == 1
    assert untrusted.verify(ed25519_key.public_key) is None


@pytest.mark.django_db
def test_customised_cache_backend_keeps_its_overrides(settings: Any, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": f"{__name__}.CustomisedCacheBackend"}
    CustomisedCacheBackend.calls = []
    untrusted = tokens.UntrustedToken(tokens.Token("rusty").sign(ed25519_key))
    assert untrusted.verify(ed25519_key.public_key) is not None
    assert untrusted.verify(ed25519_key.public_key) is None
    assert CustomisedCacheBackend.calls == ["validate", "validate"]


class SlowCheckCache:
    """A cache whose reads and writes yield to other threads, to widen any check-then-set race."""

    def __init__(self) -> None:
        self._data: dict[str, object] = {}
        self._lock = threading.Lock()
        self.barrier: threading.Barrier | None = None

    def _pause(self) -> None:
        if self.barrier is not None:
            try:
                self.barrier.wait(timeout=2)
            except threading.BrokenBarrierError:
                pass

    def get(self, key: str, default: object = None) -> object:
        with self._lock:
            value = self._data.get(key, default)
        self._pause()
        return value

    def set(self, key: str, value: object, timeout: object = None) -> None:
        with self._lock:
            self._data[key] = value

    def add(self, key: str, value: object, timeout: object = None) -> bool:
        self._pause()
        with self._lock:
            if key in self._data:
                return False
            self._data[key] = value
            return True


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["asymmetric_jwt_auth.nonce.django.DjangoCacheNonceBackend", f"{__name__}.LegacyOnCache"])
def test_concurrent_replays_of_one_token(settings: Any, ed25519_key: Any, backend: str) -> None:
    """Eight threads verify one token at once: with the atomic backend exactly one wins."""
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": backend, "NONCE_CACHE_ALIAS": "filebased"}
    slow_cache = SlowCheckCache()
    threads = 8
    slow_cache.barrier = threading.Barrier(threads)
    token = tokens.Token("rusty").sign(ed25519_key)

    def attempt(_: int) -> bool:
        return tokens.UntrustedToken(token).verify(ed25519_key.public_key) is not None

    with mock.patch("asymmetric_jwt_auth.nonce.django.caches", {"filebased": slow_cache}), ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(attempt, range(threads)))
    if backend.endswith("LegacyOnCache"):
        # The non-atomic two-step interface (upstream's) lets several through: why the atomic one exists
        assert sum(results) > 1
    else:
        assert sum(results) == 1


class LegacyOnCache(DjangoCacheNonceBackend):
    """Upstream's check-then-set over the same cache, for contrast in the concurrency test."""

    def check_and_record_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        return BaseNonceBackend.check_and_record_nonce(self, username, timestamp, nonce)


def test_native_memory_store_caps_one_users_share() -> None:
    from asymmetric_jwt_auth import _native

    store = _native.MemoryNonceStore(max_entries=10, max_entries_per_user=2)
    ok, full = int(_native.Status.OK), int(_native.Status.NONCE_STORE_FULL)
    assert store.check_and_record("mallory", 1000, "a", 1000)[0] == ok
    assert store.check_and_record("mallory", 1000, "b", 1000)[0] == ok
    status, message = store.check_and_record("mallory", 1000, "c", 1000)
    assert status == full and "share" in message
    assert store.check_and_record("alice", 1000, "c", 1000)[0] == ok
    assert len(store) == 3
    with pytest.raises(Exception) as raised:
        _native.MemoryNonceStore(max_entries=10, max_entries_per_user=11)
    assert "per-user cap" in str(raised.value)


def test_native_memory_store_is_atomic_and_expires() -> None:
    from asymmetric_jwt_auth import _native

    store = _native.MemoryNonceStore(ttl_seconds=40)
    ok, replayed = int(_native.Status.OK), int(_native.Status.NONCE_REPLAYED)
    assert store.check_and_record("rusty", 1000, "n", 1000)[0] == ok
    assert store.check_and_record("rusty", 1000, "n", 1001)[0] == replayed
    assert len(store) == 1
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: store.check_and_record("rusty", 2000, "same", 2000)[0], range(32)))
    assert statuses.count(ok) == 1
    # After its TTL the entry is gone (the time window has long closed by then)
    assert store.check_and_record("rusty", 1000, "n", 1000 + 41)[0] == ok
