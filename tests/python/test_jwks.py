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


def jwks_body(*public_keys: Any) -> dict[str, Any]:
    """What _fetch_jwks returns (and what tests written for 1.3.0 make its double return): the decoded document."""
    return {"keys": [key.as_jwk for key in public_keys]}


def signing_key(url: str, kid: str | None) -> Any:
    return jwks.get_signing_key(url, kid).public_key


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
        assert signing_key(URL, key.fingerprint) == key
    assert fetch.call_count == 1
    queue_refresh.assert_not_called()


def test_lookup_by_jwk_kid_or_fingerprint(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    jwk = key.as_jwk
    jwk["kid"] = "custom-id"
    other = keys.Ed25519PrivateKey.generate().public_key
    other_jwk = other.as_jwk
    del other_jwk["kid"]
    fetch.return_value = {"keys": [jwk, other_jwk]}
    assert signing_key(URL, "custom-id") == key
    assert signing_key(URL, other.fingerprint) == other
    with pytest.raises(SigningKeyNotFound):
        jwks.get_signing_key(URL, None)


def test_stale_set_is_used_while_refreshing_in_background(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    with freeze_time() as frozen:
        jwks.get_signing_key(URL, key.fingerprint)
        frozen.tick(timedelta(minutes=6))
        assert signing_key(URL, key.fingerprint) == key
        assert signing_key(URL, key.fingerprint) == key
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
        assert signing_key(URL, new_key.fingerprint) == new_key
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)
    assert fetch.call_count == 2


def test_failed_refresh_keeps_cached_keys_until_max_age(fetch: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    with freeze_time() as frozen, mock.patch.object(jwks, "_queue_refresh", side_effect=jwks._refresh):
        jwks.get_signing_key(URL, key.fingerprint)
        fetch.side_effect = JWKSFetchError("down")
        frozen.tick(timedelta(minutes=6))
        assert signing_key(URL, key.fingerprint) == key
        assert signing_key(URL, key.fingerprint) == key
        assert fetch.call_count == 2
        frozen.tick(timedelta(minutes=55))
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)
        # Once the endpoint answers again, the refresh that request scheduled lands, and the next one works
        fetch.side_effect = None
        frozen.tick(timedelta(seconds=31))
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)  # never fetched inline once something is cached (as 1.3.0)
        assert signing_key(URL, key.fingerprint) == key


def test_failing_endpoint_is_not_fetched_on_every_request(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    fetch.side_effect = JWKSFetchError("down")
    with freeze_time() as frozen:
        for _ in range(3):
            with pytest.raises(SigningKeyNotFound):
                jwks.get_signing_key(URL, key.fingerprint)
        assert fetch.call_count == 1
        queue_refresh.assert_not_called()
        frozen.tick(timedelta(seconds=31))
        for _ in range(3):
            with pytest.raises(SigningKeyNotFound):
                jwks.get_signing_key(URL, key.fingerprint)
    # Past the cooldown, one background refresh; the request itself never waits for the failing endpoint again
    assert fetch.call_count == 1
    queue_refresh.assert_called_once_with(URL)


@pytest.mark.parametrize("payload", [{"keys": []}, {"keys": [{"kty": "nope"}]}, ["not", "a", "dict"], "not json", None, {"keys": [{"kty": {"deep": [1]}}]}])
def test_unusable_key_sets(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any, payload: object) -> None:
    fetch.return_value = payload
    with pytest.raises(SigningKeyNotFound):
        jwks.get_signing_key(URL, key.fingerprint)


def test_malformed_response_doesnt_replace_cached_key_set(fetch: mock.MagicMock, key: Any) -> None:
    fetch.return_value = jwks_body(key)
    fetched_at = jwks._refresh(URL)["fetched_at"]
    for payload in ({"error": "temporarily unavailable"}, {"keys": "nope"}):
        fetch.return_value = payload
        jwks._refresh(URL)
        entry = cache.get(jwks._cache_key(URL))
        assert entry["fetched_at"] == fetched_at
        assert signing_key(URL, key.fingerprint) == key


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
    assert signing_key(URL, key.fingerprint) == key
    assert fetch.call_count == 1


def test_refresh_worker_fetches_in_a_thread_once_per_url(fetch: mock.MagicMock, key: Any) -> None:
    fetching, release = threading.Event(), threading.Event()

    def slow_fetch(url: str) -> dict[str, Any]:
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

#: A name no resolver answers (RFC 6761), that the test certificate also holds
TLS_NAME = "jwks.example.test"
BODY = b'{"keys": []}'
DECODED = {"keys": []}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    #: Every request target received, in order
    seen_paths: list[str] = []

    def do_GET(self) -> None:
        Handler.seen_paths.append(self.path)
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
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ThreadingHTTPServer, ssl.SSLContext, str]]:
    """
    An https server with a self-signed certificate for 127.0.0.1 and jwks.example.test, a client context trusting
    only it, and the certificate's PEM file.
    """
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
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName(TLS_NAME)]),
            critical=False,
        )
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
    yield server, client_context, str(cert_path)
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch_limits(settings: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_FETCH_TIMEOUT": 0.5, "JWKS_MAX_RESPONSE_BYTES": 500}


def url(server: ThreadingHTTPServer, path: str, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{server.server_address[1]}{path}"


def test_fetch_over_http_to_loopback(http_server: ThreadingHTTPServer, fetch_limits: None) -> None:
    assert jwks._fetch_jwks(url(http_server, "/jwks")) == DECODED
    assert jwks._fetch_jwks(url(http_server, "/chunked")) == DECODED
    assert jwks._fetch_jwks(f"http://localhost:{http_server.server_address[1]}/jwks?x=1") == DECODED


def test_reader_stops_at_content_length(http_server: ThreadingHTTPServer, fetch_limits: None) -> None:
    started = time.monotonic()
    assert jwks._fetch_jwks(url(http_server, "/keep-open")) == DECODED
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


def test_https(tls: tuple[ThreadingHTTPServer, ssl.SSLContext, str], fetch_limits: None) -> None:
    server, client_context, _ = tls
    with mock.patch.object(jwks, "_ssl_context", lambda: client_context):
        assert jwks._fetch_jwks(url(server, "/jwks", "https")) == DECODED
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
    ["http://93.184.215.14/jwks.json", "http://10.0.0.1/jwks.json", "file:///etc/passwd", "ftp://example.com/x", "https:///nohost", "gopher://127.0.0.1/"],
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
            body = json.dumps(jwks_body(key)).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = _serve(ThreadingHTTPServer(("127.0.0.1", 0), KeysHandler))
    try:
        assert signing_key(url(server, "/jwks.json"), key.fingerprint) == key
    finally:
        server.shutdown()
        server.server_close()


def test_encryption_keys_are_not_used_for_signatures(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any) -> None:
    jwk = dict(key.as_jwk, use="enc")
    fetch.return_value = {"keys": [jwk]}
    with pytest.raises(SigningKeyNotFound):
        jwks.get_signing_key(URL, key.fingerprint)


# ---- URLs, addresses, proxies, CA bundle (issue 20's JWKS findings) --------------------------------------------


def test_non_ascii_url_is_encoded_for_the_request(http_server: ThreadingHTTPServer, fetch_limits: None) -> None:
    """A path with non-ASCII characters once raised UnicodeEncodeError out of the fetch; it is percent-encoded."""
    assert jwks._fetch_jwks(url(http_server, "/jwks/schlüssel.json?q=ä")) == DECODED
    assert Handler.seen_paths[-1] == "/jwks/schl%C3%BCssel.json?q=%C3%A4"


def test_check_jwks_url_gives_ascii_parts() -> None:
    assert jwks.check_jwks_url("https://Bücher.example/a b/ü?x=%41&y=é#frag") == ("https", "xn--bcher-kva.example", 443, "/a%20b/%C3%BC?x=%41&y=%C3%A9")
    assert jwks.check_jwks_url("https://[2606:4700::1111]:8443/k") == ("https", "2606:4700::1111", 8443, "/k")
    for invalid in ("https://exa_mple.com/", "https://a..b/", "https://ex\u200bample.com:99999/", "https://-x.example/", "https://example.com/\r\nX: y"):
        with pytest.raises(JWKSFetchError):
            jwks.check_jwks_url(invalid)


def test_any_failure_of_a_fetch_is_a_failed_fetch(fetch: mock.MagicMock, queue_refresh: mock.MagicMock, key: Any, caplog: pytest.LogCaptureFixture) -> None:
    for error in (UnicodeEncodeError("ascii", "ü", 0, 1, "ordinal not in range"), RuntimeError("boom"), RecursionError()):
        cache.clear()
        fetch.side_effect = error
        with pytest.raises(SigningKeyNotFound):
            jwks.get_signing_key(URL, key.fingerprint)
        assert cache.get(jwks._cache_key(URL))["jwks"] is None  # recorded as failed: not retried on every request
    assert caplog.text.count("Failed to fetch JWKS") == 3


@pytest.mark.django_db
@pytest.mark.parametrize("jwks_path_or_host", ["path", "host"])
def test_non_ascii_jwks_url_does_not_lock_out_registered_keys(
    settings: Any, http_server: ThreadingHTTPServer, ed25519_key: Any, jwks_path_or_host: str
) -> None:
    """
    Issue 20: a JWKS URL with non-ASCII characters (saved without validation, e.g. objects.create) made every
    request of its user raise before the registered keys were tried; the user's registered key must still work.
    """
    from django.test import Client

    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_FETCH_TIMEOUT": 1}
    user = User.objects.create_user(username="alice")
    models.PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
    if jwks_path_or_host == "path":
        jwks_url = url(http_server, "/clés/jwks.json")  # served (no key for this token): a fetch that works
    else:
        jwks_url = "https://bücher.invalid/jwks.json"  # never resolves: a failed fetch
    models.JWKSEndpointTrust.objects.create(user=user, jwks_url=jwks_url)
    for _ in range(2):
        response = Client().get("/whoami/", HTTP_AUTHORIZATION=tokens.Token("alice").create_auth_header(ed25519_key))
        assert response.status_code == 200
        assert response.json() == {"authenticated": True, "username": "alice"}


@pytest.mark.django_db
def test_model_validates_and_normalizes_jwks_urls() -> None:
    from django.core.exceptions import ValidationError

    user = User.objects.create_user(username="alice")
    trust = models.JWKSEndpointTrust(user=user, jwks_url="https://Bücher.example/clé/jwks.json")
    trust.full_clean()
    assert trust.jwks_url == "https://xn--bcher-kva.example/cl%C3%A9/jwks.json"
    trust.jwks_url = "https://bücher.example/ä"
    trust.save()  # also on save, for rows made without full_clean()
    assert models.JWKSEndpointTrust.objects.get().jwks_url == "https://xn--bcher-kva.example/%C3%A4"
    for invalid in ("https://169.254.169.254/latest/meta-data/", "http://93.184.215.14/jwks.json", "https://exa_mple.com/jwks.json"):
        with pytest.raises(ValidationError) as raised:
            models.JWKSEndpointTrust(user=user, jwks_url=invalid).full_clean(exclude=["user"])
        assert "jwks_url" in raised.value.message_dict


@pytest.mark.parametrize(
    "value",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/jwks.json",
        "https://172.16.0.1/jwks.json",
        "https://192.168.1.1/jwks.json",
        "https://100.64.0.1/jwks.json",
        "https://0.0.0.0/jwks.json",
        "https://[fd00::1]/jwks.json",
        "https://[fe80::1]/jwks.json",
        "https://[::ffff:10.0.0.1]/jwks.json",
    ],
)
def test_private_and_link_local_addresses_are_refused(value: str, settings: Any) -> None:
    with pytest.raises(JWKSFetchError, match="private, link-local or reserved"):
        jwks._fetch_jwks(value)
    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_ALLOWED_NETWORKS": ["0.0.0.0/0", "::/0"]}
    jwks.check_jwks_url(value)  # the setting lets an operator allow their own networks


def test_names_are_checked_once_resolved(http_server: ThreadingHTTPServer, fetch_limits: None) -> None:
    """The address connected to is checked, so a name cannot point the fetch at a refused address."""
    port = http_server.server_address[1]
    connect = mock.Mock(side_effect=AssertionError("must not connect"))

    def resolving_to(address: str) -> Any:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return mock.patch.object(socket, "getaddrinfo", return_value=[(family, socket.SOCK_STREAM, 6, "", (address, port))])

    with resolving_to("169.254.169.254"), mock.patch.object(socket.socket, "connect", connect):
        with pytest.raises(JWKSFetchError, match="169.254.169.254 is private, link-local"):
            jwks._fetch_jwks(f"https://metadata.example.test:{port}/jwks")
    with resolving_to("93.184.215.14"), mock.patch.object(socket.socket, "connect", connect):
        with pytest.raises(JWKSFetchError, match="must use https"):
            jwks._fetch_jwks(f"http://jwks.example.test:{port}/jwks")
    connect.assert_not_called()
    # Plain http is allowed where the name resolves to loopback (as a literal loopback host)
    with resolving_to("127.0.0.1"):
        assert jwks._fetch_jwks(f"http://jwks.example.test:{port}/jwks") == DECODED


def test_dns_resolution_is_under_the_deadline(fetch_limits: None) -> None:
    release = threading.Event()

    def stuck_resolver(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 9))]

    try:
        with mock.patch.object(socket, "getaddrinfo", stuck_resolver), pytest.raises(JWKSFetchError, match="ran out of time resolving"):
            jwks._fetch_jwks("https://slow-dns.example.test/jwks")
    finally:
        release.set()


def test_ca_bundle_setting(tls: tuple[ThreadingHTTPServer, ssl.SSLContext, str], settings: Any) -> None:
    server, _, cert_path = tls
    with pytest.raises(JWKSFetchError):
        jwks._fetch_jwks(url(server, "/jwks", "https"))
    settings.ASYMMETRIC_JWT_AUTH = {"JWKS_CA_BUNDLE": cert_path, "JWKS_FETCH_TIMEOUT": 2}
    assert jwks._fetch_jwks(url(server, "/jwks", "https")) == DECODED


class _ConnectProxy(threading.Thread):
    """An http proxy on loopback that answers CONNECT by tunnelling to ``upstream``, and records each request head."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        super().__init__(daemon=True)
        self.upstream = upstream
        self.heads: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://user:p%40ss@127.0.0.1:{self.listener.getsockname()[1]}"

    def run(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(1)
            if not chunk:
                return
            head += chunk
        self.heads.append(head)
        server = socket.create_connection(self.upstream)
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(source: socket.socket, sink: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                sink.close()

        threading.Thread(target=pipe, args=(server, client), daemon=True).start()
        pipe(client, server)


def test_https_proxy_and_no_proxy(tls: tuple[ThreadingHTTPServer, ssl.SSLContext, str], settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server, _, cert_path = tls
    port = server.server_address[1]
    proxy = _ConnectProxy(("127.0.0.1", port))
    proxy.start()
    try:
        settings.ASYMMETRIC_JWT_AUTH = {"JWKS_CA_BUNDLE": cert_path, "JWKS_FETCH_TIMEOUT": 2}
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        # The name is the proxy's to resolve (it never resolves here); the certificate is checked end to end
        assert jwks._fetch_jwks(f"https://{TLS_NAME}:{port}/jwks") == DECODED
        assert proxy.heads[0].startswith(f"CONNECT {TLS_NAME}:{port} HTTP/1.1\r\n".encode())
        assert b"Proxy-Authorization: Basic dXNlcjpwQHNz\r\n" in proxy.heads[0]
        # Loopback hosts are never sent to a proxy
        assert jwks._fetch_jwks(f"https://127.0.0.1:{port}/jwks") == DECODED
        monkeypatch.setenv("NO_PROXY", TLS_NAME)
        with pytest.raises(JWKSFetchError):
            jwks._fetch_jwks(f"https://{TLS_NAME}:{port}/jwks")  # direct: the name does not resolve
        assert len(proxy.heads) == 1
    finally:
        proxy.listener.close()


@pytest.mark.parametrize(
    "overrides, error_id",
    [
        ({"JWKS_ALLOWED_NETWORKS": ["10.0.0.0/8", "fd00::/8"]}, None),
        ({"JWKS_ALLOWED_NETWORKS": ["10.0.0.0/33"]}, "asymmetric_jwt_auth.E010"),
        ({"JWKS_ALLOWED_NETWORKS": "10.0.0.0/8"}, "asymmetric_jwt_auth.E010"),
        ({"JWKS_CA_BUNDLE": "/nonexistent/ca.pem"}, "asymmetric_jwt_auth.E011"),
    ],
)
def test_jwks_fetch_settings_are_checked(settings: Any, overrides: dict[str, Any], error_id: str | None) -> None:
    from asymmetric_jwt_auth.checks import check_jwks_fetch_settings

    settings.ASYMMETRIC_JWT_AUTH = overrides
    assert [message.id for message in check_jwks_fetch_settings()] == ([error_id] if error_id else [])


@pytest.mark.django_db
def test_admin_refuses_unfetchable_jwks_urls_and_stores_ascii(admin_client: Any) -> None:
    user = User.objects.create_user(username="alice")
    add_url = "/admin/asymmetric_jwt_auth/jwksendpointtrust/add/"
    response = admin_client.post(add_url, {"user": user.pk, "jwks_url": "https://169.254.169.254/latest/meta-data/"})
    assert response.status_code == 200  # the form again, with the error
    assert "private, link-local or reserved" in response.content.decode()
    assert not models.JWKSEndpointTrust.objects.exists()
    response = admin_client.post(add_url, {"user": user.pk, "jwks_url": "https://Bücher.example/clé/jwks.json"})
    assert response.status_code == 302
    assert models.JWKSEndpointTrust.objects.get().jwks_url == "https://xn--bcher-kva.example/cl%C3%A9/jwks.json"
