"""
Fixtures of the service tests, imported by conftest.py: the Redis server that scripts/services.sh started
(AJWT_REDIS_URL), private Redis servers a test may stop and restart, a JWKS endpoint on loopback whose
behaviour a test changes on the fly, and a real JWKS refresh thread.

Without the services (a plain scripts/test-python.sh run) the tests that need them are skipped; with
AJWT_REQUIRE_SERVICES=1 (scripts/test-services.sh) they fail instead, so the services run cannot pass by
skipping. Every wait here is bounded.
"""

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock
import json
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

__all__ = [
    "JWKSEndpoint",
    "RedisServer",
    "free_port",
    "jwks_endpoint",
    "real_refresh_worker",
    "redis_cache",
    "redis_server",
    "redis_url",
    "require_service",
    "wait_until",
]


def require_service(reason: str) -> None:
    """Skip the test, or fail it when the services run demands every service test (AJWT_REQUIRE_SERVICES)."""
    if os.environ.get("AJWT_REQUIRE_SERVICES"):
        pytest.fail(f"service test cannot run: {reason}")
    pytest.skip(reason)


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.01) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redis_cache_settings(url: str) -> dict[str, Any]:
    """Django's own Redis backend, with the socket timeouts the README recommends."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }


# ---- Redis ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server of scripts/services.sh, checked to answer."""
    url = os.environ.get("AJWT_REDIS_URL")
    if not url:
        require_service("AJWT_REDIS_URL is not set (start the servers with scripts/services.sh)")
    try:
        import redis
    except ImportError:
        require_service("the redis client is not installed (pip install redis)")
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as e:
        require_service(f"Redis at {url} does not answer: {e}")
    finally:
        client.close()
    return str(url)


@pytest.fixture
def redis_cache(settings: Any, redis_url: str) -> Iterator[str]:
    """Django's default cache on the shared Redis server, emptied before and after the test."""
    from django.core.cache import cache

    settings.CACHES = redis_cache_settings(redis_url)
    cache.clear()
    yield redis_url
    cache.clear()


class RedisServer:
    """A private redis-server process on its own loopback port, which a test may stop and start again."""

    def __init__(self, executable: str, directory: str) -> None:
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [self.executable, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self.answers, timeout, 0.05):
            self.stop()
            raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self, timeout: float = 10) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
        self.process = None


@pytest.fixture
def redis_server(tmp_path: Any) -> Iterator[RedisServer]:
    """A private, running Redis server (needs redis-server: AJWT_REDIS_SERVER or on PATH, and the redis client)."""
    executable = os.environ.get("AJWT_REDIS_SERVER") or shutil.which("redis-server")
    if not executable:
        require_service("redis-server is not installed")
    try:
        import redis  # noqa: F401
    except ImportError:
        require_service("the redis client is not installed (pip install redis)")
    server = RedisServer(str(executable), str(tmp_path))
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ---- JWKS endpoint -------------------------------------------------------------------------------------------


class JWKSEndpoint:
    """
    A JWK Set served over HTTP on loopback, with switches for the failures a real endpoint has: ``down()``
    (connection refused) and ``up()``, ``delay`` (seconds before answering), ``body`` / ``content_type``
    overrides, ``status``. Every GET is counted in ``hits``.
    """

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.delay = 0.0
        self.body: bytes | None = None
        self.content_type = "application/json"
        self.status = 200
        self.hits = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.port = free_port()
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/.well-known/jwks.json"

    def publish(self, *public_keys: Any) -> None:
        self.keys = [key.as_jwk for key in public_keys]

    def count(self) -> int:
        with self._lock:
            return self.hits

    def _respond(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.hits += 1
        if self.delay:
            self._closing.wait(self.delay)  # teardown ends a slow answer early
        body = self.body if self.body is not None else json.dumps({"keys": self.keys}).encode()
        handler.send_response(self.status)
        handler.send_header("Content-Type", self.content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def up(self) -> None:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                try:
                    endpoint._respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self._server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def down(self) -> None:
        """Stop listening: fetches now get 'connection refused'."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def close(self) -> None:
        self._closing.set()
        self.down()


@pytest.fixture
def jwks_endpoint() -> Iterator[JWKSEndpoint]:
    endpoint = JWKSEndpoint()
    try:
        yield endpoint
    finally:
        endpoint.close()


@pytest.fixture
def real_refresh_worker() -> Iterator[Any]:
    """
    The JWKS background refresh as in production (a thread per process), instead of conftest's inert one. At
    teardown waits (bounded) for queued refreshes, so none runs into the next test.
    """
    from asymmetric_jwt_auth import jwks

    worker = jwks._RefreshWorker()
    with mock.patch.object(jwks, "_refresh_worker", worker):
        yield worker
        wait_until(lambda: not worker._pending, 10)
