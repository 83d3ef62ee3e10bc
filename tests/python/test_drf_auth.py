"""asymmetric_jwt_auth.drf.JWTAuthentication in-process (DRF's test client): alone, beside the middleware, and its
OpenAPI security scheme."""

from typing import Any
from unittest import mock

import pytest

pytest.importorskip("rest_framework")

from django.contrib.auth.models import User  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from rest_framework.exceptions import AuthenticationFailed  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from asymmetric_jwt_auth.drf import JWTAuthentication  # noqa: E402
from asymmetric_jwt_auth.models import PublicKey  # noqa: E402
from asymmetric_jwt_auth.repos.django import DjangoPublicKeyListRepository  # noqa: E402
from asymmetric_jwt_auth.tokens import Token  # noqa: E402

pytestmark = pytest.mark.django_db

WITHOUT_JWT_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


@pytest.fixture
def alice(ed25519_key: Any) -> User:
    user = User.objects.create_user(username="alice")
    PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
    return user


def get(header: str | None, path: str = "/api/whoami/") -> Any:
    client = APIClient(enforce_csrf_checks=True)
    return client.get(path, **({"HTTP_AUTHORIZATION": header} if header else {}))


@pytest.mark.parametrize("with_middleware", [True, False])
def test_accepts_a_token_once(settings: Any, alice: User, ed25519_key: Any, with_middleware: bool) -> None:
    if not with_middleware:
        settings.MIDDLEWARE = WITHOUT_JWT_MIDDLEWARE
    header = Token("alice").create_auth_header(ed25519_key)
    response = get(header)
    assert response.status_code == 200
    assert response.json() == {"username": "alice", "token_username": "alice"}
    replayed = get(header)
    assert replayed.status_code == 401
    assert replayed["WWW-Authenticate"] == "JWT"


def test_verifies_once_beside_the_middleware(alice: User, ed25519_key: Any) -> None:
    with mock.patch.object(DjangoPublicKeyListRepository, "attempt_to_verify_token", autospec=True, side_effect=DjangoPublicKeyListRepository.attempt_to_verify_token) as verify:
        assert get(Token("alice").create_auth_header(ed25519_key)).status_code == 200
    assert verify.call_count == 1


def test_post_without_csrf_token(settings: Any, alice: User, ed25519_key: Any) -> None:
    settings.MIDDLEWARE = WITHOUT_JWT_MIDDLEWARE
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/whoami/", {}, HTTP_AUTHORIZATION=Token("alice").create_auth_header(ed25519_key))
    assert response.status_code == 200


def test_other_schemes_are_left_to_other_classes(alice: User) -> None:
    # No JWT: authenticate() says "not mine" (None), so a following class may authenticate the request
    response = get("Basic YWxpY2U6cGFzc3dvcmQ=")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "JWT"
    for headers in ({"HTTP_AUTHORIZATION": "Basic YWxpY2U6cGFzc3dvcmQ="}, {}):
        assert JWTAuthentication().authenticate(Request(RequestFactory().get("/", **headers))) is None


@pytest.mark.parametrize("header", ["JWT ", "JWT not-a-token", "jwt a.b.c"])
def test_a_refused_jwt_raises(header: str) -> None:
    with pytest.raises(AuthenticationFailed):
        JWTAuthentication().authenticate(Request(RequestFactory().get("/", HTTP_AUTHORIZATION=header)))


def test_session_authentication_sees_the_middleware_user(alice: User, ed25519_key: Any) -> None:
    # The baseline view of the benchmark authenticates sessions only; the middleware's user is the session user
    # there (DRF's SessionAuthentication reads request._request.user), so a token passes through the middleware
    response = get(Token("alice").create_auth_header(ed25519_key), "/api/session-whoami/")
    assert response.status_code == 200


def test_custom_auth_method_is_the_challenge(settings: Any, alice: User) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"AUTH_METHOD": "SIGNED"}
    assert get(None)["WWW-Authenticate"] == "SIGNED"


def test_openapi_security_scheme(settings: Any) -> None:
    pytest.importorskip("drf_spectacular")
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["securitySchemes"]["JWT"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": mock.ANY,
    }
    assert schema["paths"]["/api/whoami/"]["get"]["security"] == [{"JWT": []}]
