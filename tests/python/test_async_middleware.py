"""
JWTAuthMiddleware in Django's sync and async stacks (the sync_and_async_middleware pattern): Django builds
it in the mode of the stack (no adapter around it), and the async path — driven by Django's AsyncClient
through ASGIHandler — authenticates, refuses replays, lifts CSRF checks, and never blocks the event loop,
also while a JWKS endpoint is slow. test_middleware.py has the sync cases and two async basics.
"""

from typing import Any
import asyncio
import logging
import time

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.contrib.auth.models import User
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import AsyncClient, AsyncRequestFactory, Client
import pytest

from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
from asymmetric_jwt_auth.tokens import Token
from conftest_services import JWKSEndpoint

pytestmark = pytest.mark.django_db

ANONYMOUS = {"authenticated": False, "username": None}
ALICE = {"authenticated": True, "username": "alice"}
MIDDLEWARE_PATH = "asymmetric_jwt_auth.middleware.JWTAuthMiddleware"


@pytest.fixture
def alice(ed25519_key: Any, rsa_key: Any, ec_key: Any) -> Any:
    user = User.objects.create_user(username="alice")
    for key in (ed25519_key, rsa_key, ec_key):
        PublicKey.objects.create(user=user, key=key.public_key.as_pem.decode())
    return user


def our_middleware(handler: Any) -> JWTAuthMiddleware:
    """Our instance in a loaded handler's middleware chain."""
    layer = handler._middleware_chain
    for _ in range(50):
        target = getattr(layer, "__wrapped__", layer)
        if isinstance(target, JWTAuthMiddleware):
            return target
        layer = getattr(target, "get_response", None)
        if layer is None:
            break
    raise AssertionError("JWTAuthMiddleware not found in the middleware chain")


@pytest.mark.parametrize("handler_class, is_async", [(WSGIHandler, False), (ASGIHandler, True)])
def test_built_in_the_mode_of_the_stack_without_adapters(settings: Any, caplog: pytest.LogCaptureFixture, handler_class: Any, is_async: bool) -> None:
    settings.DEBUG = True  # Django logs every adapter it inserts, in debug mode only
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        handler = handler_class()
    instance = our_middleware(handler)
    assert instance._is_async is is_async
    assert iscoroutinefunction(instance) is is_async
    adapted = [record.getMessage() for record in caplog.records if "adapted for" in record.getMessage()]
    assert not [message for message in adapted if MIDDLEWARE_PATH in message], adapted
    assert JWTAuthMiddleware.sync_capable and JWTAuthMiddleware.async_capable


def test_async_stack_authenticates_every_key_type(alice: Any, ed25519_key: Any, rsa_key: Any, ec_key: Any) -> None:
    async def requests() -> list[Any]:
        client = AsyncClient()
        answers = []
        for key in (ed25519_key, rsa_key, ec_key):
            for path in ("/whoami/async/", "/whoami/"):  # an async view, and a sync view under ASGI
                response = await client.get(path, headers={"authorization": Token("alice").create_auth_header(key)})
                answers.append(response.json())
        answers.append((await client.get("/whoami/async/")).json())
        answers.append((await client.get("/whoami/async/", headers={"authorization": "JWT garbage"})).json())
        return answers

    assert async_to_sync(requests)() == [ALICE] * 6 + [ANONYMOUS] * 2


def test_async_concurrent_replays_of_one_token(alice: Any, ed25519_key: Any) -> None:
    header = Token("alice").create_auth_header(ed25519_key)

    async def requests() -> list[Any]:
        client = AsyncClient()
        responses = await asyncio.gather(*(client.get("/whoami/async/", headers={"authorization": header}) for _ in range(8)))
        return [response.json() for response in responses]

    answers = async_to_sync(requests)()
    assert answers.count(ALICE) == 1 and answers.count(ANONYMOUS) == 7


def test_async_csrf_lifted_only_for_jwt_requests(alice: Any, ed25519_key: Any) -> None:
    async def requests() -> list[int]:
        client = AsyncClient(enforce_csrf_checks=True)
        plain = await client.post("/whoami/post/")
        signed = await client.post("/whoami/post/", headers={"authorization": Token("alice").create_auth_header(ed25519_key)})
        return [plain.status_code, signed.status_code]

    assert async_to_sync(requests)() == [403, 200]


def test_sync_and_async_stacks_share_replay_protection(alice: Any, ed25519_key: Any) -> None:
    header = Token("alice").create_auth_header(ed25519_key)

    async def async_request() -> Any:
        return (await AsyncClient().get("/whoami/async/", headers={"authorization": header})).json()

    assert Client().get("/whoami/", HTTP_AUTHORIZATION=header).json() == ALICE
    assert async_to_sync(async_request)() == ANONYMOUS


@pytest.fixture
def slow_jwks_user(settings: Any, jwks_endpoint: JWKSEndpoint, ed25519_key: Any) -> float:
    """alice trusts a JWKS endpoint that answers far too late: the fetch times out after the returned seconds."""
    fetch_timeout = 0.8
    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_FETCH_TIMEOUT": fetch_timeout}
    user = User.objects.create_user(username="alice")
    JWKSEndpointTrust.objects.create(user=user, jwks_url=jwks_endpoint.url)
    jwks_endpoint.publish(ed25519_key.public_key)
    jwks_endpoint.delay = 10
    return fetch_timeout


def test_slow_jwks_endpoint_does_not_block_the_event_loop(slow_jwks_user: float, ed25519_key: Any) -> None:
    async def scenario() -> tuple[Any, float, int]:
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        ticking = asyncio.ensure_future(ticker())
        started = time.monotonic()
        response = await AsyncClient().get("/whoami/async/", headers={"authorization": Token("alice").create_auth_header(ed25519_key)})
        elapsed = time.monotonic() - started
        done.set()
        await ticking
        return response.json(), elapsed, ticks

    answer, elapsed, ticks = async_to_sync(scenario)()
    assert answer == ANONYMOUS  # the endpoint timed out: no key, no login
    assert elapsed < slow_jwks_user + 2
    assert ticks >= 20  # the event loop kept running while the fetch waited


def test_requests_without_a_token_do_not_queue_behind_a_slow_verification(slow_jwks_user: float, ed25519_key: Any) -> None:
    """
    Verification runs in Django's one thread for sync code (the ORM needs it); a request without an
    Authorization header has nothing to verify and does not wait for that thread. (Under a full stack, Django's
    own sync-only middleware still queue there.)
    """

    async def get_response(request: Any) -> str:
        return "response"

    middleware = JWTAuthMiddleware(get_response)
    factory = AsyncRequestFactory()

    async def scenario() -> tuple[float, list[float]]:
        async def plain_request() -> float:
            await asyncio.sleep(0.1)  # while the signed request waits for the endpoint
            started = time.monotonic()
            assert await middleware(factory.get("/")) == "response"
            return time.monotonic() - started

        started = time.monotonic()
        signed = factory.get("/", headers={"authorization": Token("alice").create_auth_header(ed25519_key)})
        _, *plain = await asyncio.gather(middleware(signed), plain_request(), plain_request())
        return time.monotonic() - started, plain

    elapsed, plain = async_to_sync(scenario)()
    assert elapsed >= slow_jwks_user * 0.9  # the signed request did wait for the endpoint
    assert max(plain) < 0.2, plain
