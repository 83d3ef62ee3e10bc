"""
Keys of trusted JSON Web Key Set (JWKS) endpoints, cached in Django's cache (so shared between processes).

- A key set is fetched with a deadline for the whole download (connect, TLS, headers and body) and a size
  cap, never following redirects, over https only (plain http for loopback hosts, or anywhere when
  ``JWKS_ALLOW_INSECURE_HTTP`` is set).
- A cached set older than ``JWKS_CACHE_TTL`` is still used while it is refreshed in a background thread.
  A failed refresh keeps the cached keys, until ``JWKS_CACHE_MAX_AGE`` after the last successful fetch.
- A token naming an unknown key ID schedules a background refresh, at most once per
  ``JWKS_REFRESH_COOLDOWN`` per endpoint (across processes: the cooldown is a cache lock).
- A request waits for a fetch only when nothing usable is cached (first use, or a set past its maximum
  age), again at most once per cooldown.

Requests otherwise only read the cache, so the response time does not reveal whether the user a token
claims to be trusts a JWKS endpoint. JSON and key parsing are libajwt's (``ajwt_keyset_parse_jwks``).
"""

from typing import Any, TypedDict
from urllib.parse import urlsplit
import hashlib
import http.client
import io
import ipaddress
import json
import logging
import os
import queue
import socket
import ssl
import threading
import time

from django.core.cache import cache
from django.db import close_old_connections

from . import _native, get_setting, keys
from .exceptions import AJWTError, JWKSFetchError, SigningKeyNotFound

logger = logging.getLogger(__name__)

#: Cache key prefix. Bump when ``CachedKeySet`` changes, so entries written by other versions read as a miss.
_CACHE_KEY_PREFIX = "asymmetric_jwt_auth-jwks-v3"
#: Read for users without a JWKS endpoint, so that every request does one same-sized cache read.
DECOY_CACHE_KEY = f"{_CACHE_KEY_PREFIX}-decoy"


class CachedKeySet(TypedDict):
    #: When the endpoint last returned a usable key set (0.0: never).
    fetched_at: float
    #: When a fetch was last attempted.
    checked_at: float
    #: The JWKS document text of the last successful fetch, or None.
    jwks: str | None


def _cache_key(jwks_url: str) -> str:
    return f"{_CACHE_KEY_PREFIX}-{hashlib.sha256(jwks_url.encode()).hexdigest()}"


def _lock_key(jwks_url: str) -> str:
    return f"{_cache_key(jwks_url)}-lock"


def _take_cooldown(jwks_url: str) -> bool:
    """True for the first caller per cooldown period and endpoint, across processes sharing the cache."""
    return bool(cache.add(_lock_key(jwks_url), True, get_setting("JWKS_REFRESH_COOLDOWN")))


# ---- lookup ------------------------------------------------------------------------------------------------

#: Key sets parsed in this process, by URL: (fetched_at of the cached text, parsed set).
_keysets_by_url: dict[str, tuple[float, _native.KeySet]] = {}


def _is_usable(entry: CachedKeySet | None, now: float) -> bool:
    return entry is not None and entry["jwks"] is not None and now - entry["fetched_at"] < get_setting("JWKS_CACHE_MAX_AGE")


def _get_keyset(jwks_url: str, entry: CachedKeySet) -> _native.KeySet:
    parsed = _keysets_by_url.get(jwks_url)
    if parsed is not None and parsed[0] == entry["fetched_at"]:
        return parsed[1]
    try:
        keyset = _native.KeySet.parse_jwks(entry["jwks"] or "")
    except AJWTError:
        keyset = _native.KeySet()
    _keysets_by_url[jwks_url] = (entry["fetched_at"], keyset)
    return keyset


def get_signing_key(jwks_url: str, kid: str | None) -> keys.FacadePublicKey:
    """
    The key of the set published at ``jwks_url`` whose key ID (its JWK ``kid``, else its fingerprint) is
    ``kid``. A ``kid`` of None never matches.

    :raises SigningKeyNotFound: if no trusted key has that ID.
    """
    now = time.time()
    entry: CachedKeySet | None = cache.get(_cache_key(jwks_url))
    if not _is_usable(entry, now):
        # Nothing usable cached: wait for a fetch, at most once per cooldown (always on first use).
        cooled_down = _take_cooldown(jwks_url)
        if cooled_down or entry is None:
            entry = _refresh(jwks_url)
    signing_key = None
    if entry is not None and _is_usable(entry, now):
        keyset = _get_keyset(jwks_url, entry)
        index = keyset.find(kid) if kid is not None else None
        if index is not None:
            signing_key = keys._public_facade(keyset.get(index))
        if (signing_key is None and kid is not None) or now - entry["fetched_at"] >= get_setting("JWKS_CACHE_TTL"):
            _refresh_in_background(jwks_url)
    if signing_key is None:
        raise SigningKeyNotFound(f'Unable to find a signing key that matches: "{kid}"')
    return signing_key


def read_decoy() -> None:
    """
    Do the cache read that :func:`get_signing_key` does, for a token whose claimed user has no JWKS endpoint.
    """
    cache.get(DECOY_CACHE_KEY)


# ---- refresh -----------------------------------------------------------------------------------------------


def _refresh(jwks_url: str) -> CachedKeySet:
    """
    Fetch the key set and cache it. A failed fetch never replaces a cached key set.
    """
    now = time.time()
    try:
        body = _fetch_jwks(jwks_url)
        if isinstance(body, dict | list):  # e.g. a test double returning decoded JSON
            body = json.dumps(body).encode()
        text = body.decode("utf-8")
        keyset = _native.KeySet.parse_jwks(text)
    except (JWKSFetchError, AJWTError, UnicodeDecodeError) as e:
        logger.warning("Failed to fetch JWKS from %s: %s", jwks_url, e)
    else:
        for reason in keyset.skipped:
            logger.info("Skipped a key of the JWKS at %s: %s", jwks_url, reason)
        entry = CachedKeySet(fetched_at=now, checked_at=now, jwks=text)
        _keysets_by_url[jwks_url] = (now, keyset)
        # The decoy copy makes cache reads for users without a JWKS endpoint return a real-sized value
        cache.set_many({_cache_key(jwks_url): entry, DECOY_CACHE_KEY: entry}, None)
        return entry
    existing: CachedKeySet | None = cache.get(_cache_key(jwks_url))
    failed = CachedKeySet(fetched_at=0.0, checked_at=now, jwks=None) if existing is None else {**existing, "checked_at": now}  # type:ignore[typeddict-item]
    cache.set(_cache_key(jwks_url), failed, None)
    return failed


def refresh(jwks_url: str) -> bool:
    """
    Fetch the key set at ``jwks_url`` now, whatever the cooldown (e.g. from a management command or a task
    queue). True if a usable set was fetched.
    """
    entry = _refresh(jwks_url)
    return entry["jwks"] is not None and entry["checked_at"] == entry["fetched_at"]


def _refresh_in_background(jwks_url: str) -> None:
    if _take_cooldown(jwks_url):
        _queue_refresh(jwks_url)


def _queue_refresh(jwks_url: str) -> None:
    _refresh_worker.submit(jwks_url)


class _RefreshWorker:
    """
    One daemon thread per process, started on first use (and again in a forked child), fetching the key
    sets queued to it one at a time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._pending: set[str] = set()

    def submit(self, jwks_url: str) -> None:
        with self._lock:
            if self._pid != os.getpid() and not self._start():
                return
            if jwks_url in self._pending:
                return
            self._pending.add(jwks_url)
            self._queue.put(jwks_url)

    def _start(self) -> bool:
        self._queue = queue.SimpleQueue()
        self._pending = set()
        thread = threading.Thread(target=self._run, args=(self._queue, self._pending), name="asymmetric-jwt-auth-jwks", daemon=True)
        try:
            thread.start()
        except RuntimeError:
            logger.exception("Failed to start the JWKS refresh thread")
            return False
        self._pid = os.getpid()
        return True

    def _run(self, urls: "queue.SimpleQueue[str]", pending: set[str]) -> None:
        while True:
            jwks_url = urls.get()
            try:
                # What Django does around each request, so a database cache backend survives dropped connections
                close_old_connections()
                _refresh(jwks_url)
            except Exception:
                logger.exception("Failed to refresh JWKS from %s", jwks_url)
            finally:
                with self._lock:
                    pending.discard(jwks_url)


_refresh_worker = _RefreshWorker()


# ---- fetch -------------------------------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_jwks_url(jwks_url: str) -> tuple[str, str, int, str]:
    """
    (scheme, host, port, request target) of a URL the settings allow fetching.

    :raises JWKSFetchError: for anything but https (or http to a loopback host, or http anywhere when
        ``JWKS_ALLOW_INSECURE_HTTP`` is set).
    """
    try:
        parts = urlsplit(jwks_url)
        port = parts.port
    except ValueError as e:
        raise JWKSFetchError(f"Invalid JWKS URL: {e}") from e
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in ("http", "https") or not host:
        raise JWKSFetchError(f"Unsupported JWKS URL: {jwks_url}")
    if scheme == "http" and not (_is_loopback(host) or get_setting("JWKS_ALLOW_INSECURE_HTTP")):
        raise JWKSFetchError(f"JWKS URL must use https: {jwks_url}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), target


def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _time_left(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("ran out of time to fetch the JWKS")
    return remaining


def _connect(host: str, port: int, deadline: float) -> socket.socket:
    """A TCP connection; all addresses share the time left before the deadline."""
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock: socket.socket | None = None
        try:
            sock = socket.socket(family, kind, proto)
            sock.settimeout(_time_left(deadline))
            sock.connect(sockaddr)
            return sock
        except OSError as e:
            if sock is not None:
                sock.close()
            error = e
    raise error if error is not None else OSError(f"no addresses found for {host}")


def _expected_size(head: bytes) -> int | None:
    """Total response size announced by its headers (Content-Length), or None (chunked, or until close)."""
    length: int | None = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return None
    return None if length is None else len(head) + 4 + length


class _BufferedSocket:
    """Hands a fully read response to http.client's parser (status line, headers, chunked bodies)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def makefile(self, mode: str, *args: Any, **kwargs: Any) -> io.BytesIO:
        return io.BytesIO(self._data)


def _read_response(sock: socket.socket, deadline: float, max_bytes: int) -> bytes:
    """
    The raw response, read until the server closes the connection or the announced body is complete. Each
    read gets only the time left before the deadline, so a response dripped a byte at a time still ends.
    """
    data = bytearray()
    expected: int | None = None
    head_seen = False
    while True:
        sock.settimeout(_time_left(deadline))
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > max_bytes:
            raise OSError(f"JWKS response is larger than {max_bytes} bytes")
        if not head_seen:
            end = data.find(b"\r\n\r\n")
            if end >= 0:
                head_seen = True
                expected = _expected_size(bytes(data[:end]))
        if expected is not None and len(data) >= expected:
            break
        if head_seen and expected is None and data.endswith(b"\r\n0\r\n\r\n"):
            break  # last chunk of a chunked body
    return bytes(data)


def _check_content_type(content_type: str | None) -> None:
    """
    Refuse a response that says it is not JSON (an HTML error or login page, say). A response without a
    Content-Type is let through to the JSON parser, which has the last word.
    """
    if content_type is None:
        return
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("application/json", "application/jwk-set+json", "text/json") or media_type.endswith("+json"):
        return
    raise ValueError(f"unexpected Content-Type {content_type[:100]!r} (expected application/json or application/jwk-set+json)")


def _fetch_jwks(jwks_url: str) -> bytes:
    """
    Download the document at ``jwks_url``: a GET with one deadline (``JWKS_FETCH_TIMEOUT``) for everything,
    the whole response (headers included) capped at ``JWKS_MAX_RESPONSE_BYTES``, no redirects.

    :raises JWKSFetchError: if the URL is refused, or the download fails, runs out of time, is too large or
        does not answer 200.
    """
    scheme, host, port, target = check_jwks_url(jwks_url)
    timeout: float = get_setting("JWKS_FETCH_TIMEOUT")
    max_bytes: int = get_setting("JWKS_MAX_RESPONSE_BYTES")
    deadline = time.monotonic() + timeout
    host_header = f"[{host}]" if ":" in host else host
    if port != (443 if scheme == "https" else 80):
        host_header = f"{host_header}:{port}"
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: asymmetric-jwt-auth\r\n"
        "Accept: application/json, application/jwk-set+json\r\nConnection: close\r\n\r\n"
    ).encode("ascii", "strict")
    try:
        sock = _connect(host, port, deadline)
        try:
            if scheme == "https":
                # The handshake runs under the socket's timeout, which is what is left of the deadline
                sock = _ssl_context().wrap_socket(sock, server_hostname=host)
            sock.settimeout(_time_left(deadline))
            sock.sendall(request)
            raw = _read_response(sock, deadline, max_bytes)
        finally:
            sock.close()
        response = http.client.HTTPResponse(_BufferedSocket(raw), method="GET")  # type:ignore[arg-type]
        response.begin()
        if response.status != 200:
            raise OSError(f"HTTP {response.status} {response.reason}")
        _check_content_type(response.getheader("Content-Type"))
        return response.read()
    except (OSError, UnicodeError, ValueError, http.client.HTTPException) as e:
        raise JWKSFetchError(f"Failed to fetch JWKS: {e}") from e
