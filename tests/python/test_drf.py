"""
asymmetric_jwt_auth.drf.JWTAuthentication and the clients of asymmetric_jwt_auth.client, over real HTTP: the test
project's DRF views (testproject/api.py) on pytest-django's live server (a threaded WSGI server on loopback), called
with requests and httpx (sync and async).
"""

from collections.abc import Iterator
from typing import Any
import asyncio

import pytest

pytest.importorskip("rest_framework")
requests = pytest.importorskip("requests")
httpx = pytest.importorskip("httpx")

from django.contrib.auth.models import User  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402
from urllib3.util.retry import Retry  # noqa: E402

from asymmetric_jwt_auth.client import HttpxAuth, RequestsAuth  # noqa: E402
from asymmetric_jwt_auth.keys import Ed25519PrivateKey  # noqa: E402
from asymmetric_jwt_auth.models import PublicKey  # noqa: E402
from asymmetric_jwt_auth.tokens import Token  # noqa: E402
from testproject.api import Unavailable  # noqa: E402

TIMEOUT = 10


@pytest.fixture
def alice(transactional_db: Any, ed25519_key: Any) -> User:
    user = User.objects.create_user(username="alice")
    PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode(), comment="alice's service")
    return user


@pytest.fixture
def api(live_server: Any) -> str:
    return f"{live_server.url}/api"


@pytest.fixture
def flaky() -> Iterator[type[Unavailable]]:
    Unavailable.failures_left = 1
    Unavailable.authorizations = []
    yield Unavailable
    Unavailable.failures_left = 0


def assert_challenged(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"] == "JWT"


# ---- accepted ------------------------------------------------------------------------------------------------------


def test_requests_client_is_authenticated(api: str, alice: User, ed25519_key: Any) -> None:
    with requests.Session() as session:
        session.auth = RequestsAuth(ed25519_key, "alice")
        for _ in range(3):  # one token each: the session re-signs every request
            response = session.get(f"{api}/whoami/", timeout=TIMEOUT)
            assert response.status_code == 200, response.text
            assert response.json() == {"username": "alice", "token_username": "alice"}


def test_requests_post_needs_no_csrf_token(api: str, alice: User, ed25519_key: Any) -> None:
    response = requests.post(f"{api}/whoami/", json={}, auth=RequestsAuth(ed25519_key, "alice"), timeout=TIMEOUT)
    assert response.status_code == 200, response.text


def test_httpx_sync_client_is_authenticated(api: str, alice: User, ed25519_key: Any) -> None:
    with httpx.Client(auth=HttpxAuth(ed25519_key, "alice"), timeout=TIMEOUT) as client:
        for _ in range(3):
            response = client.get(f"{api}/whoami/")
            assert response.status_code == 200, response.text
            assert response.json()["username"] == "alice"


def test_httpx_async_client_is_authenticated(api: str, alice: User, ed25519_key: Any) -> None:
    async def run() -> list[Any]:
        async with httpx.AsyncClient(auth=HttpxAuth(ed25519_key, "alice"), timeout=TIMEOUT) as client:
            return list(await asyncio.gather(*(client.get(f"{api}/whoami/") for _ in range(3))))

    for response in asyncio.run(run()):
        assert response.status_code == 200, response.text
        assert response.json()["username"] == "alice"


# ---- refused: 401 with the JWT challenge ---------------------------------------------------------------------------


def test_missing_token_is_challenged(api: str, alice: User) -> None:
    assert_challenged(requests.get(f"{api}/whoami/", timeout=TIMEOUT))
    assert_challenged(httpx.get(f"{api}/whoami/", timeout=TIMEOUT))


@pytest.mark.parametrize("header", ["JWT garbage", "JWT a.b.c", "JWT ", "jwt x.y.z"])
def test_invalid_token_is_challenged(api: str, alice: User, header: str) -> None:
    assert_challenged(requests.get(f"{api}/whoami/", headers={"Authorization": header}, timeout=TIMEOUT))


def test_token_of_an_unregistered_key_is_challenged(api: str, alice: User) -> None:
    assert_challenged(requests.get(f"{api}/whoami/", auth=RequestsAuth(Ed25519PrivateKey.generate(), "alice"), timeout=TIMEOUT))


def test_token_of_an_inactive_user_is_challenged(api: str, alice: User, ed25519_key: Any) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert_challenged(requests.get(f"{api}/whoami/", auth=RequestsAuth(ed25519_key, "alice"), timeout=TIMEOUT))


def test_replayed_token_is_challenged(api: str, alice: User, ed25519_key: Any) -> None:
    header = {"Authorization": Token("alice").create_auth_header(ed25519_key)}
    assert requests.get(f"{api}/whoami/", headers=header, timeout=TIMEOUT).status_code == 200
    assert_challenged(requests.get(f"{api}/whoami/", headers=header, timeout=TIMEOUT))
    assert_challenged(httpx.get(f"{api}/whoami/", headers=header, timeout=TIMEOUT))


def test_replaying_the_token_a_requests_response_shows_is_challenged(api: str, alice: User, ed25519_key: Any) -> None:
    # response.request.headers gives the token that was sent (also after re-signing): replaying it is refused
    response = requests.get(f"{api}/whoami/", auth=RequestsAuth(ed25519_key, "alice"), timeout=TIMEOUT)
    assert response.status_code == 200
    assert_challenged(requests.get(f"{api}/whoami/", headers={"Authorization": response.request.headers["Authorization"]}, timeout=TIMEOUT))


# ---- retries and redirects: a fresh token per attempt --------------------------------------------------------------


def test_requests_retry_after_503_gets_a_fresh_token(api: str, alice: User, ed25519_key: Any, flaky: type[Unavailable]) -> None:
    # urllib3 retries beneath requests, re-sending the prepared request's headers: the first attempt's token was
    # verified (its nonce spent) before the view answered 503, so the retry needs a token of its own.
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=Retry(total=2, status_forcelist=[503], backoff_factor=0)))
        session.auth = RequestsAuth(ed25519_key, "alice")
        response = session.get(f"{api}/flaky/", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "alice"
    assert len(flaky.authorizations) == 2
    assert flaky.authorizations[0] != flaky.authorizations[1]


def test_httpx_retry_after_503_gets_a_fresh_token(api: str, alice: User, ed25519_key: Any, flaky: type[Unavailable]) -> None:
    # httpx's transport retries only failed connections; a 503 is retried by sending the request again
    transport = httpx.HTTPTransport(retries=2)
    with httpx.Client(auth=HttpxAuth(ed25519_key, "alice"), transport=transport, timeout=TIMEOUT) as client:
        responses = [client.get(f"{api}/flaky/")]
        while responses[-1].status_code == 503 and len(responses) < 3:
            responses.append(client.get(f"{api}/flaky/"))
    assert [r.status_code for r in responses] == [503, 200]
    assert flaky.authorizations[0] != flaky.authorizations[1]


def test_httpx_async_retry_after_503_gets_a_fresh_token(api: str, alice: User, ed25519_key: Any, flaky: type[Unavailable]) -> None:
    async def run() -> list[int]:
        async with httpx.AsyncClient(auth=HttpxAuth(ed25519_key, "alice"), timeout=TIMEOUT) as client:
            first = await client.get(f"{api}/flaky/")
            second = await client.get(f"{api}/flaky/")
            return [first.status_code, second.status_code]

    assert asyncio.run(run()) == [503, 200]


def test_requests_redirect_gets_a_fresh_token(api: str, alice: User, ed25519_key: Any) -> None:
    # The redirecting view authenticated the first token (spending its nonce): the redirected request passes only
    # with a token of its own
    response = requests.get(f"{api}/redirect/", auth=RequestsAuth(ed25519_key, "alice"), timeout=TIMEOUT)
    assert [r.status_code for r in response.history] == [302]
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "alice"


def test_requests_redirect_to_another_host_drops_the_token(api: str, alice: User, ed25519_key: Any, live_server: Any) -> None:
    # requests drops Authorization on a redirect to another host; re-signing must not put it back
    session = requests.Session()
    session.auth = RequestsAuth(ed25519_key, "alice")
    other_host = live_server.url.replace("localhost", "127.0.0.1") if "localhost" in live_server.url else live_server.url.replace("127.0.0.1", "localhost")
    prepared = session.prepare_request(requests.Request("GET", f"{api}/whoami/"))
    redirect = requests.Response()
    redirect.status_code = 302
    redirect.headers["Location"] = f"{other_host}/api/whoami/"
    redirect.request = prepared
    redirect.url = prepared.url
    redirect._content = b""
    redirect._content_consumed = True
    [followed] = session.resolve_redirects(redirect, prepared, timeout=TIMEOUT)
    assert "Authorization" not in followed.request.headers
    assert_challenged(followed)
