"""
The decision table (issue 14): hand-made tokens (tests/vectors/claims, rebuilt at the current time) sent through
upstream asymmetric-jwt-auth 1.3.0's middleware and through this package's. Every row must agree except the listed,
reasoned differences. ``AJWT_PRINT_DECISION_TABLE=1`` prints the table as Markdown (docs/django.md, "Coming from upstream").
"""

from pathlib import Path
from datetime import UTC, datetime
from typing import Any
import base64
import hashlib
import json
import os
import time

from cryptography.hazmat.primitives import serialization
from freezegun import freeze_time
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpResponse
from django.test import RequestFactory
import pytest

from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
from asymmetric_jwt_auth.models import PublicKey
from helpers import run_upstream

pytestmark = pytest.mark.interop

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "claims" / "claims-and-policies.json"

#: Rows where this package decides differently from 1.3.0 on purpose, and why. Anything else must agree.
DIFFERENCES = {
    "exp_digit_string": "refused: RFC 7519 makes exp a JSON number; PyJWT reads the text \"9999999999\" with int()",
    "nonce_float": "refused: a float nonce has no single text form for the nonce store (1.5; 1.0 == 1 in Python)",
    "nonce_true": "refused: a bool nonce is no nonce (Python's True == 1 would share the nonce store key of 1)",
    "time_string": "refused cleanly: 1.3.0 raises TypeError comparing str with float (a 500)",
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(private_key: Any, kid: str, case: dict[str, Any], now: int) -> str:
    """The case's token at `now`, as scripts/gen-claims-vectors.py builds it."""
    header = case["header"] if case["header"] is not None else {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    payload = dict(case["payload"])
    for claim in case["relative"]:
        payload[claim] = now + payload[claim]
    signing_input = b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(
        json.dumps(payload, separators=(",", ":")).encode()
    )
    signature = bytearray(private_key.sign(signing_input.encode()))
    if case["corrupt_signature"]:
        signature[0] ^= 1
    return signing_input + "." + b64(bytes(signature))


def describe(answer: dict[str, Any]) -> str:
    if "error" in answer:
        return f"crash ({answer['error']})"
    return "accepted" if answer["user"] else "refused"


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    return json.loads(VECTORS.read_text())


def ours(username: str, public_pem: str, headers: list[str]) -> list[dict[str, Any]]:
    user = User.objects.create_user(username=username)
    PublicKey.objects.create(user=user, key=public_pem)
    middleware = JWTAuthMiddleware(lambda request: HttpResponse())
    answers: list[dict[str, Any]] = []
    for header in headers:
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=header)
        request.user = AnonymousUser()
        try:
            middleware(request)
        except Exception as e:  # pragma: no cover - a crash is a failure of ours, shown in the table
            answers.append({"error": type(e).__name__})
            continue
        answers.append({"user": request.user.username if request.user.is_authenticated else None})
    return answers


@pytest.mark.django_db
def test_decisions_match_upstream(upstream_python: str, vectors: dict[str, Any]) -> None:
    private_key = serialization.load_pem_private_key(vectors["private_key"].encode(), password=None)
    public_pem = vectors["public_key"]
    kid = hashlib.sha256(public_pem.encode()).hexdigest()
    cases = vectors["cases"]
    # Both packages see the same fractional clock, stopped a quarter second after the tokens' `now`: the rows
    # near a bound (nbf = now + 1, time = now - 19.5, ...) then mean the same on both sides.
    now = int(time.time())
    clock = now + 0.25
    headers = [f"JWT {make_token(private_key, kid, case, now)}" for case in cases]
    theirs = run_upstream(
        upstream_python, {"cmd": "authenticate", "username": "alice", "public_key": public_pem, "headers": headers, "clock": clock}
    )
    with freeze_time(datetime.fromtimestamp(clock, UTC)):
        mine = ours("alice", public_pem, headers)

    rows = []
    mismatches = []
    for case, their_answer, my_answer in zip(cases, theirs, mine, strict=True):
        upstream, this = describe(their_answer), describe(my_answer)
        reason = DIFFERENCES.get(case["name"], "")
        if (upstream == this) == bool(reason):
            mismatches.append(f"{case['name']}: upstream {upstream}, ours {this}, listed difference: {reason or 'none'}")
        rows.append((case["name"], header_text(case["header"]), payload_text(case), upstream, this, reason))
    if os.environ.get("AJWT_PRINT_DECISION_TABLE"):
        print("\n| token | header (default: alg, kid, typ JWT) | payload (times relative to now) | 1.3.0 | this package | why they differ |")
        print("| --- | --- | --- | --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    assert not mismatches, "\n".join(mismatches)
    # The table is a real comparison: both packages accept some rows and refuse others.
    assert {describe(a) for a in mine} == {"accepted", "refused"}
    assert sum(describe(a) == "accepted" for a in theirs) >= 10


def header_text(header: dict[str, Any] | None) -> str:
    """The header as JSON, a long string shown by its first characters and length."""
    if header is None:
        return ""
    shown = {name: f"{value[:3]}…({len(value)} chars)" if isinstance(value, str) and len(value) > 40 else value for name, value in header.items()}
    return json.dumps(shown, ensure_ascii=False)


def payload_text(case: dict[str, Any]) -> str:
    parts = []
    for name, value in case["payload"].items():
        if name == "nonce" and value == f"n-{case['name']}":
            continue
        if name == "username" and value == "alice":
            continue
        shown = json.dumps(value)
        if name in case["relative"]:
            shown = "now" if value == 0 and isinstance(value, int) else f"now{value:+}"
        parts.append(f"{name}: {shown}")
    missing = [name for name in ("username", "time", "nonce") if name not in case["payload"]]
    parts += [f"no {name}" for name in missing]
    if case["corrupt_signature"]:
        parts.append("bad signature")
    return ", ".join(parts)
