"""
Request binding and audience (docs/request-binding.md): tokens bound to one request's method, target and body and to
one service, checked by the middleware and DRF's JWTAuthentication per ASYMMETRIC_JWT_AUTH["REQUEST_BINDING"] and
["AUDIENCE"]; the clients bind when asked; upstream 1.x still takes the bound tokens.
"""

from pathlib import Path
from typing import Any
from unittest import mock
import hashlib
import json

from django.contrib.auth.models import User
from django.test import RequestFactory
import pytest

from asymmetric_jwt_auth import _native
from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
from asymmetric_jwt_auth.models import PublicKey
from asymmetric_jwt_auth.tokens import Token, UntrustedToken, check_request_binding
from helpers import run_upstream

BODY = b'{"qty": 1}'
TARGET = "/orders/?id=7"
rfactory = RequestFactory()


def bound_header(key: Any, username: str = "alice", **overrides: Any) -> str:
    binding: dict[str, Any] = {"method": "POST", "target": TARGET, "body": BODY, "audience": "billing"}
    binding.update(overrides)
    return Token(username).create_auth_header(key, **{name: value for name, value in binding.items() if value is not None})


def post(header: str, target: str = TARGET, body: bytes = BODY, method: str = "post", **extra: Any) -> Any:
    return getattr(rfactory, method)(target, data=body, content_type="application/json", HTTP_AUTHORIZATION=header, **extra)


@pytest.fixture
def binding(settings: Any) -> Any:
    def configure(policy: str, audience: str | None = "billing") -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"REQUEST_BINDING": policy, "AUDIENCE": audience}

    return configure


@pytest.fixture
def alice(db: Any, ed25519_key: Any) -> User:
    user = User.objects.create_user(username="alice")
    PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
    return user


def authenticated(request: Any) -> bool:
    JWTAuthMiddleware(mock.MagicMock())(request)
    return getattr(request, "user", None) is not None


# ---- the native step ------------------------------------------------------------------------------------------------


def test_signed_claims_and_native_check(ed25519_key: Any) -> None:
    token = bound_header(ed25519_key).split(" ", 1)[1]
    parsed = UntrustedToken(token)._parsed
    digest = hashlib.sha256(BODY).digest()
    ok = (int(_native.Status.OK), "")
    assert check_request_binding(parsed, "required", "billing", "POST", TARGET, digest) == ok
    assert check_request_binding(parsed, "required", "billing", "post", "http://h" + TARGET, digest) == ok
    statuses = {
        "method": check_request_binding(parsed, "when-present", "billing", "PUT", TARGET, digest)[0],
        "target": check_request_binding(parsed, "when-present", "billing", "POST", "/orders/?id=8", digest)[0],
        "body": check_request_binding(parsed, "when-present", "billing", "POST", TARGET, hashlib.sha256(b"{}").digest())[0],
        "no body": check_request_binding(parsed, "when-present", "billing", "POST", TARGET, None)[0],
        "audience": check_request_binding(parsed, "when-present", "shipping", "POST", TARGET, digest)[0],
        "off": check_request_binding(parsed, "off", None, "PUT", "/x", None)[0],
    }
    assert statuses == {
        "method": _native.Status.BINDING_METHOD,
        "target": _native.Status.BINDING_TARGET,
        "body": _native.Status.BINDING_BODY,
        "no body": _native.Status.BINDING_BODY,
        "audience": _native.Status.BINDING_AUDIENCE,
        "off": _native.Status.OK,
    }
    assert _native.normalize_target("https://h/a%7e?b=%7e") == "/a~?b=~"
    with pytest.raises(ValueError):
        Token("alice").sign(ed25519_key, method="GE T")


def test_shared_vectors() -> None:
    """tests/vectors/binding: the signature and time as the package verifies them, then the binding step."""
    vectors = json.loads((Path(__file__).resolve().parents[1] / "vectors/binding/request-binding.json").read_text())
    key = _native.Key.load_public(vectors["public_key"])
    verifier = _native.Verifier()
    assert len(vectors["cases"]) >= 20
    for case in vectors["cases"]:
        parsed = verifier.parse(case["token"])
        assert verifier.verify_at(parsed, key, float(vectors["now"]))[0] == _native.Status.OK, case["name"]
        request = case["request"]
        digest = None if request["body"] is None else hashlib.sha256(request["body"].encode()).digest()
        status, _ = check_request_binding(parsed, case["policy"], case["audience"], request["method"], request["target"], digest)
        assert status == case["status"], case["name"]


# ---- middleware -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["when-present", "required"])
def test_middleware_accepts_the_bound_request_and_keeps_its_body(alice: User, ed25519_key: Any, binding: Any, policy: str) -> None:
    binding(policy)
    request = post(bound_header(ed25519_key))
    assert authenticated(request)
    assert request.user == alice
    assert request.body == BODY  # the view still reads the body


def test_middleware_leaves_form_data_readable(alice: User, ed25519_key: Any, binding: Any) -> None:
    binding("required")
    form = b"name=x&qty=2"
    header = bound_header(ed25519_key, body=form)
    request = rfactory.post(TARGET, data=form, content_type="application/x-www-form-urlencoded", HTTP_AUTHORIZATION=header)
    assert authenticated(request)
    assert request.POST["qty"] == "2"


@pytest.mark.parametrize(
    "tamper",
    [
        {"method": "put"},
        {"target": "/refunds/?id=7"},
        {"target": "/orders/?id=8"},
        {"target": "/orders/"},
        {"body": b'{"qty": 100}'},
    ],
    ids=["method", "path", "query", "no query", "body"],
)
@pytest.mark.parametrize("policy", ["when-present", "required"])
def test_middleware_refuses_a_tampered_request(alice: User, ed25519_key: Any, binding: Any, policy: str, tamper: dict[str, Any]) -> None:
    binding(policy)
    request = post(bound_header(ed25519_key), **tamper)
    assert not authenticated(request)
    # The same token, on the request it was made for, still passes: the refusal spent no nonce
    same_token = request.META["HTTP_AUTHORIZATION"]
    assert authenticated(post(same_token))


def test_middleware_refuses_another_audience(alice: User, ed25519_key: Any, binding: Any) -> None:
    binding("when-present", "shipping")
    assert not authenticated(post(bound_header(ed25519_key)))
    binding("when-present", None)
    assert not authenticated(post(bound_header(ed25519_key)))
    binding("when-present", "billing")
    assert authenticated(post(bound_header(ed25519_key)))


def test_required_refuses_unbound_tokens_when_present_takes_them(alice: User, ed25519_key: Any, binding: Any) -> None:
    binding("required")
    assert not authenticated(post(Token("alice").create_auth_header(ed25519_key)))
    assert not authenticated(post(bound_header(ed25519_key, audience=None)))
    assert not authenticated(post(bound_header(ed25519_key, body=None)))
    binding("when-present")
    assert authenticated(post(Token("alice").create_auth_header(ed25519_key)))


def test_off_ignores_binding_as_upstream_does(alice: User, ed25519_key: Any) -> None:
    request = post(bound_header(ed25519_key), method="put", target="/elsewhere/", body=b"other")
    assert authenticated(request)
    assert not hasattr(request, "_body")  # the body is not read when the policy is off


def test_body_over_the_upload_limit_is_unknown(alice: User, ed25519_key: Any, binding: Any, settings: Any) -> None:
    binding("when-present")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4
    request = post(bound_header(ed25519_key))
    assert not authenticated(request)  # bound to a body the server would not read into memory
    assert authenticated(post(bound_header(ed25519_key, body=None)))


def test_body_of_an_already_read_stream_is_unknown(alice: User, ed25519_key: Any, binding: Any) -> None:
    binding("when-present")
    request = post(bound_header(ed25519_key))
    request.read()  # e.g. an earlier middleware streamed it away
    assert not authenticated(request)


def test_unknown_policy_fails_closed(alice: User, ed25519_key: Any, binding: Any) -> None:
    binding("sometimes")
    assert not authenticated(post(bound_header(ed25519_key)))


# ---- DRF over HTTP with the clients ---------------------------------------------------------------------------------


@pytest.fixture
def live_alice(transactional_db: Any, ed25519_key: Any) -> User:
    user = User.objects.create_user(username="alice")
    PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
    return user


def test_drf_with_binding_clients(live_server: Any, live_alice: User, ed25519_key: Any, binding: Any) -> None:
    requests = pytest.importorskip("requests")
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("rest_framework")
    from asymmetric_jwt_auth.client import HttpxAuth, RequestsAuth

    binding("required", "billing")
    url = f"{live_server.url}/api/whoami/?x=1"
    with requests.Session() as session:
        session.auth = RequestsAuth(ed25519_key, "alice", bind=True, audience="billing")
        assert session.get(url, timeout=10).json()["username"] == "alice"
        assert session.post(url, json={"a": 1}, timeout=10).status_code == 200
        with pytest.raises(ValueError, match="streamed body"):
            session.post(url, data=iter([b"a"]), timeout=10)
        session.auth = RequestsAuth(ed25519_key, "alice", audience="billing")  # not bound: refused under "required"
        assert session.get(url, timeout=10).status_code == 401
        session.auth = RequestsAuth(ed25519_key, "alice", bind=True, audience="shipping")
        assert session.get(url, timeout=10).status_code == 401
    with httpx.Client(auth=HttpxAuth(ed25519_key, "alice", bind=True, audience="billing"), timeout=10) as client:
        assert client.get(url).json()["username"] == "alice"
        assert client.post(url, content=b'{"a": 1}', headers={"Content-Type": "application/json"}).status_code == 200

    # Tampered on the way: a token bound to one request, replayed on others
    header = bound_header(ed25519_key, method="GET", target="/api/whoami/?x=1", body=b"")
    for method, target, body in [("POST", "/api/whoami/?x=1", b""), ("GET", "/api/whoami/?x=2", b""), ("GET", "/api/whoami/", b""),
                                 ("POST", "/api/whoami/?x=1", b"{}")]:
        response = requests.request(method, live_server.url + target, data=body, headers={"Authorization": header}, timeout=10)
        assert response.status_code == 401, (method, target, body)
    assert requests.get(url, headers={"Authorization": header}, timeout=10).status_code == 200


# ---- upstream 1.x ignores the bound claims --------------------------------------------------------------------------


@pytest.mark.interop
def test_bound_tokens_verify_on_upstream(upstream_python: str, ed25519_key: Any, rsa_key: Any) -> None:
    commands = []
    for key in (ed25519_key, rsa_key):
        token = bound_header(key).split(" ", 1)[1]
        commands.append({"cmd": "verify", "public_key": key.public_key.as_pem.decode(), "token": token})
    answers = run_upstream(upstream_python, {"cmd": "batch", "commands": commands})
    assert [answer["username"] for answer in answers] == ["alice", "alice"]
