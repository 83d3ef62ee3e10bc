"""
Nonce storage in a real Redis server through Django's own cache backend
(django.core.cache.backends.redis.RedisCache, Python redis client), and what happens when Redis goes away:
verification fails closed (the request stays anonymous), the error is logged once per interval rather than
per request, nothing crashes, and authentication resumes when Redis is back.

Needs the Redis server of scripts/services.sh (AJWT_REDIS_URL), or redis-server on PATH for the tests that
start (and stop) a private one.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock
import logging
import socket
import threading
import time

from asgiref.sync import async_to_sync
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import AsyncClient, Client
import pytest

from asymmetric_jwt_auth import _native, jwks, middleware
from asymmetric_jwt_auth.models import PublicKey
from asymmetric_jwt_auth.nonce.django import DjangoCacheNonceBackend
from asymmetric_jwt_auth.tokens import Token, UntrustedToken
from conftest_services import RedisServer, redis_cache_settings, wait_until

ANONYMOUS = {"authenticated": False, "username": None}
ALICE = {"authenticated": True, "username": "alice"}


def whoami(header: str | None) -> dict[str, Any]:
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = Client().get("/whoami/", **extra)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def alice(ed25519_key: Any) -> Any:
    user = User.objects.create_user(username="alice")
    PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
    return user


@pytest.fixture
def failure_log() -> Iterator[Any]:
    """A fresh once-per-interval error log, so that no earlier test's failure silences this test's."""
    log = middleware._FailureLog()
    with mock.patch.object(middleware, "_failure_log", log):
        yield log


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


# ---- nonces in Redis ----------------------------------------------------------------------------------------------


def test_nonces_are_stored_in_redis_with_the_window_as_expiry(redis_cache: str, settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": 20}
    backend = DjangoCacheNonceBackend()
    assert backend.check_and_record_nonce("rusty", 1000, "n1")
    assert not backend.check_and_record_nonce("rusty", 1000, "n1")
    assert backend.check_and_record_nonce("rusty", 1001, "n1")
    # Straight from the server, as another host would see it
    client = redis_client(redis_cache)
    try:
        key = cache.make_key(backend._create_used_nonce_key("rusty", 1000, "n1"))
        assert client.exists(key) == 1
        assert 39 <= client.ttl(key) <= 41
    finally:
        client.close()


def test_nonce_recorded_by_one_cache_connection_is_seen_by_another(redis_cache: str) -> None:
    """A second, independent RedisCache instance (another process's) sees the recorded nonce."""
    backend = DjangoCacheNonceBackend()
    assert backend.check_and_record_nonce("rusty", 2000, "shared")
    from django.core.cache.backends.redis import RedisCache

    other = RedisCache(redis_cache, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    assert other.add(backend._create_used_nonce_key("rusty", 2000, "shared"), True, 41) is False


def shared_key(key: str, key_prefix: str, version: int) -> str:
    """A cache KEY_FUNCTION that leaves keys as they are, so services in other languages find them."""
    return key


def test_nonces_are_shared_with_services_in_other_languages(redis_url: str, settings: Any) -> None:
    """
    With keys left unchanged, Django and the Go/Rust/Node/Java adapters record a nonce under one key (libajwt's
    nonce key) in one Redis: a token spent at either is a replay at the other.
    """
    caches_settings = redis_cache_settings(redis_url)
    caches_settings["default"]["KEY_FUNCTION"] = shared_key
    settings.CACHES = caches_settings
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": 20}
    cache.clear()
    client = redis_client(redis_url)
    try:
        # What the adapters do with their own Redis clients: SET key 1 NX EX ttl
        spent_elsewhere = _native.nonce_key("rusty", 3000, "from-go")
        assert client.set(spent_elsewhere, 1, nx=True, ex=_native.nonce_ttl(20))
        backend = DjangoCacheNonceBackend()
        assert not backend.check_and_record_nonce("rusty", 3000, "from-go")
        assert backend.check_and_record_nonce("rusty", 3000, "from-django")
        spent_here = _native.nonce_key("rusty", 3000, "from-django")
        assert client.set(spent_here, 1, nx=True, ex=_native.nonce_ttl(20)) is None
        assert 39 <= client.ttl(spent_here) <= 41
    finally:
        client.close()
        cache.clear()


def test_cache_add_is_atomic_on_redis_under_threads(redis_cache: str) -> None:
    threads, rounds = 8, 30
    backend = DjangoCacheNonceBackend()
    for round_number in range(rounds):
        barrier = threading.Barrier(threads, timeout=10)

        def attempt(_: int, nonce: str = f"race-{round_number}") -> bool:
            barrier.wait()
            return backend.check_and_record_nonce("rusty", 3000, nonce)

        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(attempt, range(threads), timeout=30))
        assert sum(results) == 1, (round_number, results)


@pytest.mark.django_db
def test_middleware_with_nonces_in_redis(redis_cache: str, alice: Any, ed25519_key: Any) -> None:
    header = Token("alice").create_auth_header(ed25519_key)
    assert whoami(header) == ALICE
    assert whoami(header) == ANONYMOUS
    # Nothing of the nonce is kept in the process: dropping the connections does not forget it
    cache.close()
    assert whoami(header) == ANONYMOUS
    assert whoami(Token("alice").create_auth_header(ed25519_key)) == ALICE


@pytest.mark.django_db
def test_jwks_key_sets_are_cached_in_redis(redis_cache: str, alice: Any, jwks_endpoint: Any, ed25519_key: Any, settings: Any) -> None:
    """A key set fetched by one process is used by another (per-process state dropped) without a new fetch."""
    from asymmetric_jwt_auth.keys import Ed25519PrivateKey
    from asymmetric_jwt_auth.models import JWKSEndpointTrust

    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_FETCH_TIMEOUT": 1}
    other_key = Ed25519PrivateKey.generate()
    jwks_endpoint.publish(other_key.public_key)
    JWKSEndpointTrust.objects.create(user=alice, jwks_url=jwks_endpoint.url)
    assert whoami(Token("alice").create_auth_header(other_key)) == ALICE
    jwks._signing_keys_by_url.clear()
    assert whoami(Token("alice").create_auth_header(other_key)) == ALICE
    assert jwks_endpoint.count() == 1
    assert cache.get(jwks._cache_key(jwks_endpoint.url))["jwks"] is not None


# ---- Redis unreachable ---------------------------------------------------------------------------------------------


@pytest.fixture
def private_redis(settings: Any, redis_server: RedisServer) -> Iterator[RedisServer]:
    """Django's cache on a private Redis server, which the test may stop and start again."""
    original = settings.CACHES
    settings.CACHES = redis_cache_settings(redis_server.url)
    yield redis_server
    # Before the server goes: the suite's own teardown (conftest._clean_state) clears the cache
    settings.CACHES = original


def middleware_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "asymmetric_jwt_auth.middleware" and r.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_redis_stopped_mid_test_fails_closed_and_logs_once_per_interval(
    private_redis: RedisServer, alice: Any, ed25519_key: Any, failure_log: Any, caplog: pytest.LogCaptureFixture
) -> None:
    used_header = Token("alice").create_auth_header(ed25519_key)
    assert whoami(used_header) == ALICE
    assert whoami(Token("alice").create_auth_header(ed25519_key)) == ALICE

    private_redis.stop()
    with mock.patch.object(middleware, "FAILURE_LOG_INTERVAL", 1.0), caplog.at_level(logging.DEBUG, logger="asymmetric_jwt_auth"):
        started = time.monotonic()
        results = [whoami(Token("alice").create_auth_header(ed25519_key)) for _ in range(30)]
        results.append(whoami(used_header))
        elapsed = time.monotonic() - started
        assert results == [ANONYMOUS] * 31
        assert elapsed < 15  # connection refused is immediate; nothing waits for long
        errors = middleware_errors(caplog)
        assert len(errors) == 1, errors
        assert "failed closed" in errors[0] and "ConnectionError" in errors[0]
        assert str(private_redis.port) in errors[0]
        # Requests without a token never touch the cache
        assert whoami(None) == ANONYMOUS
        # After the interval, one more record, counting what was left out
        time.sleep(1.1)
        assert whoami(Token("alice").create_auth_header(ed25519_key)) == ANONYMOUS
        errors = middleware_errors(caplog)
        assert len(errors) == 2, errors
        assert "30 more since the last record" in errors[1] and "more since" not in errors[0]

    # Redis is back (empty: it keeps nothing on disk here): authentication resumes by itself
    private_redis.start()
    assert wait_until(lambda: whoami(Token("alice").create_auth_header(ed25519_key)) == ALICE, 10, 0.2)
    header = Token("alice").create_auth_header(ed25519_key)
    assert whoami(header) == ALICE
    assert whoami(header) == ANONYMOUS


@pytest.mark.django_db
def test_redis_stopped_async_stack_fails_closed(private_redis: RedisServer, alice: Any, ed25519_key: Any, failure_log: Any, caplog: pytest.LogCaptureFixture) -> None:
    async def requests(count: int) -> list[dict[str, Any]]:
        client = AsyncClient()
        answers = []
        for _ in range(count):
            response = await client.get("/whoami/async/", headers={"authorization": Token("alice").create_auth_header(ed25519_key)})
            assert response.status_code == 200
            answers.append(response.json())
        return answers

    assert async_to_sync(requests)(2) == [ALICE] * 2
    private_redis.stop()
    with caplog.at_level(logging.ERROR, logger="asymmetric_jwt_auth"):
        assert async_to_sync(requests)(10) == [ANONYMOUS] * 10
    assert len(middleware_errors(caplog)) == 1


def test_verify_outside_the_middleware_raises_the_cache_error(private_redis: RedisServer, ed25519_key: Any) -> None:
    """UntrustedToken.verify does not turn an outage into a verdict: its caller sees the cache's exception."""
    import redis

    untrusted = UntrustedToken(Token("rusty").sign(ed25519_key))
    private_redis.stop()
    with pytest.raises(redis.exceptions.ConnectionError):
        untrusted.verify(ed25519_key.public_key)
    private_redis.start()
    assert wait_until(lambda: private_redis.answers(), 5)
    assert untrusted.verify(ed25519_key.public_key) is not None


@pytest.mark.django_db
def test_redis_that_accepts_but_never_answers_times_out(
    settings: Any, redis_url: str, alice: Any, ed25519_key: Any, failure_log: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A hung server (or a black-holed route) costs the request the socket timeout, not a hang."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    original = settings.CACHES
    try:
        settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
        with caplog.at_level(logging.ERROR, logger="asymmetric_jwt_auth"):
            for _ in range(3):
                started = time.monotonic()
                assert whoami(Token("alice").create_auth_header(ed25519_key)) == ANONYMOUS
                assert time.monotonic() - started < 5
        errors = middleware_errors(caplog)
        assert len(errors) == 1 and "Timeout" in errors[0], errors
    finally:
        settings.CACHES = original  # before the suite's teardown clears the cache
        listener.close()


@pytest.mark.django_db
def test_any_failure_during_verification_fails_closed(alice: Any, ed25519_key: Any, failure_log: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Not only the cache: a key repository or database error leaves the request anonymous too, logged once."""
    from django.db import OperationalError

    with (
        mock.patch("asymmetric_jwt_auth.repos.django.DjangoPublicKeyListRepository.attempt_to_verify_token", side_effect=OperationalError("database is locked")),
        caplog.at_level(logging.ERROR, logger="asymmetric_jwt_auth"),
    ):
        assert [whoami(Token("alice").create_auth_header(ed25519_key)) for _ in range(5)] == [ANONYMOUS] * 5
    errors = middleware_errors(caplog)
    assert len(errors) == 1 and "OperationalError: database is locked" in errors[0]
    assert whoami(Token("alice").create_auth_header(ed25519_key)) == ALICE


@pytest.mark.django_db
@pytest.mark.parametrize("alias", ["default", "nonces"])
def test_replay_is_refused_after_many_other_nonces_on_redis(redis_cache: str, alice: Any, ed25519_key: Any, settings: Any, alias: str) -> None:
    """
    The eviction case of Django's LocMemCache (300 entries): Redis keeps every nonce until it expires, as the
    default cache or as a dedicated alias beside a local-memory default (ASYMMETRIC_JWT_AUTH["NONCE_CACHE_ALIAS"]).
    """
    from asymmetric_jwt_auth.nonce import django as nonce_django

    if alias != "default":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, alias: redis_cache_settings(redis_cache)["default"]}
        settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": alias}
    bob = User.objects.create_user(username="bob")
    PublicKey.objects.create(user=bob, key=ed25519_key.public_key.as_pem.decode())
    header = Token("alice").create_auth_header(ed25519_key)
    assert whoami(header)["username"] == "alice"
    for _ in range(300):
        assert whoami(Token("bob").create_auth_header(ed25519_key))["username"] == "bob"
    assert whoami(header)["authenticated"] is False
    assert nonce_django._memory_stores == {}  # all of them in Redis
    client = redis_client(redis_cache)
    try:
        assert len(client.keys("*ajwt-nonce-*")) == 301  # libajwt's shared nonce keys
    finally:
        client.close()
