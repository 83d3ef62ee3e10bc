"""
JWKS over real HTTP, end to end: requests through the whole Django stack (test client, settings.MIDDLEWARE)
for a user who trusts a JWK Set served on loopback, with the real background refresh thread. Covers key
choice by kid, rotation, an endpoint that goes down, is slow, or answers junk, and storms of unknown kids.
test_jwks.py has the unit tests of the fetch and cache logic; this file checks what a deployment sees.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock
import json
import logging
import time

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
import pytest

from asymmetric_jwt_auth import jwks
from asymmetric_jwt_auth.exceptions import SigningKeyNotFound
from asymmetric_jwt_auth.keys import Ed25519PrivateKey
from asymmetric_jwt_auth.models import JWKSEndpointTrust
from asymmetric_jwt_auth.tokens import Token, UntrustedToken
from conftest_services import JWKSEndpoint, wait_until

pytestmark = pytest.mark.django_db

ANONYMOUS = {"authenticated": False, "username": None}
ALICE = {"authenticated": True, "username": "alice"}

#: Short enough for tests to outlast: seconds
COOLDOWN = 1
FETCH_TIMEOUT = 0.5


@pytest.fixture
def jwks_settings(settings: Any) -> dict[str, Any]:
    settings.ASYMMETRIC_JWT_AUTH = {
        "JWKS_REFRESH_COOLDOWN": COOLDOWN,
        "JWKS_FETCH_TIMEOUT": FETCH_TIMEOUT,
    }
    overrides: dict[str, Any] = settings.ASYMMETRIC_JWT_AUTH
    return overrides


@pytest.fixture
def alice(jwks_endpoint: JWKSEndpoint, jwks_settings: dict[str, Any]) -> Any:
    user = User.objects.create_user(username="alice")
    JWKSEndpointTrust.objects.create(user=user, jwks_url=jwks_endpoint.url)
    return user


def whoami(private_key: Any, username: str = "alice") -> dict[str, Any]:
    response = Client().get("/whoami/", HTTP_AUTHORIZATION=Token(username).create_auth_header(private_key))
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def fetched_at(url: str) -> float:
    entry = cache.get(jwks._cache_key(url))
    assert entry is not None
    return float(entry["fetched_at"])


@pytest.fixture
def counted_verify() -> Iterator[mock.MagicMock]:
    with mock.patch.object(UntrustedToken, "verify", autospec=True, side_effect=UntrustedToken.verify) as verify:
        yield verify


def test_key_picked_by_kid(
    alice: Any, jwks_endpoint: JWKSEndpoint, rsa_key: Any, ed25519_key: Any, ec_key: Any, counted_verify: mock.MagicMock
) -> None:
    """Of a set of keys of three types, each token is checked against the one key its kid names: one signature check."""
    jwks_endpoint.publish(rsa_key.public_key, ed25519_key.public_key, ec_key.public_key)
    for private_key in (rsa_key, ed25519_key, ec_key, ed25519_key):
        counted_verify.reset_mock()
        assert whoami(private_key) == ALICE
        assert [call.kwargs["public_key"] for call in counted_verify.call_args_list] == [private_key.public_key]
    assert jwks_endpoint.count() == 1  # fetched once, on first use; the rest came from the cache


def test_key_not_in_the_set_is_refused(alice: Any, jwks_endpoint: JWKSEndpoint, rsa_key: Any, ed25519_key: Any) -> None:
    jwks_endpoint.publish(rsa_key.public_key)
    assert whoami(ed25519_key) == ANONYMOUS
    assert whoami(rsa_key) == ALICE


def test_rotation_new_kid_causes_one_refetch(alice: Any, jwks_endpoint: JWKSEndpoint, real_refresh_worker: Any, ed25519_key: Any) -> None:
    old_key, new_key = ed25519_key, Ed25519PrivateKey.generate()
    jwks_endpoint.publish(old_key.public_key)
    assert whoami(old_key) == ALICE
    assert jwks_endpoint.count() == 1
    # The client rotates: the endpoint publishes both keys, and tokens come signed by the new one
    jwks_endpoint.publish(old_key.public_key, new_key.public_key)
    time.sleep(COOLDOWN + 0.1)  # the first fetch started a cooldown
    # The first token with the new kid is checked against the cached set (no wait for the network in the
    # request) and schedules one refresh; the new key works as soon as that lands.
    first = whoami(new_key)
    assert wait_until(lambda: jwks_endpoint.count() == 2, 5)
    assert wait_until(lambda: not real_refresh_worker._pending, 5)
    results = [whoami(new_key) for _ in range(5)] + [whoami(old_key) for _ in range(3)]
    assert results == [ALICE] * 8
    assert first in (ANONYMOUS, ALICE)
    assert jwks_endpoint.count() == 2  # exactly one refetch


def test_endpoint_down_cached_keys_work_until_their_max_age(
    alice: Any, jwks_endpoint: JWKSEndpoint, jwks_settings: dict[str, Any], real_refresh_worker: Any, ed25519_key: Any, caplog: pytest.LogCaptureFixture
) -> None:
    max_age = 3.0
    jwks_settings.update({"JWKS_CACHE_TTL": 1, "JWKS_CACHE_MAX_AGE": max_age})
    jwks_endpoint.publish(ed25519_key.public_key)
    assert whoami(ed25519_key) == ALICE
    fetched = fetched_at(jwks_endpoint.url)
    jwks_endpoint.down()
    outcomes: list[tuple[float, bool]] = []
    with caplog.at_level(logging.WARNING, logger="asymmetric_jwt_auth.jwks"):
        deadline = fetched + max_age + 1.5
        while time.time() < deadline:
            started = time.time()
            outcomes.append((started - fetched, whoami(ed25519_key) == ALICE))
            time.sleep(0.1)
    duration = time.time() - fetched
    # Accepted while the set is younger than its maximum age, refused once it is older. A request reads the
    # clock a little after it starts (after the user lookup): a 0.5 s margin on the accepting side.
    assert all(ok for age, ok in outcomes if age < max_age - 0.5)
    assert not any(ok for age, ok in outcomes if age > max_age)
    assert any(age < max_age - 0.5 for age, _ in outcomes) and any(age > max_age for age, _ in outcomes)
    # The refreshes failed, and said so; they kept to the cooldown (at most one attempt per second here)
    attempts = sum("Failed to fetch JWKS" in record.getMessage() for record in caplog.records)
    assert 1 <= attempts <= int(duration / COOLDOWN) + 1, (attempts, duration)
    # Back up: the next request past the cooldown fetches again and is accepted
    jwks_endpoint.up()
    time.sleep(COOLDOWN + 0.1)
    assert whoami(ed25519_key) == ALICE


def test_slow_endpoint_times_out_and_the_request_stays_anonymous(
    alice: Any, jwks_endpoint: JWKSEndpoint, ed25519_key: Any, caplog: pytest.LogCaptureFixture, real_refresh_worker: Any
) -> None:
    jwks_endpoint.publish(ed25519_key.public_key)
    jwks_endpoint.delay = 10  # far beyond JWKS_FETCH_TIMEOUT
    with caplog.at_level(logging.WARNING, logger="asymmetric_jwt_auth.jwks"):
        started = time.monotonic()
        assert whoami(ed25519_key) == ANONYMOUS
        elapsed = time.monotonic() - started
    assert elapsed < FETCH_TIMEOUT + 1.5
    assert "Failed to fetch JWKS" in caplog.text and "timed out" in caplog.text.lower()
    # Within the cooldown nobody waits for the endpoint again
    started = time.monotonic()
    assert whoami(ed25519_key) == ANONYMOUS
    assert time.monotonic() - started < FETCH_TIMEOUT
    assert jwks_endpoint.count() == 1
    # Once it answers in time, the first request after the cooldown schedules a background refresh (no request
    # waits for an endpoint once something is cached for it, as in 1.3.0), and requests are accepted once it lands
    jwks_endpoint.delay = 0
    time.sleep(COOLDOWN + 0.1)
    assert whoami(ed25519_key) == ANONYMOUS
    assert wait_until(lambda: jwks_endpoint.count() == 2 and not real_refresh_worker._pending, 5)
    assert whoami(ed25519_key) == ALICE


@pytest.mark.parametrize(
    "case, expected_log",
    [
        ("garbage", "JWKS"),
        ("html error page", "Content-Type"),
        ("wrong content type", "Content-Type"),
        ("huge", "larger than"),
        ("server error", "HTTP 500"),
        ("not a key set", "JWKS"),
    ],
)
def test_bad_responses_are_rejected_with_a_log_line(
    alice: Any, jwks_endpoint: JWKSEndpoint, ed25519_key: Any, caplog: pytest.LogCaptureFixture, case: str, expected_log: str
) -> None:
    jwks_endpoint.publish(ed25519_key.public_key)
    good = json.dumps({"keys": jwks_endpoint.keys}).encode()
    if case == "garbage":
        jwks_endpoint.body = b"\x00\xff{not json at all"
    elif case == "html error page":
        jwks_endpoint.body, jwks_endpoint.content_type = b"<html><body>502 Bad Gateway</body></html>", "text/html; charset=utf-8"
    elif case == "wrong content type":
        # A valid key set, but the server says it is something else (e.g. a captive portal or misrouted page)
        jwks_endpoint.body, jwks_endpoint.content_type = good, "text/html"
    elif case == "huge":
        jwks_endpoint.body = good[:-2] + b" " * (2 * 1024 * 1024) + b"]}"  # valid JSON beyond the 1 MiB default cap
    elif case == "server error":
        jwks_endpoint.status = 500
    elif case == "not a key set":
        jwks_endpoint.body = b'{"error": "temporarily_unavailable"}'
    with caplog.at_level(logging.WARNING, logger="asymmetric_jwt_auth.jwks"):
        started = time.monotonic()
        assert whoami(ed25519_key) == ANONYMOUS
        assert time.monotonic() - started < FETCH_TIMEOUT + 1.5
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "Failed to fetch JWKS" in warnings[0] and expected_log in warnings[0]
    assert jwks_endpoint.url in warnings[0]
    entry = cache.get(jwks._cache_key(jwks_endpoint.url))
    assert entry is not None and entry["jwks"] is None  # nothing from that answer is trusted


def test_json_content_types_are_accepted(alice: Any, jwks_endpoint: JWKSEndpoint, ed25519_key: Any) -> None:
    jwks_endpoint.publish(ed25519_key.public_key)
    for content_type in ("application/jwk-set+json", "application/json; charset=utf-8", "APPLICATION/JSON"):
        jwks_endpoint.content_type = content_type
        assert jwks._fetch_jwks(jwks_endpoint.url), content_type
    jwks_endpoint.content_type = "application/jwk-set+json"
    assert whoami(ed25519_key) == ALICE


def test_unknown_kid_storm_fetches_at_most_once_per_cooldown(
    alice: Any, jwks_endpoint: JWKSEndpoint, jwks_settings: dict[str, Any], real_refresh_worker: Any, ed25519_key: Any
) -> None:
    jwks_endpoint.publish(ed25519_key.public_key)
    assert whoami(ed25519_key) == ALICE
    strangers = [Ed25519PrivateKey.generate() for _ in range(5)]
    # A storm inside the cooldown the first fetch started: no fetch at all
    jwks_settings["JWKS_REFRESH_COOLDOWN"] = 30
    for i in range(100):
        assert whoami(strangers[i % len(strangers)]) == ANONYMOUS
    assert wait_until(lambda: not real_refresh_worker._pending, 5)
    assert jwks_endpoint.count() == 1
    # With a one-second cooldown, a storm of ~2.5 s gets at most one fetch per second
    jwks_settings["JWKS_REFRESH_COOLDOWN"] = COOLDOWN
    cache.delete(f"{jwks._cache_key(jwks_endpoint.url)}-lock")
    jwks._last_refresh_by_url.clear()
    started = time.monotonic()
    requests = 0
    while time.monotonic() - started < 2.5:
        assert whoami(strangers[requests % len(strangers)]) == ANONYMOUS
        requests += 1
    elapsed = time.monotonic() - started
    assert wait_until(lambda: not real_refresh_worker._pending, 5)
    refetches = jwks_endpoint.count() - 1
    assert requests > 20
    assert 1 <= refetches <= int(elapsed / COOLDOWN) + 1, (refetches, elapsed)
    # The known key kept working throughout
    assert whoami(ed25519_key) == ALICE


def test_unknown_kid_storm_from_many_threads(jwks_endpoint: JWKSEndpoint, jwks_settings: dict[str, Any], real_refresh_worker: Any, ed25519_key: Any) -> None:
    """Concurrent lookups of unknown kids share one cooldown: one refresh for the whole storm."""
    jwks_endpoint.publish(ed25519_key.public_key)
    jwks_settings["JWKS_REFRESH_COOLDOWN"] = 30
    assert jwks.get_signing_key(jwks_endpoint.url, ed25519_key.public_key.fingerprint).public_key == ed25519_key.public_key
    # As if the cooldown had just run out: the key set was fetched 31 s ago
    entry = cache.get(jwks._cache_key(jwks_endpoint.url))
    cache.set(jwks._cache_key(jwks_endpoint.url), {**entry, "fetched_at": entry["fetched_at"] - 31}, None)

    def lookups(thread: int) -> int:
        refused = 0
        for i in range(50):
            try:
                jwks.get_signing_key(jwks_endpoint.url, f"unknown-{thread}-{i}")
            except SigningKeyNotFound:
                refused += 1
        return refused

    with ThreadPoolExecutor(8) as pool:
        refused = sum(pool.map(lookups, range(8)))
    assert refused == 400
    assert wait_until(lambda: not real_refresh_worker._pending, 5)
    assert jwks_endpoint.count() == 2  # the first use, and one refresh for 400 unknown kids
