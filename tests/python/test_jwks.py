"""Trusted JWKS endpoints: cache TTL, stale keys on failure, refresh cooldown, and the bounded https fetch."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock
import ipaddress
import json
import socket
import ssl
import threading
import time

from django.contrib.auth.models import User
from django.core.cache import cache
from freezegun import freeze_time
import pytest

from asymmetric_jwt_auth import jwks, keys, models, tokens
from asymmetric_jwt_auth.exceptions import JWKSFetchError, SigningKeyNotFound

URL = "https://example.com/.well-known/jwks.json"


def jwks_body(*public_keys: Any) -> bytes:
    return json.dumps({"keys": [key.as_jwk for key in public_keys]}).encode()


@pytest.fixture
def fetch() -> Iterator[mock.MagicMock]:
    with mock.patch.object(jwks, "_fetch_jwks") as mocked:
        yield mocked


@pytest.fixture
def queue_refresh() -> Iterator[mock.MagicMock]:
    with mock.patch.object(jwks, "_queue_refresh") as mocked:
        yield mocked


@pytest.fixture(scope="module")
def key() -> Any:
    return keys.RSAPrivateKey.generate().public_key


def test_first_use_fetches_inline_then_serves_from_cache(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    for _ in range(3):
        assert jwks.get_signing_key(URL, key.fingerprint) == key
    assert fetch.call_count == 1
    queue_refresh.assert_not_called()


def test_lookup_by_jwk_kid_or_fingerprint(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    jwk = key.as_jwk
    jwk["kid"] = "custom-id"
    other = keys.Ed25519PrivateKey.generate().public_key
    other_jwk = other.as_jwk
    del other_jwk["kid"]
    fetch.return_value = {"keys": [jwk, other_jwk]}
    assert jwks.get_signing_key(URL, "custom-id") == key
    assert jwks.get_signing_key(URL, other.fingerprint) == other
    with pytest.raises(SigningKeyNotFound):
        jwks.get_signing_key(URL, None)


def test_stale_set_is_used_while_refreshing_in_background(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    with freeze_time() as frozen:
        jwks.get_signing_key(URL, key.fingerprint)
        frozen.tick(timedelta(minutes=6))
        assert jwks.get_signing_key(URL, key.fingerprint) == key
        assert jwks.get_signing_key(URL, key.fingerprint) == key
    assert fetch.call_count == 1
    queue_refresh.assert_called_once_with(URL)


def test_unknown_kid_refreshes_at_most_once_per_cooldown(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    with freeze_time() as frozen:
        jwks.get_signing_key(URL, key.fingerprint)
        for _ in range(3):
            with pytest.raises(SigningKeyNotFound):
                jwks.get_signing_key(URL, "unknown")
        queue_refresh.assert_not_called()  # the inline first fetch started the cooldown
        frozen.tick(timedelta(seconds=31))
        for _ in range(3):
            with pytest.raises(SigningKeyNotFound):
                jwks.get_signing_key(URL, "unknown")
    queue_refresh.assert_called_once_with(URL)
    assert fetch.call_count == 1


def test_rotated_key_accepted_once_the_refresh_lands(fetch: mock.MagicMock, key: Any) -> None:
    new_key = keys.Ed25519PrivateKey.generate().public_key
    fetch.return_value = jwks_body(key)
    with freeze_time() as frozen, mock.patch.object(jwks, "_queue_refresh", side_effect=jwks._refresh):
        jwks.get_signing_key(URL, key.fingerprint)
        fetch.return_value = jwks_body(new_key)
        frozen.tick(timedelta(seconds=31))
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, new_key.fingerprint)  # answered from the cache; triggers the refresh
        assert jwks.get_signing_key(URL, new_key.fingerprint) == new_key
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)
    assert fetch.call_count == 2


def test_failed_refresh_keeps_cached_keys_until_max_age(fetch: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    with freeze_time() as frozen, mock.patch.object(jwks, "_queue_refresh", side_effect=jwks._refresh):
        jwks.get_signing_key(URL, key.fingerprint)
        fetch.side_effect = JWKSFetchError("down")
        frozen.tick(timedelta(minutes=6))
        assert jwks.get_signing_key(URL, key.fingerprint) == key
        assert jwks.get_signing_key(URL, key.fingerprint) == key
        assert fetch.call_count == 2
        frozen.tick(timedelta(minutes=55))
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)
        # Once the endpoint answers again, the next request past the cooldown fetches inline and works
        fetch.side_effect = None
        frozen.tick(timedelta(seconds=31))
        assert jwks.get_signing_key(URL, key.fingerprint) == key


def test_failing_endpoint_is_not_fetched_on_every_request(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    fetch.side_effect = JWKSFetchError("down")
    with freeze_time() as frozen:
        for _ in range(3):
            with pytest.raises(SigningKeyNotFound):
                jwks.get_signing_key(URL, key.fingerprint)
        assert fetch.call_count == 1
        frozen.tick(timedelta(seconds=31))
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)
    assert fetch.call_count == 2
    queue_refresh.assert_not_called()


@pytest.mark.parametrize("payload", [b'{"keys": []}', b'{"keys": [{"kty": "nope"}]}', b'["not", "a", "dict"]', b"not json", b"\xff\xfe"])
def test_unusable_key_sets(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any, payload: bytes) -> None:
    fetch.return_value = payload
    with pytest.raises(SigningKeyNotFound):
        jwks.get_signing_key(URL, key.fingerprint)


def test_malformed_response_doesnt_replace_cached_key_set(fetch: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    fetched_at = jwks._refresh(URL)["fetched_at"]
    for payload in (b'{"error": "temporarily unavailable"}', b'{"keys": "nope"}'):
        fetch.return_value = payload
        jwks._refresh(URL)
        entry = cache.get(jwks._cache_key(URL))
        assert entry["fetched_at"] == fetched_at
        assert jwks.get_signing_key(URL, key.fingerprint) == key


def test_refresh_function_reports_success(fetch: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    assert jwks.refresh(URL) is True
    fetch.side_effect = JWKSFetchError("down")
    assert jwks.refresh(URL) is False


def test_cache_is_shared_through_django_cache(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    """Another process (simulated: empty per-process state) reuses what this one fetched."""
    fetch.return_value = jwks_body(key)
    jwks.get_signing_key(URL, key.fingerprint)
    jwks._signing_keys_by_url.clear()
    assert jwks.get_signing_key(URL, key.fingerprint) == key
    assert fetch.call_count == 1


def test_refresh_worker_fetches_in_a_thread_once_per_url(fetch: mock.MagicMock, key: Any) -> None:
    fetching, release = threading.Event(), threading.Event()

    def slow_fetch(url: str) -> bytes:
        fetching.set()
        release.wait(5)
        return jwks_body(key)

    fetch.side_effect = slow_fetch
    worker = jwks._RefreshWorker()
    worker.submit(URL)
    assert fetching.wait(5)
    worker.submit(URL)  # already pending: not queued again
    release.set()
    deadline = time.monotonic() + 5
    while URL in worker._pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert URL not in worker._pending
    assert fetch.call_count == 1
    assert cache.get(jwks._cache_key(URL))["jwks"] is not None


def test_refresh_worker_survives_thread_start_failure(caplog: pytest.LogCaptureFixture) -> None:
    worker = jwks._RefreshWorker()
    with mock.patch.object(jwks.threading.Thread, "start", side_effect=RuntimeError("can't start new thread")):
        worker.submit(URL)
    assert worker._pid is None
    assert "Failed to start the JWKS refresh thread" in caplog.text


@pytest.mark.django_db
def test_model_get_signing_key(fetch: mock.MagicMock, key: Any) -> None:
    private = keys.Ed25519PrivateKey.generate()
    fetch.return_value = jwks_body(key, private.public_key)
    user = User.objects.create_user(username="foo")
    trust = models.JWKSEndpointTrust.objects.create(user=user, jwks_url=URL)
    untrusted = tokens.UntrustedToken(tokens.Token("foo").sign(private))
    assert trust.get_signing_key(untrusted) == private.public_key
    assert isinstance(trust.get_signing_key(untrusted), keys.Ed25519PublicKey)


@pytest.mark.django_db
def test_deprecated_pyjwt_client(fetch: mock.MagicMock) -> None:
    from jwt import PyJWKClient

    user = User.objects.create_user(username="foo")
    trust = models.JWKSEndpointTrust.objects.create(user=user, jwks_url=URL)
    with pytest.warns(DeprecationWarning):
        client = trust.jwks_client
    assert isinstance(client, PyJWKClient)
    with pytest.warns(DeprecationWarning):
        assert models.get_jwks_client(URL) is client


# ---- fetching over the network (loopback only) ---------------------------------------------------------------

BODY = b'{"keys": []}'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        try:
            if self.path == "/slow-headers":
                for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 200:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.02)
                return
            if self.path == "/negative-chunk":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n" + b"x" * 100_000)
                return
            if self.path == "/chunked":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"ke\r\n8\r\nys\": []}\r\n0\r\n\r\n")
                return
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/jwks")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/missing":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b" " * 1000 + BODY if self.path == "/big" else BODY
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) * (200 if self.path == "/slow-body" else 1)))
            self.end_headers()
            if self.path == "/slow-body":
                for _ in range(200):
                    self.wfile.write(body)
                    self.wfile.flush()
                    time.sleep(0.02)
            else:
                self.wfile.write(body)
                self.wfile.flush()
                if self.path == "/keep-open":
                    time.sleep(2)  # keeps the connection open: the reader must stop at Content-Length
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """Failed handshakes are expected here (untrusted certificate tests): no tracebacks on stderr."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _serve(server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def http_server() -> Iterator[ThreadingHTTPServer]:
    server = _serve(QuietServer(("127.0.0.1", 0), Handler))
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ThreadingHTTPServer, ssl.SSLContext]]:
    """An https server with a self-signed certificate for 127.0.0.1, and a client context trusting only it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_path, key_path)
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    _serve(server)
    client_context = ssl.create_default_context(cadata=cert.public_bytes(serialization.Encoding.PEM).decode())
    yield server, client_context
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch_limits(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_FETCH_TIMEOUT": 0.5, "JWKS_MAX_RESPONSE_BYTES": 500}


def url(server: ThreadingHTTPServer, path: str, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{server.server_address[1]}{path}"


def test_fetch_over_http_to_loopback(http_server: ThreadingHTTPServer, fetch_limits: None) -> None:
    assert jwks._fetch_jwks(url(http_server, "/jwks")) == BODY
    assert jwks._fetch_jwks(url(http_server, "/chunked")) == BODY
    assert jwks._fetch_jwks(f"http://localhost:{http_server.server_address[1]}/jwks?x=1") == BODY


def test_reader_stops_at_content_length(http_server: ThreadingHTTPServer, fetch_limits: None) -> None:
    started = time.monotonic()
    assert jwks._fetch_jwks(url(http_server, "/keep-open")) == BODY
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("path", ["/slow-body", "/slow-headers"])
def test_whole_download_has_one_deadline(http_server: ThreadingHTTPServer, fetch_limits: None, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(JWKSFetchError):
        jwks._fetch_jwks(url(http_server, path))
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("path", ["/big", "/negative-chunk"])
def test_response_size_is_capped(http_server: ThreadingHTTPServer, fetch_limits: None, path: str) -> None:
    with pytest.raises(JWKSFetchError, match="larger than 500 bytes"):
        jwks._fetch_jwks(url(http_server, path))


@pytest.mark.parametrize("path", ["/redirect", "/missing"])
def test_redirects_and_errors_are_failures(http_server: ThreadingHTTPServer, fetch_limits: None, path: str) -> None:
    with pytest.raises(JWKSFetchError, match="HTTP"):
        jwks._fetch_jwks(url(http_server, path))


def test_https(tls: tuple[ThreadingHTTPServer, ssl.SSLContext], fetch_limits: None) -> None:
    server, client_context = tls
    with mock.patch.object(jwks, "_ssl_context", lambda: client_context):
        assert jwks._fetch_jwks(url(server, "/jwks", "https")) == BODY
        started = time.monotonic()
        with pytest.raises(JWKSFetchError):
            jwks._fetch_jwks(url(server, "/slow-body", "https"))
        assert time.monotonic() - started < 1.2
    # The default context does not trust the self-signed certificate
    with pytest.raises(JWKSFetchError):
        jwks._fetch_jwks(url(server, "/jwks", "https"))


def test_stalled_tls_handshake_times_out(fetch_limits: None) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        started = time.monotonic()
        with pytest.raises(JWKSFetchError):
            jwks._fetch_jwks(f"https://127.0.0.1:{listener.getsockname()[1]}/")
        assert time.monotonic() - started < 1.2
    finally:
        listener.close()


@pytest.mark.parametrize(
    "value",
    ["http://example.com/jwks.json", "http://10.0.0.1/jwks.json", "file:///etc/passwd", "ftp://example.com/x", "https:///nohost", "gopher://127.0.0.1/"],
)
def test_only_https_urls_are_fetched(value: str) -> None:
    with pytest.raises(JWKSFetchError):
        jwks.check_jwks_url(value)


@pytest.mark.parametrize("value", ["https://example.com/jwks.json", "http://127.0.0.1:8000/jwks", "http://[::1]/jwks", "http://localhost/jwks", "http://127.1.2.3/"])
def test_https_or_loopback_http_allowed(value: str) -> None:
    jwks.check_jwks_url(value)


def test_setting_allows_plain_http(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_ALLOW_INSECURE_HTTP": True}
    assert jwks.check_jwks_url("http://example.com:8080/a?b=c") == ("http", "example.com", 8080, "/a?b=c")
    with pytest.raises(JWKSFetchError):
        jwks.check_jwks_url("file:///etc/passwd")


def test_unreachable_endpoint_is_a_failed_fetch(fetch_limits: None) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    with pytest.raises(JWKSFetchError):
        jwks._fetch_jwks(f"http://127.0.0.1:{port}/")


def test_end_to_end_refresh_from_a_server(settings: Any, key: Any) -> None:
    class KeysHandler(Handler):
        def do_GET(self) -> None:
            body = jwks_body(key)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = _serve(ThreadingHTTPServer(("127.0.0.1", 0), KeysHandler))
    try:
        assert jwks.get_signing_key(url(server, "/jwks.json"), key.fingerprint) == key
    finally:
        server.shutdown()
        server.server_close()


def test_encryption_keys_are_not_used_for_signatures(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    jwk = dict(key.as_jwk, use="enc")
    fetch.return_value = {"keys": [jwk]}
    with pytest.raises(SigningKeyNotFound):
        jwks.get_signing_key(URL, key.fingerprint)
