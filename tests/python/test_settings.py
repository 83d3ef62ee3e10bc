"""get_setting and the ASYMMETRIC_JWT_AUTH settings dict."""

from typing import Any

from django.conf import settings as django_settings
from django.test import override_settings
import pytest

from asymmetric_jwt_auth import default_settings, get_setting

UPSTREAM_DEFAULTS = {
    "AUTH_METHOD": "JWT",
    "TIMESTAMP_TOLERANCE": 20,
    "NONCE_BACKEND": "asymmetric_jwt_auth.nonce.django.DjangoCacheNonceBackend",
    "USER_REPOSITORY": "asymmetric_jwt_auth.repos.django.DjangoUserRepository",
    "PUBLIC_KEY_REPOSITORIES": [
        "asymmetric_jwt_auth.repos.django.DjangoJWKSRepository",
        "asymmetric_jwt_auth.repos.django.DjangoPublicKeyListRepository",
    ],
    "SIGNING_PUBLIC_KEYS": [],
    "JWKS_VIEW_TTL": 300,
    "JWKS_CACHE_TTL": 300,
    "JWKS_CACHE_MAX_AGE": 3600,
    "JWKS_REFRESH_COOLDOWN": 30,
    "JWKS_FETCH_TIMEOUT": 5,
    "JWKS_MAX_RESPONSE_BYTES": 1024 * 1024,
}


def test_upstream_defaults() -> None:
    for name, value in UPSTREAM_DEFAULTS.items():
        assert get_setting(name) == value, name
        assert default_settings[name] == value


def test_our_additional_defaults() -> None:
    assert get_setting("JWKS_ALLOW_INSECURE_HTTP") is False
    assert get_setting("USER_LOOKUP_FIELD") is None


@override_settings(ASYMMETRIC_JWT_AUTH={"TIMESTAMP_TOLERANCE": 30})
def test_get_setting_overridden() -> None:
    assert get_setting("AUTH_METHOD") == "JWT"
    assert get_setting("TIMESTAMP_TOLERANCE") == 30


def test_defaults_are_not_mutated_through_get_setting(settings: Any) -> None:
    get_setting("PUBLIC_KEY_REPOSITORIES").append("x")
    get_setting("SIGNING_PUBLIC_KEYS").append("x")
    assert get_setting("PUBLIC_KEY_REPOSITORIES") == UPSTREAM_DEFAULTS["PUBLIC_KEY_REPOSITORIES"]
    assert get_setting("SIGNING_PUBLIC_KEYS") == []


@pytest.fixture
def restored_settings() -> Any:
    """Django's settings object itself, given back without ASYMMETRIC_JWT_AUTH (the test project has none)."""
    assert not hasattr(django_settings, "ASYMMETRIC_JWT_AUTH")
    yield django_settings
    if hasattr(django_settings, "ASYMMETRIC_JWT_AUTH"):
        del django_settings.ASYMMETRIC_JWT_AUTH


# get_setting reads what Django's LazySettings has cached, and remembers where the dict was absent: these check it
# follows every way a script or test changes settings, without a signal from Django.


def test_assignment_and_deletion_take_effect_at_once(restored_settings: Any) -> None:
    for _ in range(2):  # the second read of each state comes from what the first one left
        assert get_setting("TIMESTAMP_TOLERANCE") == 20
    restored_settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": 5}
    for _ in range(2):
        assert get_setting("TIMESTAMP_TOLERANCE") == 5
    restored_settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": 7}
    assert get_setting("TIMESTAMP_TOLERANCE") == 7
    del restored_settings.ASYMMETRIC_JWT_AUTH
    for _ in range(2):
        assert get_setting("TIMESTAMP_TOLERANCE") == 20
    restored_settings.ASYMMETRIC_JWT_AUTH = {"AUTH_METHOD": "Token"}
    assert get_setting("AUTH_METHOD") == "Token"


def test_changing_the_dict_in_place_takes_effect(restored_settings: Any) -> None:
    restored_settings.ASYMMETRIC_JWT_AUTH = {}
    assert get_setting("NONCE_BACKEND") == UPSTREAM_DEFAULTS["NONCE_BACKEND"]
    restored_settings.ASYMMETRIC_JWT_AUTH["NONCE_BACKEND"] = "x.Y"
    assert get_setting("NONCE_BACKEND") == "x.Y"


def test_nested_overrides_and_their_end(restored_settings: Any) -> None:
    assert get_setting("JWKS_CACHE_TTL") == 300
    with override_settings(ASYMMETRIC_JWT_AUTH={"JWKS_CACHE_TTL": 1}):
        assert get_setting("JWKS_CACHE_TTL") == 1
        with override_settings(ASYMMETRIC_JWT_AUTH={"JWKS_CACHE_TTL": 2}):
            assert get_setting("JWKS_CACHE_TTL") == 2
        assert get_setting("JWKS_CACHE_TTL") == 1
        with override_settings(DEBUG=True):  # another settings object that inherits the dict
            assert get_setting("JWKS_CACHE_TTL") == 1
        del restored_settings.ASYMMETRIC_JWT_AUTH  # deleted inside an override: absent until it ends
        assert get_setting("JWKS_CACHE_TTL") == 300
    assert get_setting("JWKS_CACHE_TTL") == 300
    with override_settings(DEBUG=True):
        assert get_setting("JWKS_CACHE_TTL") == 300
        restored_settings.ASYMMETRIC_JWT_AUTH = {"JWKS_CACHE_TTL": 3}  # assigned to the override's settings
        assert get_setting("JWKS_CACHE_TTL") == 3
    assert get_setting("JWKS_CACHE_TTL") == 300


def test_app_config() -> None:
    from django.apps import apps

    config = apps.get_app_config("asymmetric_jwt_auth")
    assert config.verbose_name == "Asymmetric Key Authentication"
    assert type(config).__name__ == "JWTAuthConfig"
