#!/usr/bin/env python3
"""
Writes tests/vectors/claims/claims-and-policies.json: hand-made tokens (registered claims, typ
variants, float/int/string time, int nonce/username, empty username, missing claims) with the
status libajwt gives under each token policy. Every binding's vector runner checks them; the
Python decision-table test (tests/python/test_decision_table.py) rebuilds them at the current
time and sends them to upstream 1.3.0 and to this package.

Needs `cryptography`. Ed25519 signatures are deterministic, so reruns give the same file.
Times in `relative` members are offsets from `now` (ints stay ints, floats stay floats).
"""

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/vectors/claims/claims-and-policies.json"
NOW = 1700000000
# A fixed test key (never used for anything else).
SEED = bytes(range(32))

OK, CLAIMS, TIME, HEADER, SIGNATURE, EXPIRED, FUTURE = 0, 35, 36, 34, 41, 42, 43
EXP_PASSED, NOT_YET_VALID, IAT_FUTURE, AUDIENCE, REGISTERED = 60, 61, 62, 63, 64
NAMES = {0: "AJWT_OK", 34: "AJWT_ERR_TOKEN_HEADER", 35: "AJWT_ERR_TOKEN_CLAIMS", 36: "AJWT_ERR_TOKEN_TIME",
         41: "AJWT_ERR_BAD_SIGNATURE", 42: "AJWT_ERR_TOKEN_EXPIRED", 43: "AJWT_ERR_TOKEN_FROM_FUTURE",
         60: "AJWT_ERR_TOKEN_EXP_PASSED", 61: "AJWT_ERR_TOKEN_NOT_YET_VALID", 62: "AJWT_ERR_TOKEN_IAT_FUTURE",
         63: "AJWT_ERR_TOKEN_AUDIENCE", 64: "AJWT_ERR_TOKEN_REGISTERED_CLAIM"}

MISSING = object()


def case(name, strict, compat, *, header=None, relative=("time",), corrupt=False, **claims):
    payload = {"username": "alice", "time": 0, "nonce": f"n-{name}"}
    for claim, value in claims.items():
        if value is MISSING:
            payload.pop(claim, None)
        else:
            payload[claim] = value
    return {"name": name, "header": header, "payload": payload,
            "relative": [c for c in relative if c in payload], "corrupt_signature": corrupt,
            "strict": strict, "compat_1x": compat}


CASES = [
    case("baseline", OK, OK),
    case("exp_future", OK, OK, exp=60, relative=("time", "exp")),
    case("exp_now", EXP_PASSED, EXP_PASSED, exp=0, relative=("time", "exp")),
    case("exp_past", EXP_PASSED, EXP_PASSED, exp=-1, relative=("time", "exp")),
    case("exp_fraction_truncated", EXP_PASSED, EXP_PASSED, exp=0.9, relative=("time", "exp")),
    case("exp_digit_string", REGISTERED, REGISTERED, exp="9999999999"),
    case("exp_null", REGISTERED, REGISTERED, exp=None),
    case("exp_true", REGISTERED, EXP_PASSED, exp=True),
    case("nbf_future", NOT_YET_VALID, NOT_YET_VALID, nbf=1, relative=("time", "nbf")),
    case("nbf_now", OK, OK, nbf=0, relative=("time", "nbf")),
    case("nbf_false", REGISTERED, OK, nbf=False),
    case("nbf_list", REGISTERED, REGISTERED, nbf=[1]),
    case("iat_future", IAT_FUTURE, IAT_FUTURE, iat=1, relative=("time", "iat")),
    case("iat_past", OK, OK, iat=-100, relative=("time", "iat")),
    case("iat_fraction_truncated", OK, OK, iat=0.5, relative=("time", "iat")),
    case("iat_string", REGISTERED, REGISTERED, iat="x"),
    case("aud_string", AUDIENCE, AUDIENCE, aud="api"),
    case("aud_list", AUDIENCE, AUDIENCE, aud=["api"]),
    case("aud_empty_string", OK, OK, aud=""),
    case("aud_empty_list", OK, OK, aud=[]),
    case("aud_null", OK, OK, aud=None),
    case("aud_zero", OK, OK, aud=0),
    case("sub_string", OK, OK, sub="alice"),
    case("sub_integer", REGISTERED, REGISTERED, sub=5),
    case("jti_string", OK, OK, jti="id-1"),
    case("jti_null", REGISTERED, REGISTERED, jti=None),
    case("claims_before_window", EXP_PASSED, EXP_PASSED, time=-100, exp=-1, relative=("time", "exp")),
    case("signature_before_claims", SIGNATURE, SIGNATURE, exp=-1, relative=("time", "exp"), corrupt=True),
    case("typ_absent", OK, OK, header={"alg": "EdDSA"}),
    case("typ_lowercase_jwt", OK, OK, header={"alg": "EdDSA", "typ": "jwt"}),
    case("typ_jws", HEADER, OK, header={"alg": "EdDSA", "typ": "JWS"}),
    case("typ_number", HEADER, OK, header={"alg": "EdDSA", "typ": 1}),
    case("kid_empty", HEADER, OK, header={"alg": "EdDSA", "kid": ""}),
    case("kid_oversized", HEADER, OK, header={"alg": "EdDSA", "kid": "k" * 1025}),
    case("kid_number", HEADER, HEADER, header={"alg": "EdDSA", "kid": 7}),
    case("crit_b64", HEADER, HEADER, header={"alg": "EdDSA", "crit": ["b64"]}),
    case("time_fraction", TIME, OK, time=0.5),
    case("time_fraction_integral", OK, OK, time=0.0),
    case("time_fraction_inside_past", TIME, OK, time=-19.5),
    case("time_fraction_outside_past", TIME, EXPIRED, time=-20.5),
    case("time_fraction_outside_future", TIME, FUTURE, time=20.5),
    case("time_integer_outside_past", EXPIRED, EXPIRED, time=-21),
    case("time_string", TIME, TIME, time="1700000000", relative=()),
    case("time_true", TIME, TIME, time=True, relative=()),
    case("time_zero", EXPIRED, EXPIRED, time=0, relative=()),
    case("time_missing", TIME, TIME, time=MISSING),
    case("nonce_integer", CLAIMS, OK, nonce=42),
    case("nonce_negative_integer", CLAIMS, OK, nonce=-7),
    case("nonce_zero", CLAIMS, CLAIMS, nonce=0),
    case("nonce_float", CLAIMS, CLAIMS, nonce=1.5),
    case("nonce_true", CLAIMS, CLAIMS, nonce=True),
    case("nonce_empty", CLAIMS, CLAIMS, nonce=""),
    case("nonce_missing", CLAIMS, CLAIMS, nonce=MISSING),
    case("username_integer", CLAIMS, CLAIMS, username=42),
    case("username_empty", CLAIMS, CLAIMS, username=""),
    case("username_null", CLAIMS, CLAIMS, username=None),
    case("username_missing", CLAIMS, CLAIMS, username=MISSING),
]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def fingerprint(public_pem: bytes) -> str:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(public_pem)
    return digest.finalize().hex()


def make_token(private_key, kid, header, payload, relative, now, corrupt):  # type: ignore[no-untyped-def]
    """The compact token for a case at `now` (shared with tests/python/test_decision_table.py)."""
    header = dict(header) if header is not None else {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    payload = dict(payload)
    for claim in relative:
        payload[claim] = now + payload[claim]
    signing_input = b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(
        json.dumps(payload, separators=(",", ":")).encode())
    signature = bytearray(private_key.sign(signing_input.encode()))
    if corrupt:
        signature[0] ^= 1
    return signing_input + "." + b64(bytes(signature))


def main() -> None:
    private_key = Ed25519PrivateKey.from_private_bytes(SEED)
    public_pem = private_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    private_pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    kid = fingerprint(public_pem)
    cases = []
    for c in CASES:
        token = make_token(private_key, kid, c["header"], c["payload"], c["relative"], NOW, c["corrupt_signature"])
        cases.append({**c, "token": token, "strict_name": NAMES[c["strict"]], "compat_1x_name": NAMES[c["compat_1x"]]})
    document = {
        "about": "Tokens signed with `private_key` (Ed25519) and the ajwt_status each token policy gives when "
                 "verified with `public_key` at `now`, tolerance 20 s, leeway 0 s, no nonce store "
                 "(parse with the verifier's policy, then verify; a parse failure is the status). "
                 "Members in `relative` are offsets from `now` in `payload`; `token` is built at `now`. "
                 "Generated by scripts/gen-claims-vectors.py.",
        "now": NOW, "tolerance": 20, "leeway": 0,
        "public_key": public_pem.decode(), "private_key": private_pem.decode(), "kid": kid,
        "cases": cases,
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
