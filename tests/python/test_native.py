"""asymmetric_jwt_auth._native: the pybind11 module over libajwt's C ABI, used directly."""

from typing import Any
import json
import sys
import threading
import time

import pytest

from asymmetric_jwt_auth import _native, exceptions
from asymmetric_jwt_auth._native import ExportFormat, Key, KeyFormat, KeySet, KeyType, ParsedToken, Status, Verifier

OK = int(Status.OK)


@pytest.fixture(scope="module")
def ed() -> Key:
    return Key.generate(KeyType.ED25519)


def test_key_handles(ed: Key) -> None:
    assert ed.is_private
    public = ed.public_key()
    assert not public.is_private
    assert public.type == KeyType.ED25519
    assert public.bits == 256
    assert public.fingerprint == ed.fingerprint
    assert public.algorithms == ["EdDSA"]
    assert public.supports("EdDSA") and not public.supports("RS256") and not public.supports("nonsense")
    assert public.same_public_key(ed)
    assert not public.same_public_key(Key.generate(KeyType.ED25519))


def test_status_codes_become_typed_exceptions(ed: Key) -> None:
    cases = [
        (lambda: Key.load_public(b"junk", KeyFormat.PEM), exceptions.KeyLoadError, Status.KEY_PARSE),
        (lambda: Key.load_public(ed.export(ExportFormat.PRIVATE_PKCS8), KeyFormat.PEM), exceptions.KeyLoadError, Status.PRIVATE_KEY_GIVEN),
        (lambda: Key.generate(KeyType.RSA, 1024), exceptions.UnsupportedKeyError, Status.KEY_TOO_SMALL),
        (lambda: Key.load_private(ed.export(ExportFormat.PRIVATE_PKCS8, b"pw")), exceptions.PasswordRequiredError, Status.PASSWORD_REQUIRED),
        (lambda: Key.load_private(ed.export(ExportFormat.PRIVATE_PKCS8, b"pw"), b"nope"), exceptions.WrongPasswordError, Status.WRONG_PASSWORD),
        (lambda: ParsedToken.parse("a.b"), exceptions.TokenError, Status.TOKEN_FORMAT),
        (lambda: ParsedToken.parse("x" * 10_000), exceptions.TokenError, Status.TOKEN_TOO_LARGE),
        (lambda: _native.sign(ed.public_key(), "u", 1, "n"), exceptions.KeyLoadError, Status.NOT_PRIVATE_KEY),
        (lambda: _native.sign(ed, "u", 1, "n", "RS256"), exceptions.TokenError, Status.ALGORITHM_NOT_ALLOWED),
    ]
    for call, cls, status in cases:
        with pytest.raises(cls) as info:
            call()
        assert info.value.status == int(status), status
        assert str(info.value)


def test_parse_exposes_header_and_claims(ed: Key) -> None:
    token = _native.sign(ed, "guido", 1439216312, "1")
    parsed = ParsedToken.parse(token)
    assert (parsed.username, parsed.time, parsed.nonce, parsed.alg, parsed.kid) == ("guido", 1439216312, "1", "EdDSA", ed.fingerprint)


def test_verifier_statuses(ed: Key) -> None:
    verifier = Verifier(tolerance=20)
    parsed = ParsedToken.parse(_native.sign(ed, "guido", 1000, "n"))
    assert verifier.verify(parsed, ed.public_key(), 1000)[0] == OK
    assert verifier.verify(parsed, ed.public_key(), 1021)[0] == int(Status.TOKEN_EXPIRED)
    assert verifier.verify(parsed, ed.public_key(), 979)[0] == int(Status.TOKEN_FROM_FUTURE)
    assert verifier.verify(parsed, Key.generate(KeyType.ED25519), 1000)[0] == int(Status.BAD_SIGNATURE)
    assert verifier.verify(parsed, Key.generate(KeyType.EC_P256), 1000)[0] == int(Status.ALGORITHM_NOT_ALLOWED)


def test_verifier_nonce_callback(ed: Key) -> None:
    seen: list[tuple[str, int, str]] = []

    def check_and_record(username: str, timestamp: int, nonce: str) -> bool:
        if (username, timestamp, nonce) in seen:
            return False
        seen.append((username, timestamp, nonce))
        return True

    verifier = Verifier(tolerance=20, nonce_callback=check_and_record)
    parsed = ParsedToken.parse(_native.sign(ed, "guido", 1000, "abc"))
    assert verifier.verify(parsed, ed, 1000)[0] == OK
    assert seen == [("guido", 1000, "abc")]
    assert verifier.verify(parsed, ed, 1000)[0] == int(Status.NONCE_REPLAYED)
    # No callback for tokens failing earlier checks
    assert verifier.verify(parsed, ed, 5000)[0] == int(Status.TOKEN_EXPIRED)
    assert len(seen) == 1


def test_failing_nonce_callback_rejects(ed: Key, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception in the callback never crosses the C ABI: the token is rejected, the error reported."""

    def broken(username: str, timestamp: int, nonce: str) -> bool:
        raise RuntimeError("store down")

    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: reported.append(unraisable.exc_value))
    verifier = Verifier(nonce_callback=broken)
    parsed = ParsedToken.parse(_native.sign(ed, "guido", 1000, "abc"))
    status, message = verifier.verify(parsed, ed, 1000)
    assert status == int(Status.CALLBACK_FAILED)
    assert [str(e) for e in reported] == ["store down"]


def test_verifier_algorithm_policy() -> None:
    rsa = Key.generate(KeyType.RSA)
    parsed = ParsedToken.parse(_native.sign(rsa, "guido", 1000, "n", "RS256"))
    assert Verifier().verify(parsed, rsa, 1000)[0] == OK
    assert Verifier(algorithms=["RS512"]).verify(parsed, rsa, 1000)[0] == int(Status.ALGORITHM_NOT_ALLOWED)
    with pytest.raises(exceptions.AJWTError):
        Verifier(tolerance=-1)


def test_keyset_from_jwks(ed: Key) -> None:
    rsa = Key.generate(KeyType.RSA)
    members = [json.loads(k.export(ExportFormat.PUBLIC_JWK)) for k in (ed, rsa)]
    document = {"keys": [*members, {"kty": "nope"}, {"kty": "RSA", "n": "AQAB", "e": "AQAB"}]}
    keyset = KeySet.parse_jwks(json.dumps(document))
    assert len(keyset) == 2
    assert len(keyset.skipped) == 2 and all(keyset.skipped)
    assert keyset.find(rsa.fingerprint) == 1
    assert keyset.find("unknown") is None
    assert keyset.get(0).same_public_key(ed)
    with pytest.raises(IndexError):
        keyset.get(2)
    assert {m["kid"] for m in json.loads(keyset.to_jwks())["keys"]} == {ed.fingerprint, rsa.fingerprint}
    with pytest.raises(exceptions.KeyLoadError):
        KeySet.parse_jwks('{"no": "keys"}')


def test_verify_keyset_kid_first(ed: Key) -> None:
    keyset = KeySet()
    for _ in range(3):
        keyset.add(Key.generate(KeyType.ED25519).public_key())
    keyset.add(ed.public_key())
    parsed = ParsedToken.parse(_native.sign(ed, "guido", 1000, "n"))
    assert Verifier().verify_keyset(parsed, keyset, 1000)[::2] == (OK, 3)
    assert Verifier().verify_keyset(parsed, KeySet(), 1000)[0] != OK


def test_auth_header() -> None:
    assert _native.auth_header("JWT", "a.b.c") == "JWT a.b.c"
    assert _native.auth_header("", "a.b.c") == "JWT a.b.c"


def _progress_while(work: Any) -> int:
    """Iterations the main thread makes while ``work`` runs in another thread (0 if it held the GIL throughout)."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (work(), done.set()))
    count = 0
    thread.start()
    time.sleep(0.005)  # let the worker enter the native call
    while not done.is_set():
        count += 1
        time.sleep(0)
    thread.join()
    return count


@pytest.fixture(scope="module")
def big() -> Key:
    return Key.generate(KeyType.RSA, 4096)


def test_gil_released_while_generating_and_signing(big: Key) -> None:
    assert _progress_while(lambda: [_native.sign(big, "guido", 1000, f"n{i}") for i in range(20)]) > 50
    assert _progress_while(lambda: Key.generate(KeyType.RSA, 3072)) > 50


def test_gil_released_while_verifying(big: Key) -> None:
    tokens = [ParsedToken.parse(_native.sign(big, "guido", 1000, f"n{i}")) for i in range(300)]
    verifier = Verifier()
    assert _progress_while(lambda: [verifier.verify(t, big, 1000) for t in tokens]) > 50
