"""
AUTH_CACHE_TTL (the user, their keys and JWKS endpoint cached in Django's cache, retired by any ORM change) and
LAST_USED_UPDATE_INTERVAL (last_used_on written at most once per interval per key and process).
"""

from typing import Any
from unittest import mock

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
import pytest

from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
from asymmetric_jwt_auth.repos import cache as auth_cache
from asymmetric_jwt_auth.tokens import Token

pytestmark = pytest.mark.django_db


def _queries_on(table: str, queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if table in q["sql"]]


class Base:
    @pytest.fixture(autouse=True)
    def _setup(self, ed25519_key: Any, rsa_key: Any) -> None:
        self.user = User.objects.create_user(username="svc")
        self.other = User.objects.create_user(username="other")
        self.ed25519 = ed25519_key
        self.rsa = rsa_key
        self.middleware = JWTAuthMiddleware(lambda request: None)

    def authenticate(self, key: Any, username: str = "svc") -> tuple[Any, CaptureQueriesContext]:
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token(username).create_auth_header(key))
        with CaptureQueriesContext(connection) as queries:
            self.middleware(request)
        return getattr(request, "user", None), queries


class TestAuthCache(Base):
    @pytest.fixture(autouse=True)
    def _cache_on(self, settings: Any, _setup: None) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"AUTH_CACHE_TTL": 60}
        self.key = PublicKey.objects.create(user=self.user, key=self.ed25519.public_key.as_pem.decode())

    def test_second_request_makes_no_query(self) -> None:
        user, first = self.authenticate(self.ed25519)
        assert user == self.user
        assert len(_queries_on("asymmetric_jwt_auth_publickey", first)) == 2  # SELECT, then last_used_on UPDATE
        assert len(_queries_on("asymmetric_jwt_auth_jwksendpointtrust", first)) == 1
        assert len(_queries_on("auth_user", first)) == 1
        user, second = self.authenticate(self.ed25519)
        # The user, the keys and the (absent) JWKS endpoint come from the cache; last_used_on was just written
        assert user == self.user and user.username == "svc"
        assert second.captured_queries == []

    def test_deactivated_user_is_seen_at_once(self) -> None:
        assert self.authenticate(self.ed25519)[0].is_active
        self.user.is_active = False
        self.user.save()
        # Refused (the user was read again, not taken from the cache)
        user, queries = self.authenticate(self.ed25519)
        assert user is None
        assert len(_queries_on("auth_user", queries)) == 1

    def test_deactivated_user_with_inactive_users_allowed(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {**settings.ASYMMETRIC_JWT_AUTH, "AUTHENTICATE_INACTIVE_USERS": True}
        assert self.authenticate(self.ed25519)[0].is_active
        self.user.is_active = False
        self.user.save()
        user, queries = self.authenticate(self.ed25519)
        assert user == self.user and not user.is_active
        assert len(_queries_on("auth_user", queries)) == 1

    def test_renamed_user_is_seen_at_once(self) -> None:
        assert self.authenticate(self.ed25519)[0] == self.user
        self.user.username = "svc2"
        self.user.save()
        assert self.authenticate(self.ed25519)[0] is None
        assert self.authenticate(self.ed25519, "svc2")[0] == self.user

    def test_last_login_does_not_retire_the_cache(self) -> None:
        self.authenticate(self.ed25519)
        version = cache.get(auth_cache._VERSION_KEY)
        self.user.save(update_fields=["last_login"])
        assert cache.get(auth_cache._VERSION_KEY) == version
        self.user.save()
        assert cache.get(auth_cache._VERSION_KEY) != version

    def test_unknown_users_are_not_cached(self) -> None:
        for _ in range(2):
            request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("nobody").create_auth_header(self.ed25519))
            with CaptureQueriesContext(connection) as queries:
                self.middleware(request)
            assert getattr(request, "user", None) is None
            assert len(_queries_on("auth_user", queries)) == 1
        User.objects.create_user(username="nobody")
        PublicKey.objects.create(user=User.objects.get(username="nobody"), key=self.ed25519.public_key.as_pem.decode())
        assert self.authenticate(self.ed25519, "nobody")[0] is not None

    def test_deleted_key_stops_working_at_once(self) -> None:
        assert self.authenticate(self.ed25519)[0] == self.user
        self.key.delete()
        assert self.authenticate(self.ed25519)[0] is None

    def test_added_key_works_at_once(self) -> None:
        assert self.authenticate(self.rsa)[0] is None  # caches the list without it
        PublicKey.objects.create(user=self.user, key=self.rsa.public_key.as_pem.decode())
        assert self.authenticate(self.rsa)[0] == self.user

    def test_key_moved_to_another_user(self) -> None:
        assert self.authenticate(self.ed25519)[0] == self.user
        assert self.authenticate(self.ed25519, "other")[0] is None
        self.key.user = self.other
        self.key.save()
        assert self.authenticate(self.ed25519)[0] is None
        assert self.authenticate(self.ed25519, "other")[0] == self.other

    def test_user_deleted(self) -> None:
        assert self.authenticate(self.ed25519)[0] == self.user
        self.user.delete()  # cascades to the key, whose post_delete retires the cache
        assert self.authenticate(self.ed25519)[0] is None

    def test_jwks_endpoint_added_retires_the_cache(self) -> None:
        self.authenticate(self.ed25519)
        version = cache.get(auth_cache._VERSION_KEY)
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url="https://jwks.example/keys.json")
        assert cache.get(auth_cache._VERSION_KEY) != version

    def test_last_used_write_does_not_retire_the_cache(self) -> None:
        self.authenticate(self.ed25519)
        version = cache.get(auth_cache._VERSION_KEY)
        self.key.update_last_used_datetime()
        assert cache.get(auth_cache._VERSION_KEY) == version

    def test_queryset_update_takes_effect_when_the_cache_forgets(self) -> None:
        # No signal: the cached list stays until its TTL; documented. Here the cache is cleared to stand for that.
        assert self.authenticate(self.ed25519)[0] == self.user
        PublicKey.objects.filter(pk=self.key.pk).update(key=self.rsa.public_key.as_pem.decode())
        assert self.authenticate(self.ed25519)[0] == self.user
        cache.clear()
        assert self.authenticate(self.ed25519)[0] is None
        assert self.authenticate(self.rsa)[0] == self.user

    def test_evicted_version_stamp_retires_entries(self) -> None:
        assert self.authenticate(self.ed25519)[0] == self.user
        PublicKey.objects.filter(pk=self.key.pk).delete()  # signals: retired anyway; evict the stamp as well
        cache.delete(auth_cache._VERSION_KEY)
        assert self.authenticate(self.ed25519)[0] is None

    def test_cache_down_fails_closed(self, caplog: Any) -> None:
        with mock.patch.object(auth_cache, "cache") as broken:
            broken.get.side_effect = ConnectionError("cache unreachable")
            user, _ = self.authenticate(self.ed25519)
        assert user is None
        assert "failed closed" in caplog.text

    def test_cached_instances_are_complete(self) -> None:
        auth_cache.rows_for_user(PublicKey, self.user)
        (cached,) = auth_cache.rows_for_user(PublicKey, self.user)
        assert (cached.pk, cached.key, cached.comment, cached.user_id) == (self.key.pk, self.key.key, self.key.comment, self.user.pk)
        assert cached.user is self.user
        assert not cached._state.adding

    def test_unknown_user_reads_the_cache_for_keys(self) -> None:
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("nobody").create_auth_header(self.ed25519))
        with CaptureQueriesContext(connection) as queries:
            self.middleware(request)
        assert getattr(request, "user", None) is None
        assert len(queries) == 1  # the user lookup only: the key lookups it simulates go to the cache


class TestAuthCacheOff(Base):
    def test_default_reads_the_database_every_time(self) -> None:
        PublicKey.objects.create(user=self.user, key=self.ed25519.public_key.as_pem.decode())
        for _ in range(2):
            user, queries = self.authenticate(self.ed25519)
            assert user == self.user
            assert len(_queries_on("SELECT", queries)) == 1  # the user, with the JWKS endpoint and keys joined


class TestLastUsedThrottle(Base):
    @pytest.fixture(autouse=True)
    def _key(self, _setup: None) -> None:
        self.key = PublicKey.objects.create(user=self.user, key=self.ed25519.public_key.as_pem.decode())

    def updates(self, queries: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]

    def test_written_once_per_interval(self) -> None:
        assert self.authenticate(self.ed25519)[0] == self.user
        self.key.refresh_from_db()
        first_use = self.key.last_used_on
        assert first_use is not None
        user, queries = self.authenticate(self.ed25519)
        assert user == self.user
        assert self.updates(queries) == []
        self.key.refresh_from_db()
        assert self.key.last_used_on == first_use

    def test_written_again_after_the_interval(self) -> None:
        with freeze_time() as frozen:
            self.authenticate(self.ed25519)
            frozen.tick(59)
            assert self.updates(self.authenticate(self.ed25519)[1]) == []
            frozen.tick(1)
            assert len(self.updates(self.authenticate(self.ed25519)[1])) == 1

    def test_interval_zero_writes_every_time(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"LAST_USED_UPDATE_INTERVAL": 0}
        for _ in range(3):
            user, queries = self.authenticate(self.ed25519)
            assert user == self.user
            assert len(self.updates(queries)) == 1

    def test_each_key_has_its_own_interval(self) -> None:
        rsa_key = PublicKey.objects.create(user=self.user, key=self.rsa.public_key.as_pem.decode())
        self.authenticate(self.ed25519)
        self.authenticate(self.rsa)
        rsa_key.refresh_from_db()
        assert rsa_key.last_used_on is not None

    def test_throttle_memory_is_bounded(self) -> None:
        throttle = auth_cache._LastUsedThrottle()
        with mock.patch.object(auth_cache._LastUsedThrottle, "_MAX_ENTRIES", 10):
            for pk in range(25):
                assert throttle.due(PublicKey(pk=pk))
            assert len(throttle._written) <= 10
