"""The add_public_key and list_public_keys management commands."""

from io import StringIO
from pathlib import Path
from typing import Any
import datetime
import json
import subprocess

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
import pytest

from asymmetric_jwt_auth import keys
from asymmetric_jwt_auth.models import PublicKey

pytestmark = pytest.mark.django_db


def add(*args: str, stdin: str | None = None) -> str:
    stdout = StringIO()
    options: dict[str, Any] = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command("add_public_key", *args, stdout=stdout, stderr=StringIO(), **options)
    return stdout.getvalue()


def listing(*args: str) -> list[str]:
    stdout = StringIO()
    call_command("list_public_keys", *args, stdout=stdout)
    return stdout.getvalue().splitlines()


@pytest.fixture
def alice() -> User:
    return User.objects.create_user(username="alice")


@pytest.mark.parametrize("form", ["pem", "openssh", "jwk"])
def test_add_each_format_prints_the_fingerprint(tmp_path: Path, alice: User, ed25519_key: Any, form: str) -> None:
    public = ed25519_key.public_key
    text = {"pem": public.as_pem.decode(), "openssh": public.as_openssh + " ci@build", "jwk": json.dumps(public.as_jwk)}[form]
    path = tmp_path / "key.pub"
    path.write_text(text)
    out = add("alice", str(path))
    assert out.strip().startswith(f"registered key {public.fingerprint} for alice")
    [stored] = PublicKey.objects.filter(user=alice)
    assert stored.get_key() == public
    if form == "openssh":
        assert stored.comment == "ci@build"


def test_add_from_standard_input(alice: User, rsa_key: Any) -> None:
    out = add("alice", "-", "--comment", "billing", stdin=rsa_key.public_key.as_pem.decode())
    assert f"registered key {rsa_key.public_key.fingerprint} for alice (billing)" in out
    assert PublicKey.objects.get(user=alice).comment == "billing"


def test_create_user(ed25519_key: Any) -> None:
    out = add("svc", "-", "--create-user", stdin=ed25519_key.public_key.as_pem.decode())
    assert out.splitlines()[0] == "created user svc"
    assert not User.objects.get(username="svc").has_usable_password()


@pytest.mark.parametrize("form", ["pkcs8", "encrypted", "jwk", "openssh"])
def test_private_key_is_refused(alice: User, ed25519_key: Any, form: str, tmp_path: Path) -> None:
    if form == "openssh":
        if subprocess.run(["which", "ssh-keygen"], capture_output=True).returncode != 0:
            pytest.skip("ssh-keygen is not installed")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "id")], check=True)
        text = (tmp_path / "id").read_text()
    else:
        text = {
            "pkcs8": ed25519_key.as_pem.decode(),
            "encrypted": ed25519_key.as_encrypted_pem("pw").decode(),
            "jwk": json.dumps({**ed25519_key.public_key.as_jwk, "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}),
        }[form]
    with pytest.raises(CommandError, match="This is a private key. Register the public key only"):
        add("alice", "-", stdin=text)
    assert not PublicKey.objects.exists()


@pytest.mark.parametrize("text", ["", "not a key", '{"kty": "OKP"}', "{broken json"])
def test_invalid_key_is_refused(alice: User, text: str) -> None:
    with pytest.raises(CommandError):
        add("alice", "-", stdin=text)
    assert not PublicKey.objects.exists()


def test_unknown_user_and_missing_file(ed25519_key: Any) -> None:
    with pytest.raises(CommandError, match="no user 'bob'"):
        add("bob", "-", stdin=ed25519_key.public_key.as_pem.decode())
    with pytest.raises(CommandError, match="/nonexistent.pub"):
        add("bob", "/nonexistent.pub")


def test_list_public_keys(alice: User, ed25519_key: Any, rsa_key: Any) -> None:
    bob = User.objects.create_user(username="bob")
    used = PublicKey.objects.create(user=alice, key=ed25519_key.public_key.as_openssh + " alice@laptop")
    PublicKey.objects.filter(pk=used.pk).update(last_used_on=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))
    PublicKey.objects.create(user=bob, key=rsa_key.public_key.as_pem.decode(), comment="bob's batch job")

    header, *rows = listing()
    assert header.split()[:2] == ["USER", "FINGERPRINT"]
    assert len(rows) == 2
    assert rows[0].split()[:3] == ["alice", ed25519_key.public_key.fingerprint, "alice@laptop"]
    assert rows[0].endswith("2026-01-02T03:04:05+00:00")
    assert rows[1].split()[:2] == ["bob", rsa_key.public_key.fingerprint]
    assert "bob's batch job" in rows[1] and rows[1].endswith("never")

    assert [row.split()[0] for row in listing("bob")[1:]] == ["bob"]


def test_list_public_keys_of_a_user_without_keys_and_an_unknown_user(alice: User) -> None:
    assert listing("alice") == ["no public keys for alice"]
    with pytest.raises(CommandError, match="no user 'carol'"):
        listing("carol")


def test_admin_form_refuses_a_private_key(ed25519_key: Any, alice: User) -> None:
    from django.core.exceptions import ValidationError

    key = PublicKey(user=alice, key=ed25519_key.as_pem.decode())
    with pytest.raises(ValidationError, match="This is a private key"):
        key.full_clean()
    assert keys.PrivateKey.load_pem(ed25519_key.as_pem)  # it is a good key, just the wrong half
