"""JWKSEndpointView at .well-known/jwks.json (asymmetric_jwt_auth:jwks) and the SIGNING_PUBLIC_KEYS setting."""

from typing import Any

from django.test import Client
from django.urls import reverse
import pytest

from asymmetric_jwt_auth import keys


def get_jwks() -> dict[str, Any]:
    response = Client().get(reverse("asymmetric_jwt_auth:jwks"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data: dict[str, Any] = response.json()
    return data


def test_url_name_and_path() -> None:
    assert reverse("asymmetric_jwt_auth:jwks") == "/.well-known/jwks.json"


def test_no_keys() -> None:
    assert get_jwks() == {"keys": []}


def test_pem_keys(settings: Any, compat: dict[str, Any]) -> None:
    fact = compat["public_keys"]["rsa_pem"]
    settings.ASYMMETRIC_JWT_AUTH = {"SIGNING_PUBLIC_KEYS": [fact["text"].encode(), fact["text"].encode()]}
    assert get_jwks() == {"keys": [fact["jwk"], fact["jwk"]]}


def test_loaded_keys(settings: Any, compat: dict[str, Any]) -> None:
    fact = compat["public_keys"]["rsa_pem"]
    settings.ASYMMETRIC_JWT_AUTH = {"SIGNING_PUBLIC_KEYS": [keys.PublicKey.load_pem(fact["text"].encode())]}
    assert get_jwks() == {"keys": [fact["jwk"]]}


def test_invalid_pem_keys(settings: Any, compat: dict[str, Any]) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"SIGNING_PUBLIC_KEYS": [compat["invalid_public_keys"]["rsa_pem"].encode(), "junk", b""]}
    assert get_jwks() == {"keys": []}


def test_ed25519_ec_ed448_and_openssh_keys_are_published(settings: Any, ed25519_key: Any, ec_key: Any) -> None:
    ed448 = keys.Ed448PrivateKey.generate()
    settings.ASYMMETRIC_JWT_AUTH = {
        "SIGNING_PUBLIC_KEYS": [ed25519_key.public_key, ec_key.public_key.as_pem.decode(), ed448.public_key.as_openssh, ec_key],
    }
    published = get_jwks()["keys"]
    assert [(k["kty"], k["crv"], k["kid"]) for k in published] == [
        ("OKP", "Ed25519", ed25519_key.public_key.fingerprint),
        ("EC", "P-256", ec_key.public_key.fingerprint),
        ("OKP", "Ed448", ed448.public_key.fingerprint),
        ("EC", "P-256", ec_key.public_key.fingerprint),
    ]
    assert all("d" not in k for k in published)
    for jwk, expected in zip(published, (ed25519_key.public_key, ec_key.public_key, ed448.public_key), strict=False):
        assert keys.PublicKey.load_jwk(jwk) == expected


def test_published_keys_verify_our_tokens_with_pyjwt(settings: Any, rsa_key: Any, ed25519_key: Any) -> None:
    import jwt

    from asymmetric_jwt_auth.tokens import Token

    settings.ASYMMETRIC_JWT_AUTH = {"SIGNING_PUBLIC_KEYS": [rsa_key.public_key, ed25519_key.public_key]}
    key_set = jwt.PyJWKSet.from_dict(get_jwks())
    for private in (rsa_key, ed25519_key):
        token = Token("rusty").sign(private)
        kid = jwt.get_unverified_header(token)["kid"]
        signing_key = next(k for k in key_set.keys if k.key_id == kid)
        assert jwt.decode(token, signing_key, algorithms=[signing_key.algorithm_name])["username"] == "rusty"


def test_response_is_cached_for_jwks_view_ttl(settings: Any, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"SIGNING_PUBLIC_KEYS": [ed25519_key.public_key]}
    response = Client().get("/.well-known/jwks.json")
    assert "max-age=300" in response["Cache-Control"]
    settings.ASYMMETRIC_JWT_AUTH = {"SIGNING_PUBLIC_KEYS": []}
    assert len(get_jwks()["keys"]) == 1  # served from the page cache


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_only(method: str) -> None:
    assert getattr(Client(), method)("/.well-known/jwks.json").status_code == 405
