"""System checks: manage.py check and check --deploy."""

from typing import Any
from unittest import mock

from django.core import checks
from django.core.management import call_command
from django.core.cache.backends.db import DatabaseCache
from django.core.management.base import SystemCheckError
import pytest

from asymmetric_jwt_auth import checks as checks_module


def _default_cache(backend: str) -> Any:
    # Not settings.CACHES: changing it swaps the cache the other fixtures use.
    return mock.patch.object(checks_module, "_default_cache_backend", return_value=backend)


def _ids(deploy: bool = False) -> list[str]:
    return sorted(m.id for m in checks.run_checks(include_deployment_checks=deploy) if m.id and m.id.startswith("asymmetric_jwt_auth."))


def test_test_settings_pass() -> None:
    assert _ids() == []


def test_unknown_setting_warns(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERENCE": 5}
    messages = [m for m in checks.run_checks() if m.id == "asymmetric_jwt_auth.W001"]
    assert len(messages) == 1
    assert "TIMESTAMP_TOLERENCE" in messages[0].msg
    assert "TIMESTAMP_TOLERANCE" in messages[0].hint


@pytest.mark.parametrize("value", [-1, "20", 2.5, True, None])
def test_numeric_setting_must_be_a_non_negative_int(settings: Any, value: object) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": value}
    assert _ids() == ["asymmetric_jwt_auth.E002"]


@pytest.mark.parametrize("override", [{"REQUEST_BINDING": "sometimes"}, {"REQUEST_BINDING": None}, {"AUDIENCE": ""}, {"AUDIENCE": 5}])
def test_request_binding_settings_are_checked(settings: Any, override: dict[str, object]) -> None:
    settings.ASYMMETRIC_JWT_AUTH = override
    assert _ids() == ["asymmetric_jwt_auth.E012"]
    settings.ASYMMETRIC_JWT_AUTH = {"REQUEST_BINDING": "required", "AUDIENCE": "billing"}
    assert _ids() == []


def test_nonce_backend_not_importable(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "no.such.Backend"}
    assert _ids() == ["asymmetric_jwt_auth.E003"]


def test_errors_stop_manage_py_check(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": -5}
    with pytest.raises(SystemCheckError, match="E002"):
        call_command("check")


def _nonce_cache(backend: str) -> Any:
    """CACHES["nonces"] configured with ``backend`` (as the checks read it), other aliases as they are."""
    real = checks_module._cache_backend
    return mock.patch.object(checks_module, "_cache_backend", side_effect=lambda alias: backend if alias == "nonces" else real(alias))


@pytest.mark.parametrize(
    "alias, errors",
    [
        ("default", []),  # LocMemCache: nonces in libajwt's in-process store
        ("dummy", ["asymmetric_jwt_auth.E008"]),  # stores nothing
        ("filebased", ["asymmetric_jwt_auth.E008"]),  # culls at MAX_ENTRIES
        ("db", ["asymmetric_jwt_auth.E008"]),  # culls at MAX_ENTRIES
        ("nowhere", ["asymmetric_jwt_auth.E009"]),
    ],
)
def test_nonce_cache_that_drops_entries_is_an_error(settings: Any, alias: str, errors: list[str]) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": alias}
    assert _ids() == errors
    if errors:
        with pytest.raises(SystemCheckError, match=errors[0]):
            call_command("check")
    messages = [m for m in checks.run_checks() if m.id == "asymmetric_jwt_auth.E008"]
    if messages:
        assert "NONCE_CACHE_ALIAS" in messages[0].hint and "RedisCache" in messages[0].hint


def test_nonce_cache_subclasses_and_other_backends(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": "nonces"}
    with _nonce_cache(f"{__name__}.MyDatabaseCache"):
        assert _ids() == ["asymmetric_jwt_auth.E008"]  # a subclass culls all the same
    with _nonce_cache("django.core.cache.backends.redis.RedisCache"):
        assert _ids() == []
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend", "NONCE_CACHE_ALIAS": "db"}
    assert _ids() == []  # nonces are not recorded in a cache at all


class MyDatabaseCache(DatabaseCache):
    pass


@pytest.mark.parametrize(
    "backend, expected",
    [
        ("django.core.cache.backends.locmem.LocMemCache", ["asymmetric_jwt_auth.W005"]),
        ("django.core.cache.backends.redis.RedisCache", ["asymmetric_jwt_auth.W007"]),
        ("django.core.cache.backends.memcached.PyMemcacheCache", ["asymmetric_jwt_auth.W007"]),
        ("django.core.cache.backends.memcached.PyLibMCCache", ["asymmetric_jwt_auth.W007"]),
    ],
)
def test_deploy_nonce_cache(settings: Any, backend: str, expected: list[str]) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_CACHE_ALIAS": "nonces"}
    with _nonce_cache(backend):
        assert _ids() == []  # development: not a concern
        assert _ids(deploy=True) == expected
        (message,) = [m for m in checks.run_checks(include_deployment_checks=True) if m.id in expected]
    if expected == ["asymmetric_jwt_auth.W005"]:
        # One process holds exactly; only other processes can be replayed to
        assert "in-process" in message.msg and "another" in message.msg
        assert "within one process only" not in message.msg
    else:
        assert "noeviction" in message.hint and "-M" in message.hint


def test_deploy_null_nonce_backend(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
    assert "asymmetric_jwt_auth.W004" in _ids(deploy=True)


def test_deploy_auth_cache_on_per_process_cache(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"AUTH_CACHE_TTL": 60}
    with _default_cache("django.core.cache.backends.locmem.LocMemCache"):
        assert "asymmetric_jwt_auth.W006" in _ids(deploy=True)
    with _default_cache("django.core.cache.backends.redis.RedisCache"):
        assert "asymmetric_jwt_auth.W006" not in _ids(deploy=True)


_JWT_MIDDLEWARE = "asymmetric_jwt_auth.middleware.JWTAuthMiddleware"
_AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def test_jwt_middleware_before_authentication_middleware_warns(settings: Any) -> None:
    settings.MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", _JWT_MIDDLEWARE, _AUTH_MIDDLEWARE]
    messages = [m for m in checks.run_checks() if m.id == "asymmetric_jwt_auth.W012"]
    assert len(messages) == 1
    assert "Move asymmetric_jwt_auth.middleware.JWTAuthMiddleware after" in messages[0].hint


@pytest.mark.parametrize(
    "middleware",
    [
        ["django.contrib.sessions.middleware.SessionMiddleware", _AUTH_MIDDLEWARE, _JWT_MIDDLEWARE],
        [_JWT_MIDDLEWARE],  # no session authentication at all: nothing overwrites the user
        [_AUTH_MIDDLEWARE, "no.such.Middleware"],
    ],
)
def test_middleware_in_a_working_order_passes(settings: Any, middleware: list[str]) -> None:
    settings.MIDDLEWARE = middleware
    assert "asymmetric_jwt_auth.W012" not in _ids()

