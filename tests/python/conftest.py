"""Shared fixtures of the Python suites (pytest-django; settings in testproject/)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock
import json
import os

import pytest

TESTS_DIR = Path(__file__).resolve().parent
VECTORS_DIR = TESTS_DIR.parent / "vectors"
CUSTOM_USER_SETTINGS = "testproject.settings_custom_user"
#: The same on PostgreSQL and Redis (scripts/test-services.sh)
CUSTOM_USER_SETTINGS_POSTGRES = "testproject.settings_postgres_custom_user"

# Fixtures of the service tests (PostgreSQL, Redis, worker processes, loopback HTTP servers)
from conftest_services import *  # noqa: E402, F401, F403


def _custom_user_run() -> bool:
    return os.environ.get("DJANGO_SETTINGS_MODULE") in (CUSTOM_USER_SETTINGS, CUSTOM_USER_SETTINGS_POSTGRES)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # The custom user model suite needs other settings, so it runs as its own pytest invocation, and the
    # main suite only under the default settings.
    in_custom_dir = "custom_user" in collection_path.parts
    if collection_path.is_file() and collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return in_custom_dir != _custom_user_run()
    return None


@pytest.fixture(scope="session")
def compat() -> dict[str, Any]:
    """Byte-exact facts of asymmetric-jwt-auth 1.x (tests/vectors/compat)."""
    with open(VECTORS_DIR / "compat" / "asymmetric-jwt-auth-1.x.json") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@pytest.fixture(autouse=True)
def _clean_state(settings: Any) -> Iterator[None]:
    """
    Every test starts with an empty cache and in-process nonce store, no JWKS state, no memory of last-used writes,
    and a refresh worker that never starts a thread.
    """
    from django.core.cache import cache

    from asymmetric_jwt_auth import jwks
    from asymmetric_jwt_auth.nonce.django import clear_memory_nonce_stores
    from asymmetric_jwt_auth.repos.cache import last_used_throttle

    cache.clear()
    clear_memory_nonce_stores()
    jwks._signing_keys_by_url.clear()
    jwks._last_refresh_by_url.clear()
    last_used_throttle.clear()
    with mock.patch.object(jwks, "_refresh_worker") as worker:
        worker.submit.side_effect = lambda url: None
        yield
    cache.clear()


@pytest.fixture(scope="session")
def ed25519_key() -> Any:
    from asymmetric_jwt_auth.keys import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def rsa_key() -> Any:
    from asymmetric_jwt_auth.keys import RSAPrivateKey

    return RSAPrivateKey.generate()


@pytest.fixture(scope="session")
def ec_key() -> Any:
    from asymmetric_jwt_auth.keys import ECPrivateKey

    return ECPrivateKey.generate()


@pytest.fixture(scope="session")
def upstream_python() -> str:
    """The interpreter of the virtualenv holding upstream asymmetric-jwt-auth 1.x (scripts/test-python.sh)."""
    path = os.environ.get("AJWT_UPSTREAM_PYTHON")
    if not path or not os.access(path, os.X_OK):
        if os.environ.get("AJWT_REQUIRE_UPSTREAM"):
            pytest.fail("AJWT_UPSTREAM_PYTHON does not name the upstream virtualenv's python")
        pytest.skip("set AJWT_UPSTREAM_PYTHON to the python of a virtualenv with asymmetric-jwt-auth 1.x")
    return path
