"""System checks: manage.py check and check --deploy."""

from typing import Any
from unittest import mock

from django.core import checks
from django.core.management import call_command
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


def test_nonce_backend_not_importable(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "no.such.Backend"}
    assert _ids() == ["asymmetric_jwt_auth.E003"]


def test_errors_stop_manage_py_check(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": -5}
    with pytest.raises(SystemCheckError, match="E002"):
        call_command("check")


@pytest.mark.parametrize(
    "backend, expected",
    [
        ("django.core.cache.backends.locmem.LocMemCache", ["asymmetric_jwt_auth.W005"]),
        ("django.core.cache.backends.dummy.DummyCache", ["asymmetric_jwt_auth.W004"]),
        ("django.core.cache.backends.redis.RedisCache", []),
    ],
)
def test_deploy_nonce_cache(settings: Any, backend: str, expected: list[str]) -> None:
    with _default_cache(backend):
        assert _ids() == []  # development: not a concern
        assert _ids(deploy=True) == expected


def test_deploy_null_nonce_backend(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
    assert "asymmetric_jwt_auth.W004" in _ids(deploy=True)


def test_deploy_auth_cache_on_per_process_cache(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"AUTH_CACHE_TTL": 60}
    with _default_cache("django.core.cache.backends.locmem.LocMemCache"):
        assert "asymmetric_jwt_auth.W006" in _ids(deploy=True)
    with _default_cache("django.core.cache.backends.redis.RedisCache"):
        assert _ids(deploy=True) == []
