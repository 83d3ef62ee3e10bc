"""
Interoperability with upstream asymmetric-jwt-auth 1.x, run in its own virtualenv (same import name) as a
subprocess: tokens in both directions, key facts, and a database created by upstream used by us.
"""

from pathlib import Path
from typing import Any
import time

import pytest

from asymmetric_jwt_auth import keys
from asymmetric_jwt_auth.tokens import Token, UntrustedToken
from helpers import run_ours, run_upstream

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def private_keys() -> dict[str, Any]:
    return {"RSA": keys.RSAPrivateKey.generate(), "Ed25519": keys.Ed25519PrivateKey.generate()}


@pytest.mark.django_db
@pytest.mark.parametrize("key_type", ["RSA", "Ed25519"])
def test_upstream_tokens_verify_with_ours(upstream_python: str, private_keys: dict[str, Any], key_type: str) -> None:
    private = private_keys[key_type]
    header = run_upstream(upstream_python, {"cmd": "sign", "private_pem": private.as_pem.decode(), "username": "guido"})["header"]
    method, token = header.split(" ", 1)
    assert method == "JWT"
    untrusted = UntrustedToken(token)
    assert untrusted.get_claimed_username() == "guido"
    assert untrusted.get_claimed_key_id() == private.public_key.fingerprint
    verified = untrusted.verify(private.public_key)
    assert verified is not None and verified.username == "guido"
    assert untrusted.verify(private.public_key) is None  # nonce recorded


@pytest.mark.parametrize("key_type", ["RSA", "Ed25519"])
def test_our_tokens_verify_with_upstream(upstream_python: str, private_keys: dict[str, Any], key_type: str) -> None:
    private = private_keys[key_type]
    token = Token("guido", timestamp=int(time.time())).sign(private)
    other = type(private).generate().public_key.as_pem.decode()
    commands = [
        {"cmd": "verify", "public_key": private.public_key.as_pem.decode(), "token": token},
        {"cmd": "verify", "public_key": private.public_key.as_openssh, "token": token},  # nonce now used
        {"cmd": "verify", "public_key": other, "token": Token("guido").sign(private)},  # another key
        {"cmd": "verify", "public_key": private.public_key.as_openssh, "token": Token("guido").sign(private)},
    ]
    answers = run_upstream(upstream_python, {"cmd": "batch", "commands": commands})
    assert [a["username"] for a in answers] == ["guido", None, None, "guido"]
    assert answers[0]["timestamp"] == UntrustedToken(token)._parsed.time


def test_upstream_verifies_tokens_from_our_encrypted_and_openssh_private_keys(upstream_python: str, private_keys: dict[str, Any]) -> None:
    private = keys.PrivateKey.load_pem(private_keys["RSA"].as_encrypted_pem(b"pw"), password=b"pw")
    token = Token("guido").sign(private)
    assert run_upstream(upstream_python, {"cmd": "verify", "public_key": private.public_key.as_pem.decode(), "token": token})["username"] == "guido"


def test_upstream_signs_with_our_encrypted_key(upstream_python: str, private_keys: dict[str, Any]) -> None:
    private = private_keys["Ed25519"]
    header = run_upstream(
        upstream_python, {"cmd": "sign", "private_pem": private.as_encrypted_pem(b"pw").decode(), "password": "pw", "username": "guido"}
    )["header"]
    assert UntrustedToken(header.split(" ", 1)[1]).get_claimed_key_id() == private.public_key.fingerprint


def test_key_facts_match_upstream(upstream_python: str, private_keys: dict[str, Any], compat: dict[str, Any]) -> None:
    texts = [fact["text"] for fact in compat["public_keys"].values()]
    texts += [k.public_key.as_pem.decode() for k in private_keys.values()] + [k.public_key.as_openssh for k in private_keys.values()]
    answers = run_upstream(upstream_python, {"cmd": "batch", "commands": [{"cmd": "describe", "public_key": t} for t in texts]})
    for text, theirs in zip(texts, answers, strict=True):
        ours = keys.PublicKey.load_serialized_public_key(text.encode())[1]
        assert ours is not None
        assert ours.fingerprint == theirs["fingerprint"]
        assert ours.as_pem.decode() == theirs["pem"]
        assert ours.allowed_algorithms == theirs["algorithms"]
        if theirs["jwk"] is not None:  # upstream has JWKs for RSA keys only
            assert ours.as_jwk == theirs["jwk"]


def test_database_created_by_upstream_is_used_by_ours(upstream_python: str, tmp_path: Path, private_keys: dict[str, Any]) -> None:
    db_path = tmp_path / "upstream.sqlite3"
    rsa_pem = private_keys["RSA"].public_key.as_pem.decode()
    ed_openssh = f"{private_keys['Ed25519'].public_key.as_openssh} alice@laptop"
    made = run_upstream(
        upstream_python,
        {
            "cmd": "makedb",
            "path": str(db_path),
            "users": [
                {"username": "alice", "keys": [rsa_pem, ed_openssh], "jwks_url": "https://127.0.0.1:9/.well-known/jwks.json"},
                {"username": "bob", "keys": []},
            ],
        },
    )
    assert made["migrations"] == [
        "0001_initial",
        "0002_publickey_comment",
        "0003_auto_20151112_1547",
        "0004_auto_20191104_1628",
        "0005_auto_20210304_1116",
        "0006_jwksendpointtrust_last_used_on_alter_publickey_key",
    ]
    assert made["comments"] == ["", "alice@laptop"]

    used = run_ours({"cmd": "use", "path": str(db_path), "username": "alice", "private_pem": private_keys["Ed25519"].as_pem.decode()})
    assert used["migrate_check"] == "clean"
    assert used["makemigrations_check"] == "clean"
    assert used["keys"] == [["alice", "", "RSAPublicKey"], ["alice", "alice@laptop", "Ed25519PublicKey"]]
    assert used["jwks_urls"] == ["https://127.0.0.1:9/.well-known/jwks.json"]
    assert used["authenticated_as"] == "alice"
    assert used["last_used_set"] == ["alice@laptop"]

    # The same schema: our migrations on a fresh database give the tables upstream's gave
    ours = run_ours({"cmd": "schema", "path": str(tmp_path / "ours.sqlite3")})
    assert ours["tables"] == made["tables"]
