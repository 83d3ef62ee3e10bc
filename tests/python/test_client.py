"""asymmetric_jwt_auth.client: loading the signing key, and signing without Django settings."""

from pathlib import Path
from typing import Any
import os
import subprocess
import sys
import textwrap

import pytest

from asymmetric_jwt_auth import keys
from asymmetric_jwt_auth.client import HttpxAuth, RequestsAuth, load_private_key
from asymmetric_jwt_auth.tokens import UntrustedToken

requests = pytest.importorskip("requests")
httpx = pytest.importorskip("httpx")


def verified_username(header: str, private_key: Any) -> str | None:
    method, token = header.split(" ", 1)
    assert method == "JWT"
    verified = UntrustedToken(token).verify(private_key.public_key)
    return verified.username if verified else None


def test_key_sources(tmp_path: Path, ed25519_key: Any) -> None:
    pem = ed25519_key.as_pem
    path = tmp_path / "key.pem"
    path.write_bytes(pem)
    encrypted = tmp_path / "encrypted.pem"
    encrypted.write_bytes(ed25519_key.as_encrypted_pem("s3cret"))
    sources: list[tuple[Any, Any]] = [
        (ed25519_key, None),
        (pem, None),
        (pem.decode(), None),
        (str(path), None),
        (path, None),
        (str(encrypted), "s3cret"),
        (encrypted, b"s3cret"),
        (ed25519_key.as_encrypted_pem("s3cret").decode(), "s3cret"),
        (ed25519_key._key, None),
    ]
    for source, password in sources:
        assert load_private_key(source, password).public_key == ed25519_key.public_key, source


def test_cryptography_key_object(rsa_key: Any) -> None:
    pytest.importorskip("cryptography")
    assert load_private_key(rsa_key.to_cryptography()).public_key == rsa_key.public_key


def test_openssh_private_key_text(tmp_path: Path) -> None:
    if subprocess.run(["which", "ssh-keygen"], capture_output=True).returncode != 0:
        pytest.skip("ssh-keygen is not installed")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "id")], check=True)
    text = (tmp_path / "id").read_text()
    assert "OPENSSH PRIVATE KEY" in text
    key = load_private_key(text)
    assert load_private_key(tmp_path / "id").public_key == key.public_key
    assert key.public_key == keys.PublicKey.load_openssh((tmp_path / "id.pub").read_bytes())


@pytest.mark.parametrize("source", ["/nonexistent/key.pem", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n", 42])
def test_bad_key_sources_raise(source: Any) -> None:
    with pytest.raises((OSError, ValueError, TypeError)):
        load_private_key(source)


def test_wrong_password_raises(ed25519_key: Any) -> None:
    with pytest.raises(ValueError):
        load_private_key(ed25519_key.as_encrypted_pem("right"), "wrong")


def test_public_key_is_not_a_signing_key(ed25519_key: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        RequestsAuth(ed25519_key.public_key.as_pem, "alice")


@pytest.mark.parametrize("username", ["", None])
def test_username_is_required(ed25519_key: Any, username: Any) -> None:
    with pytest.raises(ValueError):
        HttpxAuth(ed25519_key, username)


def test_requests_auth_signs_each_send_anew(ed25519_key: Any) -> None:
    prepared = requests.Request("GET", "http://example.invalid/", auth=RequestsAuth(ed25519_key, "alice")).prepare()
    signed_when_prepared = prepared.headers["Authorization"]
    sent = [dict(prepared.headers.items())["Authorization"] for _ in range(2)]
    assert sent[0] == signed_when_prepared  # the first send uses the token made when preparing
    copied = dict(prepared.copy().headers.items())["Authorization"]  # urllib3 and redirects send copies
    assert len({*sent, copied}) == 3
    assert prepared.headers["Authorization"] == copied  # reading gives the token sent last
    assert all(verified_username(header, ed25519_key) == "alice" for header in [*sent, copied])


def test_requests_auth_keeps_a_header_set_by_the_caller(ed25519_key: Any) -> None:
    prepared = requests.Request("GET", "http://example.invalid/", auth=RequestsAuth(ed25519_key, "alice")).prepare()
    prepared.headers["Authorization"] = "JWT chosen"
    assert dict(prepared.headers.items())["Authorization"] == "JWT chosen"
    del prepared.headers["Authorization"]  # as requests' rebuild_auth does on a redirect to another host
    assert "Authorization" not in dict(prepared.copy().headers.items())


def test_httpx_auth_signs_each_request(ed25519_key: Any) -> None:
    auth = HttpxAuth(ed25519_key, "alice")
    headers = [next(auth.sync_auth_flow(httpx.Request("GET", "http://example.invalid/"))).headers["Authorization"] for _ in range(2)]
    assert headers[0] != headers[1]
    assert [verified_username(h, ed25519_key) for h in headers] == ["alice", "alice"]


def test_signing_without_django_settings(tmp_path: Path, ed25519_key: Any) -> None:
    """A plain script (no DJANGO_SETTINGS_MODULE, no settings.configure()) imports keys, tokens and client and signs."""
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(ed25519_key.as_pem)
    script = textwrap.dedent(
        f"""
        import httpx, requests
        from asymmetric_jwt_auth import keys, tokens
        from asymmetric_jwt_auth.client import HttpxAuth, RequestsAuth
        from django.conf import settings

        key = keys.PrivateKey.load_pem_from_file({str(key_file)!r})
        print(tokens.Token("alice").create_auth_header(key))
        print(requests.Request("GET", "http://x.invalid/", auth=RequestsAuth({str(key_file)!r}, "alice")).prepare().headers["Authorization"])
        print(next(HttpxAuth(key, "alice").sync_auth_flow(httpx.Request("GET", "http://x.invalid/"))).headers["Authorization"])
        assert not settings.configured
        """
    )
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    headers = result.stdout.split()
    assert len(headers) == 6  # "JWT <token>" three times
    for header in (" ".join(headers[i : i + 2]) for i in range(0, 6, 2)):
        assert verified_username(header, ed25519_key) == "alice"
