"""
The lookups authentication makes on every request: SQL compiled once (repos/lookups.py) and, with the auth cache
off, the user loaded together with their JWKS endpoint and public keys in one query, kept in the ORM's caches of
related rows (repos/auth_rows.py).
"""

from typing import Any
from unittest import mock
import gc
import weakref

from django.contrib.auth.models import User, UserManager
from django.db import connection, models
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
import pytest

from asymmetric_jwt_auth import jwks
from asymmetric_jwt_auth.exceptions import SigningKeyNotFound
from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
from asymmetric_jwt_auth.repos import auth_rows, django as django_repos
from asymmetric_jwt_auth.repos.cache import rows_for_user
from asymmetric_jwt_auth.repos.base import BaseUserRepository
from asymmetric_jwt_auth.repos.django import DjangoJWKSRepository, DjangoPublicKeyListRepository, DjangoUserRepository
from asymmetric_jwt_auth.repos.lookups import ValuesLookup, attnames, instances_lookup
from asymmetric_jwt_auth.tokens import Token, UntrustedToken

pytestmark = pytest.mark.django_db


def _selects(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]


def _fields(instance: models.Model) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in attnames(type(instance))}


class TestInstancesLookup:
    def test_rows_equal_the_orms(self) -> None:
        user = User.objects.create_user(username="svc")
        used = PublicKey.objects.create(user=user, key="k1", comment="used", last_used_on=timezone.now())
        PublicKey.objects.create(user=user, key="k2", comment="never used")
        PublicKey.objects.create(user=User.objects.create_user(username="other"), key="k3")
        ours = instances_lookup(PublicKey, "user")(user.pk)
        orm = list(PublicKey.objects.filter(user=user))
        # Same rows, same Python values (the datetime converted and time-zone aware, as the ORM's)
        assert sorted(map(_fields, ours), key=str) == sorted(map(_fields, orm), key=str)
        assert next(key for key in ours if key.pk == used.pk).last_used_on == used.last_used_on
        assert all(not key._state.adding and key._state.db == "default" for key in ours)

    def test_none_finds_rows_whose_field_is_null(self) -> None:
        user = User.objects.create_user(username="svc")
        PublicKey.objects.create(user=user, key="k1")
        assert instances_lookup(PublicKey, "user")(None) == []
        assert [u.username for u in instances_lookup(User, "username")("svc")] == ["svc"]

    def test_limit(self) -> None:
        for name in ("a", "b", "c"):
            User.objects.create_user(username=name, email="shared@example.com")
        assert len(instances_lookup(User, "email")("shared@example.com")) == 3
        assert len(instances_lookup(User, "email")("shared@example.com", limit=2)) == 2

    def test_a_filtering_manager_is_asked_every_time(self) -> None:
        User.objects.create_user(username="active")
        User.objects.create_user(username="inactive", is_active=False)
        lookup = ValuesLookup(User, "username", ("username",))
        # A manager whose rows depend on the moment: the lookup must not freeze its conditions into SQL
        active_only = {"on": True}

        def get_queryset(manager: Any) -> Any:
            queryset = models.QuerySet(User, using=manager._db)
            return queryset.filter(is_active=True) if active_only["on"] else queryset

        with mock.patch.object(UserManager, "get_queryset", get_queryset):
            assert lookup("inactive")[1] == []
            assert lookup("active")[1] == [["active"]]
            active_only["on"] = False
            assert lookup("inactive")[1] == [["inactive"]]

    def test_a_lookup_that_is_not_a_field_goes_through_the_orm(self, settings: Any) -> None:
        user = User.objects.create_user(username="Svc")
        assert [u.pk for u in instances_lookup(User, "username__iexact")("SVC")] == [user.pk]
        settings.ASYMMETRIC_JWT_AUTH = {"USER_LOOKUP_FIELD": "username__iexact"}
        assert DjangoUserRepository().get_user("sVC") == user
        assert DjangoUserRepository().get_user("nobody") is None

    def test_a_plain_manager_compiles_once(self) -> None:
        User.objects.create_user(username="svc")
        lookup = ValuesLookup(User, "username", ("id", "username"))
        lookup("svc")
        with mock.patch.object(models.QuerySet, "filter", side_effect=AssertionError("the ORM compiled the lookup again")):
            assert lookup("svc")[1][0][1] == "svc"
            assert lookup("nobody")[1] == []


class TestUserWithRows:
    @pytest.fixture(autouse=True)
    def _setup(self, ed25519_key: Any, rsa_key: Any, ec_key: Any) -> None:
        self.user = User.objects.create_user(username="svc")
        self.keys = [ed25519_key, rsa_key, ec_key]
        self.stored = [PublicKey.objects.create(user=self.user, key=key.public_key.as_pem.decode(), comment=f"key {i}") for i, key in enumerate(self.keys)]
        self.endpoint = JWKSEndpointTrust.objects.create(user=self.user, jwks_url="https://example.com/jwks.json")
        self.middleware = JWTAuthMiddleware(lambda request: None)

    def authenticate(self, key: Any, username: str = "svc") -> tuple[Any, CaptureQueriesContext]:
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token(username).create_auth_header(key))
        # The endpoint publishes none of the keys (and is never fetched): the keys are found in the key list
        with (
            CaptureQueriesContext(connection) as queries,
            mock.patch.object(jwks, "get_signing_key", side_effect=SigningKeyNotFound("no such key")) as get_signing_key,
        ):
            self.middleware(request)
        if username == "svc":
            get_signing_key.assert_called_once()
        return getattr(request, "user", None), queries

    def test_one_select_per_request(self) -> None:
        for key in self.keys:  # the last key needs the rows of all three joined rows
            user, queries = self.authenticate(key)
            assert user == self.user
            assert len(_selects(queries)) == 1

    def test_unknown_user_costs_the_same_select(self) -> None:
        _, known = self.authenticate(self.keys[0])
        user, unknown = self.authenticate(self.keys[0], username="nobody")
        assert user is None
        assert len(_selects(unknown)) == len(_selects(known)) == 1

    def test_attached_rows_are_the_users(self) -> None:
        user = DjangoUserRepository().get_user("svc")
        assert _fields(user) == _fields(self.user)
        endpoints = rows_for_user(JWKSEndpointTrust, user)
        assert [_fields(e) for e in endpoints] == [_fields(self.endpoint)]
        keys = rows_for_user(PublicKey, user)
        assert sorted(map(_fields, keys), key=str) == sorted(map(_fields, self.stored), key=str)  # each once, none lost
        assert all(key.user_id == user.pk for key in [*keys, *endpoints])

    def test_loaded_rows_leave_no_reference_cycle(self) -> None:
        # Freed as soon as the request drops the user, not left to the garbage collector
        gc.disable()
        try:
            user = DjangoUserRepository().get_user("svc")
            keys = weakref.WeakSet(rows_for_user(PublicKey, user))
            endpoint = weakref.ref(rows_for_user(JWKSEndpointTrust, user)[0])
            assert len(keys) == 3 and endpoint() is not None
            del user
            assert len(keys) == 0 and endpoint() is None
        finally:
            gc.enable()

    def test_rows_are_in_the_orms_caches(self) -> None:
        user = DjangoUserRepository().get_user("svc")
        with CaptureQueriesContext(connection) as queries:
            assert user.jwks_endpoint.pk == self.endpoint.pk  # as select_related("jwks_endpoint") caches it
            assert sorted(key.pk for key in user.public_keys.all()) == sorted(key.pk for key in self.stored)  # as prefetch_related
            assert len(rows_for_user(PublicKey, user)) == 3  # as often as asked, as the ORM's caches do
        assert queries.captured_queries == []
        other = User.objects.create_user(username="other")
        PublicKey.objects.create(user=other, key=self.stored[0].key, comment="key 1")
        with CaptureQueriesContext(connection) as queries:
            # A new query, as on prefetched rows: still of this user only
            assert [key.pk for key in user.public_keys.filter(comment="key 1")] == [self.stored[1].pk]
        assert len(_selects(queries)) == 1

    def test_rows_prefetched_by_the_orm_are_read(self) -> None:
        # What a custom user repository may return: the key repositories read those caches too
        user = User.objects.select_related("jwks_endpoint").prefetch_related("public_keys").get(username="svc")
        with CaptureQueriesContext(connection) as queries:
            assert [e.pk for e in rows_for_user(JWKSEndpointTrust, user)] == [self.endpoint.pk]
            assert len(rows_for_user(PublicKey, user)) == 3
        assert queries.captured_queries == []
        plain = User.objects.get(username="svc")
        with CaptureQueriesContext(connection) as queries:
            assert len(rows_for_user(PublicKey, plain)) == 3
        assert len(_selects(queries)) == 1

    def test_user_without_rows(self) -> None:
        bare = User.objects.create_user(username="bare")
        user = DjangoUserRepository().get_user("bare")
        assert user == bare
        with CaptureQueriesContext(connection) as queries:
            assert rows_for_user(PublicKey, user) == []
            assert rows_for_user(JWKSEndpointTrust, user) == []
            with pytest.raises(JWKSEndpointTrust.DoesNotExist):
                _ = user.jwks_endpoint
        assert queries.captured_queries == []

    def test_the_user_lookup_covers_the_simulated_lookups(self) -> None:
        token = Token("nobody").create_auth_header(self.keys[0]).split(" ", 1)[1]
        with CaptureQueriesContext(connection) as queries:
            assert DjangoUserRepository().get_user("nobody") is None
            DjangoPublicKeyListRepository().simulate_attempt_to_verify_token("nobody", UntrustedToken(token))
            DjangoJWKSRepository().simulate_attempt_to_verify_token("nobody", UntrustedToken(token))
        assert len(_selects(queries)) == 1  # the join found no user, so no rows of the joined tables either

    def test_another_user_repository_leaves_the_simulated_lookups_their_query(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"USER_REPOSITORY": f"{__name__}.NobodyRepository"}
        for model in (PublicKey, JWKSEndpointTrust):
            with CaptureQueriesContext(connection) as queries:
                assert django_repos._rows_for_unknown_user(model) == []
            assert len(_selects(queries)) == 1

    def test_only_the_configured_repositories_tables_are_joined(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"PUBLIC_KEY_REPOSITORIES": ["asymmetric_jwt_auth.repos.django.DjangoPublicKeyListRepository"]}
        middleware = JWTAuthMiddleware(lambda request: None)
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("svc").create_auth_header(self.keys[1]))
        with CaptureQueriesContext(connection) as queries:
            middleware(request)
        assert request.user == self.user
        (select,) = _selects(queries)
        assert "asymmetric_jwt_auth_publickey" in select and "jwksendpointtrust" not in select
        assert auth_rows.loaded_rows(PublicKey, request.user) is not None
        assert auth_rows.loaded_rows(JWKSEndpointTrust, request.user) is None  # not joined: read by its own query

    def test_more_than_one_match_is_nobody(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"USER_LOOKUP_FIELD": "email"}
        for name in ("a", "b"):
            user = User.objects.create_user(username=name, email="shared@example.com")
            PublicKey.objects.create(user=user, key=self.keys[0].public_key.as_pem.decode())
        with CaptureQueriesContext(connection) as queries:
            assert DjangoUserRepository().get_user("shared@example.com") is None
            assert django_repos._rows_for_unknown_user(PublicKey) == []  # the join read both users' keys
        assert len(_selects(queries)) == 1

    def test_rows_read_from_another_database_are_not_joined(self, settings: Any) -> None:
        settings.DATABASE_ROUTERS = [f"{__name__}.KeysElsewhereRouter"]
        with mock.patch.object(django_repos, "rows_for_unknown_user", return_value=[]) as own_query:
            assert DjangoUserRepository().get_user("nobody") is None
            assert django_repos._rows_for_unknown_user(PublicKey) == []  # not joined: its simulated lookup makes its own query
            assert django_repos._rows_for_unknown_user(JWKSEndpointTrust) == []
        own_query.assert_called_once_with(PublicKey)
        with CaptureQueriesContext(connection) as queries:
            user = DjangoUserRepository().get_user("svc")
        (select,) = _selects(queries)
        assert "jwksendpointtrust" in select and "asymmetric_jwt_auth_publickey" not in select
        assert auth_rows.loaded_rows(PublicKey, user) is None


class NobodyRepository(BaseUserRepository):
    def get_user(self, username: str) -> None:
        return None


class KeysElsewhereRouter:
    """Public keys are read from a replica (here by name only: no query is made there)."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return "replica" if model is PublicKey else None
