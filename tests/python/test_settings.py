"""get_setting and the ASYMMETRIC_JWT_AUTH settings dict."""

from typing import Any

from django.test import override_settings

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


def test_app_config() -> None:
    from django.apps import apps

    config = apps.get_app_config("asymmetric_jwt_auth")
    assert config.verbose_name == "Asymmetric Key Authentication"
    assert type(config).__name__ == "JWTAuthConfig"
