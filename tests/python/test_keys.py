"""asymmetric_jwt_auth.keys: loading, generating, exporting keys; byte-exact facts of upstream 1.x."""

from pathlib import Path
from typing import Any
from unittest import mock
import base64
import json
import shutil
import subprocess

import pytest

from asymmetric_jwt_auth import exceptions, keys


def test_compat_public_keys(compat: dict[str, Any]) -> None:
    for name, fact in compat["public_keys"].items():
        exc, key = keys.PublicKey.load_serialized_public_key(fact["text"].encode())
        assert exc is None, name
        expected_cls = keys.RSAPublicKey if fact["type"] == "RSA" else keys.Ed25519PublicKey
        assert type(key) is expected_cls, name
        if "fingerprint" in fact:
            assert key.fingerprint == fact["fingerprint"], name
        if "allowed_algorithms" in fact:
            assert key.allowed_algorithms == fact["allowed_algorithms"], name
        if "jwk" in fact:
            assert key.as_jwk == fact["jwk"], name
        if "comment" in fact:
            assert key.comment == fact["comment"], name


def test_compat_invalid_public_keys(compat: dict[str, Any]) -> None:
    for name, text in compat["invalid_public_keys"].items():
        exc, key = keys.PublicKey.load_serialized_public_key(text.encode())
        assert key is None, name
        assert isinstance(exc, ValueError), name
        assert isinstance(exc, exceptions.KeyLoadError), name
        assert exc.status != 0


def test_compat_private_keys(compat: dict[str, Any]) -> None:
    for name, fact in compat["private_keys"].items():
        password = fact["password"].encode() if fact["password"] else None
        private = keys.PrivateKey.load_pem(fact["text"].encode(), password=password)
        assert isinstance(private, keys.RSAPrivateKey), name
        if "public_pem" in fact:
            assert private.public_key.as_pem.decode().strip() == fact["public_pem"].strip()
        if "public_openssh" in fact:
            expected = keys.PublicKey.load_openssh(fact["public_openssh"].encode())
            assert private.public_key.fingerprint == expected.fingerprint


def test_pem_fingerprint_is_sha256_of_canonical_pem(compat: dict[str, Any]) -> None:
    import hashlib

    key = keys.PublicKey.load_pem(compat["public_keys"]["rsa_pem"]["text"].encode())
    assert key.fingerprint == hashlib.sha256(key.as_pem).hexdigest()
    pem = key.as_pem.decode().strip().split("\n")
    assert pem[0] == "-----BEGIN PUBLIC KEY-----"
    assert pem[-1] == "-----END PUBLIC KEY-----"


def test_openssh_and_pem_of_one_key_agree(ed25519_key: Any) -> None:
    public = ed25519_key.public_key
    from_openssh = keys.PublicKey.load_openssh(public.as_openssh.encode())
    assert from_openssh.fingerprint == public.fingerprint
    assert from_openssh == public
    assert from_openssh.as_pem == public.as_pem


def test_load_accepts_str_as_well_as_bytes(compat: dict[str, Any]) -> None:
    text = compat["public_keys"]["ed25519_openssh"]["text"]
    assert keys.PublicKey.load_openssh(text) == keys.PublicKey.load_openssh(text.encode())


def test_loaders_reject_the_other_format(compat: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        keys.PublicKey.load_pem(compat["public_keys"]["rsa_openssh"]["text"].encode())
    with pytest.raises(ValueError):
        keys.PublicKey.load_openssh(compat["public_keys"]["rsa_pem"]["text"].encode())


@pytest.mark.parametrize("value", [b"", b"garbage", b"ssh-rsa", b"-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----", "\x00" * 10])
def test_load_serialized_public_key_never_raises(value: Any) -> None:
    exc, key = keys.PublicKey.load_serialized_public_key(value)
    assert key is None
    assert isinstance(exc, Exception)


def test_load_serialized_public_key_refuses_private_keys(rsa_key: Any) -> None:
    exc, key = keys.PublicKey.load_serialized_public_key(rsa_key.as_pem)
    assert key is None
    assert isinstance(exc, exceptions.KeyLoadError)


def test_unknown_key_type() -> None:
    with pytest.raises(TypeError):
        keys.PublicKey.from_cryptography_pubkey(mock.MagicMock())
    with pytest.raises(TypeError):
        keys.PrivateKey.from_cryptography_privkey(mock.MagicMock())
    with pytest.raises(TypeError):
        keys.RSAPublicKey(mock.MagicMock())


def test_generate_rsa() -> None:
    private = keys.RSAPrivateKey.generate()
    assert isinstance(private, keys.RSAPrivateKey)
    assert isinstance(private.public_key, keys.RSAPublicKey)
    assert private.public_key.key_size == 2048
    assert keys.RSAPrivateKey.pubkey_cls is keys.RSAPublicKey


def test_generate_rsa_size_and_exponent() -> None:
    private = keys.RSAPrivateKey.generate(size=3072, public_exponent=3)
    assert private.key_size == 3072
    assert private.public_key.as_jwk["e"] == "Aw"
    with pytest.raises(ValueError):
        keys.RSAPrivateKey.generate(size=1024)


def test_generate_ed25519() -> None:
    private = keys.Ed25519PrivateKey.generate()
    assert isinstance(private, keys.Ed25519PrivateKey)
    assert isinstance(private.public_key, keys.Ed25519PublicKey)
    assert private.public_key.allowed_algorithms == ["EdDSA"]
    assert keys.Ed25519PrivateKey.pubkey_cls is keys.Ed25519PublicKey


@pytest.mark.parametrize(("curve", "alg", "bits"), [("P-256", "ES256", 256), ("P-384", "ES384", 384), ("P-521", "ES512", 521)])
def test_generate_ec(curve: str, alg: str, bits: int) -> None:
    private = keys.ECPrivateKey.generate(curve)
    public = private.public_key
    assert isinstance(public, keys.ECPublicKey)
    assert public.curve == private.curve == curve
    assert public.allowed_algorithms == [alg]
    assert public.key_size == bits
    jwk = public.as_jwk
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["kid"]) == ("EC", curve, alg, public.fingerprint)
    assert keys.PublicKey.load_jwk(jwk) == public


def test_generate_ec_unknown_curve() -> None:
    with pytest.raises(ValueError):
        keys.ECPrivateKey.generate("P-192")


def test_generate_ed448() -> None:
    private = keys.Ed448PrivateKey.generate()
    public = private.public_key
    assert isinstance(public, keys.Ed448PublicKey)
    assert public.allowed_algorithms == ["EdDSA"]
    assert public.as_jwk["crv"] == "Ed448"
    assert keys.PublicKey.load_pem(public.as_pem) == public


def test_ed25519_jwk(ed25519_key: Any) -> None:
    public = ed25519_key.public_key
    jwk = public.as_jwk
    assert jwk["kty"] == "OKP"
    assert jwk["crv"] == "Ed25519"
    assert jwk["kid"] == public.fingerprint
    raw = base64.urlsafe_b64decode(jwk["x"] + "==")
    assert len(raw) == 32
    assert keys.PublicKey.load_jwk(json.dumps(jwk)) == public


def test_load_jwk_refuses_private_members(rsa_key: Any) -> None:
    jwk = dict(rsa_key.public_key.as_jwk, d="AQAB")
    with pytest.raises(ValueError):
        keys.PublicKey.load_jwk(jwk)


def test_private_key_round_trip(rsa_key: Any, ed25519_key: Any, ec_key: Any) -> None:
    for private in (rsa_key, ed25519_key, ec_key):
        again = keys.PrivateKey.load_pem(private.as_pem)
        assert type(again) is type(private)
        assert again.as_pem == private.as_pem
        pem = private.as_pem.decode().strip().split("\n")
        assert pem[0] == "-----BEGIN PRIVATE KEY-----"
        assert pem[-1] == "-----END PRIVATE KEY-----"


def test_subclass_load_pem_returns_the_right_class(ed25519_key: Any) -> None:
    # As upstream: load_pem is the base class's, dispatching on the key's type
    assert isinstance(keys.RSAPrivateKey.load_pem(ed25519_key.as_pem), keys.Ed25519PrivateKey)


def test_encrypted_private_key(ed25519_key: Any) -> None:
    encrypted = ed25519_key.as_encrypted_pem(b"s3cret")
    assert b"ENCRYPTED" in encrypted
    assert keys.PrivateKey.load_pem(encrypted, password=b"s3cret").as_pem == ed25519_key.as_pem
    with pytest.raises(TypeError):  # as cryptography: no password for an encrypted key
        keys.PrivateKey.load_pem(encrypted)
    with pytest.raises(ValueError):
        keys.PrivateKey.load_pem(encrypted, password=b"wrong")


def test_load_pem_from_file(tmp_path: Path, compat: dict[str, Any]) -> None:
    fact = compat["private_keys"]["rsa_traditional_encrypted_pem"]
    path = tmp_path / "id_rsa"
    path.write_text(fact["text"])
    private = keys.PrivateKey.load_pem_from_file(path, password=fact["password"].encode())
    assert isinstance(private, keys.RSAPrivateKey)
    plain = tmp_path / "plain"
    plain.write_text(compat["private_keys"]["rsa_pkcs8_pem"]["text"])
    assert isinstance(keys.RSAPrivateKey.load_pem_from_file(str(plain)), keys.RSAPrivateKey)


def test_load_pem_from_file_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ed25519_key: Any) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "key.pem").write_bytes(ed25519_key.as_pem)
    assert keys.PrivateKey.load_pem_from_file("~/key.pem").as_pem == ed25519_key.as_pem


def test_openssh_private_key_as_ssh_keygen_writes_it(ed25519_key: Any) -> None:
    """ssh-keygen's default format (upstream could not load it). Made here with cryptography, test-only."""
    from cryptography.hazmat.primitives import serialization

    crypto_key = ed25519_key.to_cryptography()
    openssh = crypto_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
    assert b"OPENSSH PRIVATE KEY" in openssh
    assert keys.PrivateKey.load_pem(openssh).public_key == ed25519_key.public_key


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
@pytest.mark.parametrize("keygen_args", [["-t", "ed25519"], ["-t", "rsa", "-b", "2048"],
                                         ["-t", "ecdsa", "-b", "256", "-Z", "aes256-gcm@openssh.com"]])
def test_passphrase_protected_key_from_ssh_keygen(tmp_path: Path, keygen_args: list[str]) -> None:
    """~/.ssh/id_rsa with a passphrase, which upstream's documentation tells users to load."""
    path = tmp_path / "id_key"
    subprocess.run(["ssh-keygen", "-q", *keygen_args, "-N", "pass phrase", "-C", "me@host", "-f", str(path)], check=True)
    private = keys.PrivateKey.load_pem_from_file(str(path), password=b"pass phrase")
    assert private.public_key == keys.PublicKey.load_openssh(path.with_suffix(".pub").read_bytes())
    with pytest.raises(exceptions.WrongPasswordError):
        keys.PrivateKey.load_pem_from_file(str(path), password=b"pass phrasE")
    with pytest.raises(exceptions.PasswordRequiredError):
        keys.PrivateKey.load_pem_from_file(str(path))


def test_cryptography_objects_convert_both_ways(rsa_key: Any, ed25519_key: Any, ec_key: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    crypto_rsa = rsa_key.to_cryptography()
    assert isinstance(crypto_rsa, rsa.RSAPrivateKey)
    assert isinstance(keys.PrivateKey.from_cryptography_privkey(crypto_rsa), keys.RSAPrivateKey)
    assert keys.PublicKey.from_cryptography_pubkey(crypto_rsa.public_key()) == rsa_key.public_key
    assert isinstance(keys.RSAPrivateKey(crypto_rsa), keys.RSAPrivateKey)
    assert keys.RSAPublicKey(crypto_rsa.public_key()) == rsa_key.public_key

    crypto_ed = ed25519.Ed25519PrivateKey.generate()
    wrapped = keys.PrivateKey.from_cryptography_privkey(crypto_ed)
    assert isinstance(wrapped, keys.Ed25519PrivateKey)
    assert isinstance(keys.PublicKey.from_cryptography_pubkey(crypto_ed.public_key()), keys.Ed25519PublicKey)

    crypto_ec = ec.generate_private_key(ec.SECP384R1())
    assert isinstance(keys.PrivateKey.from_cryptography_privkey(crypto_ec), keys.ECPrivateKey)
    assert isinstance(ec_key.public_key.to_cryptography(), ec.EllipticCurvePublicKey)


def test_class_refuses_a_key_of_another_type(rsa_key: Any, ed25519_key: Any) -> None:
    with pytest.raises(TypeError):
        keys.RSAPublicKey(ed25519_key.public_key._key)
    with pytest.raises(TypeError):
        keys.Ed25519PrivateKey(rsa_key._key)
    with pytest.raises(TypeError):
        keys.RSAPrivateKey(rsa_key.public_key._key)  # a public key is no private key


def test_supported_algorithms() -> None:
    assert keys.RSA_ALGORITHMS == ("RS512", "RS384", "RS256")
    assert keys.ED25519_ALGORITHMS == ("EdDSA",)
    assert frozenset(["RS512", "RS384", "RS256", "EdDSA"]) <= keys.SUPPORTED_ALGORITHMS
    assert "HS256" not in keys.SUPPORTED_ALGORITHMS
    assert "none" not in keys.SUPPORTED_ALGORITHMS


def test_keys_are_hashable_values_and_copy_as_themselves(ed25519_key: Any) -> None:
    import copy

    public = ed25519_key.public_key
    assert {public, ed25519_key.public_key} == {public}
    assert copy.deepcopy(public) is public
    assert copy.deepcopy(ed25519_key) is ed25519_key
    assert repr(public) == f"<Ed25519PublicKey {public.fingerprint}>"


def test_utils_long_to_base64() -> None:
    from asymmetric_jwt_auth import utils

    assert utils.long_to_base64(65537) == "AQAB"
    assert utils.long_to_base64(0) == "AA"
    assert utils.long_to_base64(1, mlen=3) == "AAAB"
    assert utils.long2intarr(258) == [1, 2]
