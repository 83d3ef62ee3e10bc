"""The generate_key_pair management command."""

from io import StringIO
import re

from django.core.management import CommandError, call_command
import pytest

from asymmetric_jwt_auth import keys


def generate(*args: str, **options: str) -> tuple[keys.PrivateKey, keys.PublicKey, str]:
    stdout = StringIO()
    call_command("generate_key_pair", *args, stdout=stdout, stderr=StringIO(), **options)
    out = stdout.getvalue()
    private_pem = re.search(r"-----BEGIN PRIVATE KEY-----\n.*?-----END PRIVATE KEY-----\n", out, re.S)
    public_pem = re.search(r"-----BEGIN PUBLIC KEY-----\n.*?-----END PUBLIC KEY-----\n", out, re.S)
    assert private_pem and public_pem
    private = keys.PrivateKey.load_pem(private_pem.group().encode())
    public = keys.PublicKey.load_pem(public_pem.group().encode())
    assert private.public_key == public
    return private, public, out


def test_generate_new_rsa_key() -> None:
    private, public, out = generate()
    assert isinstance(private, keys.RSAPrivateKey)
    assert public.key_size == 2048
    assert 2000 < len(out) < 3000


@pytest.mark.parametrize("args", [("-t", "Ed25519"), ("--keytype", "Ed25519")])
def test_generate_new_ed25519_key(args: tuple[str, str]) -> None:
    private, _, out = generate(*args)
    assert isinstance(private, keys.Ed25519PrivateKey)
    assert 200 < len(out) < 300


def test_keytype_option_by_name() -> None:
    private, _, _ = generate(keytype="Ed25519")
    assert isinstance(private, keys.Ed25519PrivateKey)
    private, _, _ = generate(keytype="RSA")
    assert isinstance(private, keys.RSAPrivateKey)


@pytest.mark.parametrize(("keytype", "cls"), [("Ed448", keys.Ed448PrivateKey), ("EC-P256", keys.ECPrivateKey), ("EC-P521", keys.ECPrivateKey)])
def test_new_key_types(keytype: str, cls: type) -> None:
    private, _, _ = generate("-t", keytype)
    assert isinstance(private, cls)


def test_unknown_type_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("generate_key_pair", "-t", "DSA", stdout=StringIO(), stderr=StringIO())
