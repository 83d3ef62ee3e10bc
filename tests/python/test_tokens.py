"""asymmetric_jwt_auth.tokens: signing, parsing once, verification, the time window and nonces."""

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
import base64
import json
import logging
import time

from freezegun import freeze_time
import jwt
import pytest

from asymmetric_jwt_auth import keys, tokens

pytestmark = pytest.mark.django_db


def _b64(data: object) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forge(header: object, payload: object, signature: bytes = b"\x01" * 64) -> str:
    return f"{_b64(header)}.{_b64(payload)}.{_b64(signature)}"


@mock.patch("time.time")
@mock.patch("secrets.token_urlsafe")
def test_create_auth_header(mock_get_nonce: mock.MagicMock, mock_time: mock.MagicMock, ed25519_key: Any) -> None:
    mock_get_nonce.return_value = "yVJ0MVWhqPQ"
    mock_time.return_value = 1234000.3
    header = tokens.Token(username="rusty").create_auth_header(ed25519_key)
    assert header.startswith("JWT ")
    data = jwt.decode(header.split(" ")[1], key=ed25519_key.public_key.as_pem, algorithms=["EdDSA"])
    assert data == {"nonce": "yVJ0MVWhqPQ", "time": 1234000, "username": "rusty"}


@mock.patch("secrets.token_urlsafe")
def test_create_auth_header_custom_time(mock_get_nonce: mock.MagicMock, rsa_key: Any) -> None:
    mock_get_nonce.return_value = "yVJ0MVWhqPQ"
    header = tokens.Token(username="rusty", timestamp=1614974974).create_auth_header(rsa_key)
    token = header.split(" ")[1]
    assert jwt.get_unverified_header(token) == {"alg": "RS512", "kid": rsa_key.public_key.fingerprint, "typ": "JWT"}
    data = jwt.decode(token, key=rsa_key.public_key.as_pem, algorithms=rsa_key.public_key.allowed_algorithms)
    assert data == {"nonce": "yVJ0MVWhqPQ", "time": 1614974974, "username": "rusty"}


def test_auth_method_setting(settings: Any, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"AUTH_METHOD": "SIGNED"}
    assert tokens.Token("rusty").create_auth_header(ed25519_key).startswith("SIGNED ey")


def test_nonce_comes_from_the_configured_backend(settings: Any, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
    with mock.patch("asymmetric_jwt_auth.nonce.null.NullNonceBackend.generate_nonce", return_value="from-backend"):
        token = tokens.Token("rusty").sign(ed25519_key)
    assert tokens.UntrustedToken(token)._parsed.nonce == "from-backend"


def test_default_nonce_is_8_random_bytes(ed25519_key: Any) -> None:
    nonces = {tokens.UntrustedToken(tokens.Token("rusty").sign(ed25519_key))._parsed.nonce for _ in range(5)}
    assert len(nonces) == 5
    assert all(len(n) == 11 for n in nonces)


def test_pyjwt_decodes_every_key_type(rsa_key: Any, ed25519_key: Any, ec_key: Any) -> None:
    for private in (rsa_key, ed25519_key, ec_key):
        token = tokens.Token("rusty").sign(private)
        alg = private.public_key.allowed_algorithms[0]
        assert jwt.get_unverified_header(token)["alg"] == alg
        data = jwt.decode(token, key=private.public_key.as_pem, algorithms=[alg])
        assert data["username"] == "rusty"


class TestUntrustedToken:
    @pytest.fixture(autouse=True)
    def _token(self, ed25519_key: Any) -> None:
        self.privkey = ed25519_key
        self.jwt_value = tokens.Token(username="rusty").sign(self.privkey)
        self.untrusted_token = tokens.UntrustedToken(self.jwt_value)

    def test_get_claimed_username(self) -> None:
        assert self.untrusted_token.get_claimed_username() == "rusty"

    def test_get_claimed_key_id(self) -> None:
        assert self.untrusted_token.get_claimed_key_id() == self.privkey.public_key.fingerprint
        no_kid = jwt.encode({"username": "rusty", "time": 1, "nonce": "n"}, key=self.privkey.as_pem, algorithm="EdDSA")
        assert tokens.UntrustedToken(no_kid).get_claimed_key_id() is None
        assert tokens.UntrustedToken("not-a-jwt").get_claimed_key_id() is None

    def test_has_supported_algorithm(self, rsa_key: Any) -> None:
        assert self.untrusted_token.has_supported_algorithm()
        for alg in keys.RSA_ALGORITHMS:
            rsa_jwt = jwt.encode({"username": "rusty", "time": 1, "nonce": "n"}, key=rsa_key.as_pem, algorithm=alg)
            assert tokens.UntrustedToken(rsa_jwt).has_supported_algorithm()
        assert not self.untrusted_token.has_supported_algorithm(["RS256"])

    def test_has_supported_algorithm_rejects_unsupported_or_malformed(self) -> None:
        claims = {"username": "rusty", "time": 1, "nonce": "n"}
        hmac_jwt = jwt.encode(claims, key="x" * 32, algorithm="HS256")
        unsigned_jwt = jwt.encode(claims, key="", algorithm="none")
        bad_segments = self.jwt_value.split(".")[0] + ".not-a-jwt"
        for value in (hmac_jwt, unsigned_jwt, bad_segments, "not-a-jwt", ""):
            assert not tokens.UntrustedToken(value).has_supported_algorithm()
        for value in (bad_segments, "not-a-jwt", ""):
            assert not tokens.UntrustedToken(value).has_supported_algorithm(["HS256", "none"])
        # A header check, as 1.3.0's: a custom list is taken at its word (no key of this package verifies HMAC)
        assert tokens.UntrustedToken(hmac_jwt).has_supported_algorithm(["HS256"])
        assert tokens.UntrustedToken(unsigned_jwt).has_supported_algorithm(["none"])

    def test_has_supported_algorithm_reads_the_header_alone(self) -> None:
        """1.3.0 reads alg from the header alone: a token missing claims still has one (regression: False)."""
        for alg in ("RS256", "RS384", "RS512"):
            rsa_jwt = jwt.encode({"username": "rusty"}, key=keys.RSAPrivateKey.generate().as_pem, algorithm=alg)
            assert tokens.UntrustedToken(rsa_jwt).has_supported_algorithm()
        long_header = "e" * 9000 + ".e30.sig"
        assert not tokens.UntrustedToken(long_header).has_supported_algorithm(["RS256"])

    def test_verify_valid(self) -> None:
        token = self.untrusted_token.verify(self.privkey.public_key)
        assert isinstance(token, tokens.Token)
        assert token.username == "rusty"
        assert token.timestamp == self.untrusted_token._parsed.time

    def test_verify_accepts_bytes(self) -> None:
        token = tokens.UntrustedToken(self.jwt_value.encode()).verify(self.privkey.public_key)
        assert token is not None

    def test_verify_key_mismatch(self, compat: dict[str, Any], rsa_key: Any) -> None:
        pubkey = keys.PublicKey.load_pem(compat["public_keys"]["rsa_pem"]["text"].encode())
        assert self.untrusted_token.verify(pubkey) is None
        assert self.untrusted_token.verify(keys.Ed25519PrivateKey.generate().public_key) is None
        # A failed verification records no nonce: the right key still works afterwards
        assert self.untrusted_token.verify(self.privkey.public_key) is not None

    def test_time_out_of_allowed_range_before(self) -> None:
        with freeze_time(datetime.now(tz=UTC) - timedelta(seconds=30)):
            assert self.untrusted_token.verify(self.privkey.public_key) is None

    def test_time_out_of_allowed_range_after(self) -> None:
        with freeze_time(datetime.now(tz=UTC) + timedelta(seconds=30)):
            assert self.untrusted_token.verify(self.privkey.public_key) is None

    def test_nonce_already_used(self, caplog: Any) -> None:
        token1 = self.untrusted_token.verify(self.privkey.public_key)
        assert token1 is not None and token1.username == "rusty"
        # Second attempt fails because nonce was already used, also through a fresh parse
        with caplog.at_level(logging.DEBUG, logger="asymmetric_jwt_auth.tokens"):
            assert self.untrusted_token.verify(self.privkey.public_key) is None
            assert tokens.UntrustedToken(self.jwt_value).verify(self.privkey.public_key) is None
        # In libajwt's words, which the demo's log reader relies on
        assert [r.getMessage().split(". jwt:")[0] for r in caplog.records] == ["JWT failed verification: nonce already used"] * 2

    def test_nonce_already_used_null_backend(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
        assert self.untrusted_token.verify(self.privkey.public_key) is not None
        assert self.untrusted_token.verify(self.privkey.public_key) is not None

    def test_nonce_backend_failure_propagates(self, settings: Any) -> None:
        class Down(Exception):
            pass

        with mock.patch("asymmetric_jwt_auth.nonce.django.DjangoCacheNonceBackend.check_and_record_nonce", side_effect=Down("cache down")):
            with pytest.raises(Down):
                self.untrusted_token.verify(self.privkey.public_key)
        # The failure was not recorded as a use
        assert self.untrusted_token.verify(self.privkey.public_key) is not None


@pytest.mark.parametrize("tolerance", [20, 5])
def test_time_window_edges_with_frozen_time(settings: Any, ed25519_key: Any, tolerance: int) -> None:
    """|time - now| <= TIMESTAMP_TOLERANCE passes, one second more fails, on both sides."""
    settings.ASYMMETRIC_JWT_AUTH = {"TIMESTAMP_TOLERANCE": tolerance, "NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
    issued = 1_700_000_000
    untrusted = tokens.UntrustedToken(tokens.Token("rusty", timestamp=issued).sign(ed25519_key))
    for offset, accepted in ((-tolerance - 1, False), (-tolerance, True), (0, True), (tolerance, True), (tolerance + 1, False)):
        with freeze_time(datetime.fromtimestamp(issued + offset, tz=UTC)):
            assert (untrusted.verify(ed25519_key.public_key) is not None) == accepted, offset


def test_fractional_clock_matches_upstream_bounds(ed25519_key: Any, settings: Any) -> None:
    """Upstream compared the integer claim with time.time() ± tolerance as floats; so do we."""
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": "asymmetric_jwt_auth.nonce.null.NullNonceBackend"}
    untrusted = tokens.UntrustedToken(tokens.Token("rusty", timestamp=1000).sign(ed25519_key))
    cases = {1020.0: True, 1020.4: False, 980.0: True, 979.6: False, 979.0: False, 1000.5: True}
    for now, accepted in cases.items():
        with mock.patch("time.time", return_value=now):
            # Parsed before (the middleware's way), and parsed by verify itself (one native call)
            assert (untrusted.verify(ed25519_key.public_key) is not None) == accepted, now
            fresh = tokens.UntrustedToken(untrusted.token)
            assert (fresh.verify(ed25519_key.public_key) is not None) == accepted, now
            assert fresh.get_claimed_username() == "rusty"  # the parse verify made is kept


@pytest.mark.parametrize("clock", [float("nan"), float("inf"), -float("inf"), 1e300])
def test_unusable_clock_raises(ed25519_key: Any, clock: float) -> None:
    token = tokens.Token("rusty").sign(ed25519_key)
    with mock.patch("time.time", return_value=clock), pytest.raises(ValueError, match="clock"):
        tokens.UntrustedToken(token).verify(ed25519_key.public_key)


def test_timestamp_zero_is_rejected(ed25519_key: Any) -> None:
    untrusted = tokens.UntrustedToken(tokens.Token("rusty", timestamp=0).sign(ed25519_key))
    assert untrusted.verify(ed25519_key.public_key) is None


def test_token_default_timestamp_uses_time_time() -> None:
    with mock.patch("time.time", return_value=1234.9):
        assert tokens.Token("rusty").timestamp == 1234
    with freeze_time("2021-03-05 20:09:34"):
        assert tokens.Token("rusty").timestamp == 1614974974


MALFORMED = [
    "",
    "not-a-jwt",
    "a.b",
    "a.b.c.d",
    "...",
    "eyJhbGciOiJFZERTQSJ9..sig",
    "\x00\x00\x00",
    "é.é.é",
    "\ud800.\udfff.x",
    "A" * 100_000,
    forge({"alg": "none", "typ": "JWT"}, {"username": "rusty", "time": 1, "nonce": "n"}),
    forge({"alg": "HS256", "typ": "JWT"}, {"username": "rusty", "time": 1, "nonce": "n"}),
    forge({"alg": ["RS256"], "typ": "JWT"}, {"username": "rusty", "time": 1, "nonce": "n"}),
    forge({"alg": "EdDSA", "typ": "JWT"}, {"username": 5, "time": 1, "nonce": "n"}),
    forge({"alg": "EdDSA", "typ": "JWT"}, {"username": "rusty", "time": "1", "nonce": "n"}),
    forge({"alg": "EdDSA", "typ": "JWT"}, {"username": "rusty", "time": 10**30, "nonce": "n"}),
    forge({"alg": "EdDSA", "typ": "JWT"}, {"username": "rusty", "time": 1}),
    forge({"alg": "EdDSA", "typ": "JWT"}, {"username": "", "time": 1, "nonce": "n"}),
    forge({"alg": "EdDSA", "typ": "JWT"}, ["username"]),
    forge({"alg": "EdDSA", "crit": ["exp"]}, {"username": "rusty", "time": 1, "nonce": "n"}),
    forge("header", "payload"),
    _b64(b"{") + "." + _b64(b"{}") + "." + _b64(b"x"),
    _b64(b'{"alg":"EdDSA","alg":"RS256"}') + "." + _b64({"username": "rusty", "time": 1, "nonce": "n"}) + ".AAAA",
]


def _upstream_has_supported_algorithm(value: str) -> bool:
    try:
        return jwt.get_unverified_header(value).get("alg") in keys.SUPPORTED_ALGORITHMS
    except (jwt.PyJWTError, UnicodeError, TypeError):  # where 1.3.0 raises, this package answers False
        return False


@pytest.mark.parametrize("value", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_tokens_give_none_never_an_exception(value: str, ed25519_key: Any, rsa_key: Any) -> None:
    untrusted = tokens.UntrustedToken(value)
    assert untrusted.get_claimed_username() is None
    assert untrusted.get_claimed_key_id() is None
    # A check of the header alone, as 1.3.0's (PyJWT's unverified header): true for a readable header naming a
    # supported alg, whatever the claims
    assert untrusted.has_supported_algorithm() is _upstream_has_supported_algorithm(value)
    assert untrusted.verify(ed25519_key.public_key) is None
    assert untrusted.verify(rsa_key.public_key) is None
    # verify first: the token is parsed and verified in one native call
    untrusted = tokens.UntrustedToken(value)
    assert untrusted.verify(rsa_key.public_key) is None
    assert untrusted.get_claimed_username() is None
    assert untrusted.verify(ed25519_key.public_key) is None


def test_algorithm_of_another_key_type_is_refused(ed25519_key: Any, rsa_key: Any) -> None:
    """An RS256 token must not verify with an Ed25519 key, whatever the signature (and vice versa)."""
    rsa_token = tokens.UntrustedToken(tokens.Token("rusty").sign(rsa_key))
    assert rsa_token.verify(ed25519_key.public_key) is None
    assert rsa_token.verify(rsa_key.public_key) is not None


def test_tampered_claims_fail(ed25519_key: Any) -> None:
    token = tokens.Token("rusty").sign(ed25519_key)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["username"] = "admin"
    forged = f"{header}.{_b64(claims)}.{signature}"
    assert tokens.UntrustedToken(forged).get_claimed_username() == "admin"
    assert tokens.UntrustedToken(forged).verify(ed25519_key.public_key) is None


def test_small_order_ed25519_key_accepts_no_forgery() -> None:
    """
    Under the small-order public key 01 00..00, R = the base point and S = 1 satisfy the bare Ed25519 equation for
    every message: OpenSSL (and so 1.x, through cryptography) accepts that one "signature" for any token. Refused here.
    """
    spki = bytes.fromhex("302a300506032b6570032100") + b"\x01" + bytes(31)
    pem = b"-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(spki) + b"\n-----END PUBLIC KEY-----\n"
    public_key = keys.PublicKey.load_pem(pem)
    forged_signature = _b64(b"\x58" + b"\x66" * 31 + b"\x01" + bytes(31))
    for username in ("root", "admin"):
        header = _b64({"alg": "EdDSA", "typ": "JWT"})
        payload = _b64({"username": username, "time": int(time.time()), "nonce": username})
        assert tokens.UntrustedToken(f"{header}.{payload}.{forged_signature}").verify(public_key) is None


def test_pyjwt_tokens_verify(ed25519_key: Any, rsa_key: Any) -> None:
    """Tokens another JWT library makes in the protocol's shape are accepted (RS256 and RS384 too)."""
    for private, alg in ((rsa_key, "RS256"), (rsa_key, "RS384"), (rsa_key, "RS512"), (ed25519_key, "EdDSA")):
        claims = {"username": "rusty", "time": int(datetime.now(tz=UTC).timestamp()), "nonce": f"pyjwt-{alg}"}
        token = jwt.encode(claims, key=private.as_pem, algorithm=alg, headers={"kid": private.public_key.fingerprint})
        verified = tokens.UntrustedToken(token).verify(private.public_key)
        assert verified is not None and verified.username == "rusty", alg


def test_sign_refuses_a_public_key(ed25519_key: Any) -> None:
    class NotPrivate:
        _key = ed25519_key.public_key._key
        public_key = ed25519_key.public_key

    with pytest.raises(ValueError):
        tokens.Token("rusty").sign(NotPrivate())  # type: ignore[arg-type]


def test_unicode_usernames_round_trip(ed25519_key: Any) -> None:
    for username in ("zoë", "名前", "a b", "user@example.com"):
        untrusted = tokens.UntrustedToken(tokens.Token(username).sign(ed25519_key))
        assert untrusted.get_claimed_username() == username
        assert untrusted.verify(ed25519_key.public_key).username == username


def test_redact_token_never_contains_the_token(ed25519_key: Any) -> None:
    token = tokens.Token("rusty").sign(ed25519_key)
    redacted = tokens.redact_token(token)
    assert token not in redacted
    assert token.split(".")[1] not in redacted
    assert str(len(token)) in redacted


# ---- 1.x token policy and registered claims (issue 14) ----------------------------------------------------------


def signed(key: Any, payload: dict[str, object], headers: dict[str, object] | None = None) -> str:
    """A token with any payload and header, signed by PyJWT as 1.x clients sign."""
    return jwt.encode(payload, key.as_pem, algorithm="EdDSA", headers=headers)


def test_empty_username_signs_and_is_refused(ed25519_key: Any) -> None:
    header = tokens.Token("").create_auth_header(ed25519_key)
    token = header.split(" ", 1)[1]
    assert jwt.decode(token, options={"verify_signature": False})["username"] == ""
    untrusted = tokens.UntrustedToken(token)
    assert untrusted.get_claimed_username() is None
    assert untrusted.verify(ed25519_key.public_key) is None


@pytest.mark.parametrize("typ", ["JWS", "at+jwt", None, 7])
def test_any_typ_is_taken_as_1x_takes_it(ed25519_key: Any, typ: object) -> None:
    now = int(time.time())
    token = signed(ed25519_key, {"username": "rusty", "time": now, "nonce": f"typ-{typ}"}, {"typ": typ})
    verified = tokens.UntrustedToken(token).verify(ed25519_key.public_key)
    assert verified is not None and verified.username == "rusty"


def test_fractional_time_is_compared_exactly_and_its_nonce_keyed_by_the_floor(ed25519_key: Any) -> None:
    with freeze_time(datetime.fromtimestamp(1700000020.5, UTC)):
        token = signed(ed25519_key, {"username": "rusty", "time": 1700000000.5, "nonce": "n1"})
        verified = tokens.UntrustedToken(token).verify(ed25519_key.public_key)
        assert verified is not None and verified.timestamp == 1700000000.5
        # The same nonce with another fraction of the same second is a replay.
        again = signed(ed25519_key, {"username": "rusty", "time": 1700000000.75, "nonce": "n1"})
        assert tokens.UntrustedToken(again).verify(ed25519_key.public_key) is None
    with freeze_time(datetime.fromtimestamp(1700000020.625, UTC)):  # 1/8 s past the window
        late = signed(ed25519_key, {"username": "rusty", "time": 1700000000.5, "nonce": "n2"})
        assert tokens.UntrustedToken(late).verify(ed25519_key.public_key) is None


def test_integer_nonce_is_taken_as_its_decimal_text(ed25519_key: Any) -> None:
    now = int(time.time())
    token = signed(ed25519_key, {"username": "rusty", "time": now, "nonce": 42})
    untrusted = tokens.UntrustedToken(token)
    assert untrusted._parsed is not None and untrusted._parsed.nonce == "42"
    assert untrusted.verify(ed25519_key.public_key) is not None
    replay = signed(ed25519_key, {"username": "rusty", "time": now, "nonce": "42"})
    assert tokens.UntrustedToken(replay).verify(ed25519_key.public_key) is None


@pytest.mark.parametrize(
    ("claims", "accepted"),
    [
        ({"exp": 1700000001}, True),
        ({"exp": 1700000000}, False),  # exp <= now (PyJWT: expired)
        ({"nbf": 1700000001}, False),  # nbf > now + 0.25
        ({"nbf": 1700000000}, True),
        ({"iat": 1700000001}, False),
        ({"iat": 1700000000.9}, True),  # int(1700000000.9) == now
        ({"aud": "api"}, False),
        ({"aud": ""}, True),
        ({"sub": 5}, False),
        ({"jti": None}, False),
        ({"exp": "1800000000"}, False),  # a string date: refused (PyJWT would read it with int())
    ],
)
def test_registered_claims_as_pyjwt_checks_them(ed25519_key: Any, claims: dict[str, object], accepted: bool) -> None:
    with freeze_time(datetime.fromtimestamp(1700000000.25, UTC)):
        token = signed(ed25519_key, {"username": "rusty", "time": 1700000000, "nonce": repr(claims), **claims})
        assert (tokens.UntrustedToken(token).verify(ed25519_key.public_key) is not None) is accepted
