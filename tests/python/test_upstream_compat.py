"""
What projects written against asymmetric-jwt-auth 1.3.0 rely on beyond the protocol: the exception classes of
the JWKS layer, the shape of what ``jwks.get_signing_key`` returns, ``last_used_on`` stamping of new rows.
(Upstream's own suite runs against this package in scripts/test-upstream-suite.sh.)
"""

from typing import Any
from unittest import mock
import subprocess
import sys

from django.contrib.auth.models import User
from django.test import Client
import jwt
import pytest

from asymmetric_jwt_auth import jwks, keys, models
from asymmetric_jwt_auth.exceptions import JWKSFetchError, SigningKeyNotFound
from asymmetric_jwt_auth.tokens import Token

URL = "https://example.com/.well-known/jwks.json"


def test_jwks_errors_are_pyjwt_client_errors() -> None:
    """Custom repositories written against 1.3.0 catch jwt.PyJWKClientError (and its connection error)."""
    with mock.patch.object(jwks, "_fetch_jwks", side_effect=JWKSFetchError("down")):
        with pytest.raises(jwt.PyJWKClientError):
            jwks.get_signing_key(URL, "kid")
    assert issubclass(SigningKeyNotFound, jwt.PyJWKClientError)
    assert issubclass(JWKSFetchError, jwt.exceptions.PyJWKClientConnectionError)
    assert issubclass(JWKSFetchError, OSError)


def test_exceptions_do_not_need_pyjwt() -> None:
    code = (
        "import sys; sys.modules['jwt'] = None\n"
        "from asymmetric_jwt_auth.exceptions import JWKSFetchError, SigningKeyNotFound, JWKSError\n"
        "assert issubclass(JWKSFetchError, (JWKSError, OSError)) and issubclass(SigningKeyNotFound, LookupError)\n"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_signing_key_has_pyjwk_attributes() -> None:
    private = keys.RSAPrivateKey.generate()
    with mock.patch.object(jwks, "_fetch_jwks", return_value={"keys": [private.public_key.as_jwk]}), mock.patch.object(jwks, "_queue_refresh"):
        signing_key = jwks.get_signing_key(URL, private.public_key.fingerprint)
    assert signing_key.key_id == private.public_key.fingerprint
    assert (signing_key.key_type, signing_key.algorithm_name, signing_key.public_key_use) == ("RSA", "RS512", "sig")
    assert signing_key.public_key == private.public_key
    assert keys.PublicKey.from_cryptography_pubkey(signing_key.key) == private.public_key


@pytest.mark.django_db
def test_last_used_on_is_stamped_on_a_new_row_with_a_reused_primary_key(ed25519_key: Any) -> None:
    """
    A rolled-back or restored database hands out a primary key again. The per-process memory of writes once kept
    such a row's last_used_on at None; the row's own value decides now.
    """
    user = User.objects.create_user(username="alice")

    def authenticate() -> None:
        response = Client().get("/whoami/", HTTP_AUTHORIZATION=Token("alice").create_auth_header(ed25519_key))
        assert response.json() == {"authenticated": True, "username": "alice"}

    row = models.PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
    authenticate()
    row.refresh_from_db()
    assert row.last_used_on is not None
    pk = row.pk
    row.delete()
    reused = models.PublicKey.objects.create(pk=pk, user=user, key=ed25519_key.public_key.as_pem.decode())
    assert reused.last_used_on is None
    authenticate()
    reused.refresh_from_db()
    assert reused.last_used_on is not None
    # Within the interval a stamped row is not written again
    stamped = reused.last_used_on
    authenticate()
    reused.refresh_from_db()
    assert reused.last_used_on == stamped
