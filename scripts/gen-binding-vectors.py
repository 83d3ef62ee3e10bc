#!/usr/bin/env python3
"""
Writes tests/vectors/binding/request-binding.json: tokens carrying request-binding claims (ajwt_method, ajwt_target,
ajwt_body, ajwt_aud; docs/request-binding.md) and the status a verifier with a given binding policy
and audience gives for a given request (method, target as received, body as received or null when unknown). Each
binding's runner parses the token (strict policy) and verifies it with its request API at `now`.

Needs `cryptography`. Ed25519 signatures are deterministic, so reruns give the same file.
"""

import base64
import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/vectors/binding/request-binding.json"
NOW = 1700000000
SEED = bytes(range(32))  # the same fixed test key as the claims vectors

NAMES = {0: "AJWT_OK", 80: "AJWT_ERR_BINDING_METHOD", 81: "AJWT_ERR_BINDING_TARGET", 82: "AJWT_ERR_BINDING_BODY",
         83: "AJWT_ERR_BINDING_AUDIENCE", 84: "AJWT_ERR_BINDING_REQUIRED"}
OK, METHOD, TARGET, BODY, AUDIENCE, REQUIRED = 0, 80, 81, 82, 83, 84

ORDER = '{"qty": 1}'


def content_digest(body: str) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + ":"


FULL = {"ajwt_method": "POST", "ajwt_target": "/orders/?id=7", "ajwt_body": content_digest(ORDER), "ajwt_aud": "billing"}
REQUEST = {"method": "POST", "target": "/orders/?id=7", "body": ORDER}


def case(name, status, *, claims=FULL, policy="when-present", audience="billing", **request):
    return {"name": name, "claims": claims, "policy": policy, "audience": audience,
            "request": {**REQUEST, **request}, "status": status}


CASES = [
    case("full_match_when_present", OK),
    case("full_match_required", OK, policy="required"),
    case("full_match_off", OK, policy="off"),
    case("absolute_url_and_lowercase_method", OK, method="post", target="https://api.example/orders/?id=7"),
    case("query_unreserved_percent_encoded", OK, target="/orders/?id=%37"),
    case("method_tampered", METHOD, method="DELETE"),
    case("path_tampered", TARGET, target="/refunds/?id=7"),
    case("query_tampered", TARGET, target="/orders/?id=8"),
    case("query_removed", TARGET, target="/orders/"),
    case("query_reserved_percent_encoded", TARGET, target="/orders/%3Fid=7"),
    case("body_tampered", BODY, body='{"qty": 100}'),
    case("body_unknown", BODY, body=None),
    case("audience_other", AUDIENCE, audience="shipping"),
    case("audience_none_configured", AUDIENCE, audience=None),
    case("everything_tampered_off", OK, policy="off", audience="shipping", method="GET", target="/x", body=None),
    case("unbound_when_present", OK, claims={}),
    case("unbound_required", REQUIRED, claims={}, policy="required"),
    case("no_body_required", REQUIRED, claims={k: v for k, v in FULL.items() if k != "ajwt_body"}, policy="required"),
    case("no_audience_required", REQUIRED, claims={k: v for k, v in FULL.items() if k != "ajwt_aud"}, policy="required"),
    case("no_audience_required_none_configured", OK, claims={k: v for k, v in FULL.items() if k != "ajwt_aud"},
         policy="required", audience=None),
    case("method_not_canonical", METHOD, claims={**FULL, "ajwt_method": "post"}),
    case("method_not_a_string", METHOD, claims={**FULL, "ajwt_method": 1}),
    case("target_not_canonical", TARGET, claims={**FULL, "ajwt_target": "/orders/?id=%37"}),
    case("not_canonical_off", OK, claims={**FULL, "ajwt_method": "post", "ajwt_target": 7}, policy="off"),
    case("path_percent_encodings", OK, claims={**FULL, "ajwt_target": "/caf%C3%A9/a!b"}, target="/caf%c3%a9/a%21b"),
    case("empty_body", OK, claims={"ajwt_method": "GET", "ajwt_target": "/", "ajwt_body": content_digest("")},
         audience=None, method="GET", target="http://api.example", body=""),
    case("audience_only", OK, claims={"ajwt_aud": "billing"}),
]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> None:
    private_key = Ed25519PrivateKey.from_private_bytes(SEED)
    public_pem = private_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(public_pem)
    header = {"alg": "EdDSA", "kid": digest.finalize().hex(), "typ": "JWT"}
    cases = []
    for c in CASES:
        payload = {"username": "alice", "time": NOW, "nonce": f"n-{c['name']}", **c["claims"]}
        signing_input = b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(
            json.dumps(payload, separators=(",", ":")).encode())
        token = signing_input + "." + b64(private_key.sign(signing_input.encode()))
        cases.append({**c, "token": token, "status_name": NAMES[c["status"]]})
    document = {
        "about": "Tokens with request-binding claims and the status a verifier (strict policy, tolerance 20 s, no nonce "
                 "store, binding `policy` and `audience`: null = none) gives at `now` for `request` (`method`, `target` "
                 "as received, `body` as received: its SHA-256 is the digest; each null = unknown). Generated by "
                 "scripts/gen-binding-vectors.py.",
        "now": NOW,
        "public_key": public_pem.decode(),
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
