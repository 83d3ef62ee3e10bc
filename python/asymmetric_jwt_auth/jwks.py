"""
Keys of trusted JSON Web Key Set (JWKS) endpoints, cached in Django's cache (so shared between processes).

The design, the cache entries and the private names are asymmetric-jwt-auth 1.3.0's, because projects test code
that trusts JWKS through them: tests patch ``_fetch_jwks``, clear ``_signing_keys_by_url`` and
``_last_refresh_by_url``, read entries through ``_cache_key`` and drive ``_refresh``, ``_refresh_if_stale``,
``_refresh_unless_locked`` and ``_RefreshWorker``.

- Requests only read the cache, so the response time does not reveal whether the user a token claims to be trusts
  a JWKS endpoint. The one exception is a URL with nothing cached at all, which is fetched while the request waits.
- A key set older than ``JWKS_CACHE_TTL``, or a token naming a key ID the set lacks, schedules a refresh in a
  background thread, at most once per ``JWKS_REFRESH_COOLDOWN`` per endpoint and process; across processes, a
  cache lock lets one of them fetch per cooldown.
- The same thread refreshes every key set its process has used, every half ``JWKS_CACHE_TTL``, so a key set can be
  distrusted once it is ``JWKS_CACHE_MAX_AGE`` old: that bounds how long a key removed from its endpoint, or one
  whose endpoint went down, is still accepted. A failed fetch never replaces a cached key set.
- A fetch has one deadline (``JWKS_FETCH_TIMEOUT``) for DNS, connect, TLS, headers and body, a size cap
  (``JWKS_MAX_RESPONSE_BYTES``), follows no redirect, goes over https (plain http only to loopback addresses, or
  anywhere with ``JWKS_ALLOW_INSECURE_HTTP``), never to private or link-local addresses (unless
  ``JWKS_ALLOWED_NETWORKS`` lists them), through ``HTTPS_PROXY``/``NO_PROXY`` as urllib would, trusting
  ``JWKS_CA_BUNDLE`` when set.

Key parsing is libajwt's (``ajwt_keyset_parse_jwks``); any failure of a fetch, whatever its exception, is a failed
fetch.
"""

from typing import Any, NamedTuple, TypedDict
from urllib.parse import quote, unquote, urlsplit
import base64
import hashlib
import http.client
import io
import ipaddress
import json
import logging
import os
import queue
import re
import socket
import ssl
import threading
import time
import urllib.request

from django.core.cache import cache
from django.db import close_old_connections

from . import _native, get_setting, keys
from .exceptions import JWKSFetchError, SigningKeyNotFound

logger = logging.getLogger(__name__)

#: Cache key prefix. The entries are 1.3.0's (same prefix, same shape), so a project that swaps packages keeps its
#: cached key sets. Bump when ``CachedKeySet`` changes, so entries written by other versions read as a cache miss.
_CACHE_KEY_PREFIX = "asymmetric_jwt_auth-jwks-v2"
#: Read for users without a JWKS endpoint, so that every request does one same-sized cache read.
DECOY_CACHE_KEY = f"{_CACHE_KEY_PREFIX}-decoy"
#: Multiple of ``JWKS_CACHE_MAX_AGE`` that a key set can go unused before its process stops refreshing it.
_UNWATCH_AFTER_MAX_AGES = 24


class CachedKeySet(TypedDict):
    #: When the key set was fetched, or when a fetch first failed for a URL with nothing cached.
    fetched_at: float
    #: The decoded JWKS document, or ``None`` when the endpoint has never returned a usable one.
    jwks: dict[str, object] | None


# ---- lookup ------------------------------------------------------------------------------------------------

#: Key sets parsed in this process, by URL: (``fetched_at`` of the cache entry they were parsed from, the set).
_signing_keys_by_url: dict[str, tuple[float, _native.KeySet]] = {}
#: When this process last scheduled a background refresh of each URL.
_last_refresh_by_url: dict[str, float] = {}


class SigningKey:
    """
    A key of a trusted key set, with the attributes of the ``jwt.PyJWK`` that 1.3.0's :func:`get_signing_key`
    returned (``key_id``, ``key_type``, ``algorithm_name``, ``public_key_use``, and ``key`` as a ``cryptography``
    key, which needs that package), and this package's key as ``public_key``.
    """

    __slots__ = ("public_key", "key_id")

    def __init__(self, public_key: keys.FacadePublicKey, key_id: str) -> None:
        self.public_key = public_key
        self.key_id = key_id

    @property
    def key_type(self) -> str:
        return {"RSAPublicKey": "RSA", "ECPublicKey": "EC"}.get(type(self.public_key).__name__, "OKP")

    @property
    def algorithm_name(self) -> str:
        return self.public_key.allowed_algorithms[0]

    @property
    def public_key_use(self) -> str:
        return "sig"  # libajwt never takes a key whose use is anything else

    @property
    def key(self) -> Any:
        """The key as a ``cryptography`` public key object, as PyJWK's ``key`` (needs ``cryptography``)."""
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        return load_pem_public_key(self.public_key.as_pem)

    def __repr__(self) -> str:
        return f"<SigningKey {self.key_id!r} {self.public_key!r}>"


def get_signing_key(jwks_url: str, kid: str | None) -> SigningKey:
    """
    The key of the set published at ``jwks_url`` whose key ID (its JWK ``kid``, else its fingerprint) is ``kid``.

    A stale key set or an unknown key ID schedules a background refresh but is answered from the cache, so a token
    signed with a just-published key can be refused until that refresh lands. A key set fetched
    ``JWKS_CACHE_MAX_AGE`` or more ago is not trusted. A ``kid`` of None never matches.

    :raises SigningKeyNotFound: if no trusted key has that ID.
    """
    _refresh_worker.watch(jwks_url)
    entry: CachedKeySet | None = cache.get(_cache_key(jwks_url))
    if entry is None:
        entry = _refresh(jwks_url)
    age = time.time() - entry["fetched_at"]
    signing_key = None
    if kid is not None and age < get_setting("JWKS_CACHE_MAX_AGE"):
        keyset = _get_signing_keys(jwks_url, entry)
        index = keyset.find(kid)
        if index is not None:
            signing_key = SigningKey(keys._public_facade(keyset.get(index)), kid)
    if (signing_key is None and kid is not None) or age >= get_setting("JWKS_CACHE_TTL"):
        _refresh_in_background(jwks_url, entry)
    if signing_key is None:
        raise SigningKeyNotFound(f'Unable to find a signing key that matches: "{kid}"')
    return signing_key


def read_decoy() -> None:
    """
    Do the cache read that :func:`get_signing_key` does, for a token whose claimed user has no JWKS endpoint.
    """
    cache.get(DECOY_CACHE_KEY)


def _cache_key(jwks_url: str) -> str:
    return f"{_CACHE_KEY_PREFIX}-{hashlib.sha256(jwks_url.encode('utf-8', 'surrogatepass')).hexdigest()}"


def _get_signing_keys(jwks_url: str, entry: CachedKeySet) -> _native.KeySet:
    parsed = _signing_keys_by_url.get(jwks_url)
    if parsed is not None and parsed[0] == entry["fetched_at"]:
        return parsed[1]
    keyset = _parse_key_set(entry["jwks"]) if entry["jwks"] is not None else _native.KeySet()
    _signing_keys_by_url[jwks_url] = (entry["fetched_at"], keyset)
    return keyset


def _parse_key_set(document: object) -> _native.KeySet:
    """
    The signing keys of a JWKS document (keys of unsupported types, ``use`` other than ``sig``, or bad values are
    skipped by libajwt).

    :raises ValueError: if the document is not a key set (an object whose ``keys`` is a list).
    """
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("the response is not a JWK Set (an object with a list of keys)")
    return _native.KeySet.parse_jwks(json.dumps(document))


# ---- refresh -----------------------------------------------------------------------------------------------


def _printable(text: str) -> str:
    """``text`` with control characters escaped, for a log line (an endpoint's answer must not forge lines)."""
    return text.encode("unicode_escape", "backslashreplace").decode("ascii")


def _refresh(jwks_url: str) -> CachedKeySet:
    """
    Fetch the key set and cache it. A failed fetch never replaces a cached key set.
    """
    document: dict[str, object] | None = None
    try:
        fetched = _fetch_jwks(jwks_url)
        keyset = _parse_key_set(fetched)
        document = fetched  # type:ignore[assignment]
    except Exception as e:  # noqa: BLE001 - any failure is a failed fetch: nothing may escape into the request
        logger.warning("Failed to fetch JWKS from %s: %s", _printable(jwks_url), _printable(str(e)))
    key = _cache_key(jwks_url)
    entry = CachedKeySet(fetched_at=time.time(), jwks=document)
    if document is not None:
        for reason in keyset.skipped:
            logger.info("Skipped a key of the JWKS at %s: %s", _printable(jwks_url), _printable(reason))
        _signing_keys_by_url[jwks_url] = (entry["fetched_at"], keyset)
        # The decoy copy makes cache reads for users without a JWKS endpoint return a real-sized value
        cache.set_many({key: entry, DECOY_CACHE_KEY: entry}, None)
        return entry
    if cache.add(key, entry, None):
        return entry
    existing: CachedKeySet | None = cache.get(key)
    return entry if existing is None else existing


def refresh(jwks_url: str) -> bool:
    """
    Fetch the key set at ``jwks_url`` now, whatever the cooldown (e.g. from a management command or a task queue).
    True if a usable key set was fetched.
    """
    started = time.time()
    entry = _refresh(jwks_url)
    return entry["jwks"] is not None and entry["fetched_at"] >= started


def _refresh_in_background(jwks_url: str, entry: CachedKeySet) -> None:
    now = time.time()
    last_refresh = max(entry["fetched_at"], _last_refresh_by_url.get(jwks_url, 0.0))
    if now - last_refresh < get_setting("JWKS_REFRESH_COOLDOWN"):
        return
    _last_refresh_by_url[jwks_url] = now
    _queue_refresh(jwks_url)


def _queue_refresh(jwks_url: str) -> None:
    _refresh_worker.submit(jwks_url)


def _refresh_if_stale(jwks_url: str) -> None:
    try:
        entry: CachedKeySet | None = cache.get(_cache_key(jwks_url))
    except Exception:
        logger.exception("Failed to read the cached JWKS for %s", _printable(jwks_url))
        return
    if entry is None or time.time() - entry["fetched_at"] >= get_setting("JWKS_CACHE_TTL"):
        _refresh_unless_locked(jwks_url)


def _refresh_unless_locked(jwks_url: str) -> None:
    """Refresh, unless a process sharing the cache did within the cooldown."""
    try:
        if cache.add(f"{_cache_key(jwks_url)}-lock", True, get_setting("JWKS_REFRESH_COOLDOWN")):
            _refresh(jwks_url)
    except Exception:
        logger.exception("Failed to refresh JWKS from %s", _printable(jwks_url))


def _sweep_interval() -> float:
    # A key set fetched just after a sweep is still fresh at the next one, so sweeping every TTL would leave it for 2 TTLs
    ttl: float = get_setting("JWKS_CACHE_TTL")
    return ttl / 2


def _close_old_connections() -> None:
    """What Django does around each request, so a database cache backend survives a dropped connection."""
    try:
        close_old_connections()
    except Exception:
        logger.exception("Failed to close old database connections")


class _RefreshWorker:
    """
    One daemon thread per process, started on first use (and again in a forked child): it fetches the key sets
    queued to it one at a time, and every half TTL refreshes the stale ones among those its process uses.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._pending: set[str] = set()
        #: Each watched URL, and when a request last used it (monotonic).
        self._watched: dict[str, float] = {}

    def watch(self, jwks_url: str) -> None:
        """
        Keep the key set at ``jwks_url`` fresh until this process has gone ``_UNWATCH_AFTER_MAX_AGES`` times
        ``JWKS_CACHE_MAX_AGE`` without a request using it (a deleted or abandoned endpoint is not fetched forever).
        """
        if self._pid == os.getpid() and jwks_url in self._watched:
            self._watched[jwks_url] = time.monotonic()
            return
        with self._lock:
            if self._pid != os.getpid() and not self._start():
                return
            self._watched[jwks_url] = time.monotonic()

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
        self._watched = {}
        thread = threading.Thread(
            target=self._run,
            args=(self._queue, self._pending, self._watched),
            name="asymmetric-jwt-auth-jwks-refresh",
            daemon=True,
        )
        try:
            thread.start()
        except RuntimeError:
            logger.exception("Failed to start the JWKS refresh thread")
            return False
        self._pid = os.getpid()
        return True

    def _run(self, urls: "queue.SimpleQueue[str]", pending: set[str], watched: dict[str, float]) -> None:
        next_sweep = time.monotonic() + _sweep_interval()
        while True:
            # Checked before waiting, so a busy queue cannot starve the sweep
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + _sweep_interval()
                self._sweep(watched)
            try:
                jwks_url = urls.get(timeout=max(next_sweep - time.monotonic(), 0.0))
            except queue.Empty:
                continue
            _close_old_connections()
            _refresh_unless_locked(jwks_url)
            with self._lock:
                pending.discard(jwks_url)

    def _sweep(self, watched: dict[str, float]) -> None:
        unused_since = time.monotonic() - get_setting("JWKS_CACHE_MAX_AGE") * _UNWATCH_AFTER_MAX_AGES
        with self._lock:
            for url, last_used in list(watched.items()):
                if last_used < unused_since:
                    del watched[url]
            swept = list(watched)
        for url in swept:
            _close_old_connections()
            _refresh_if_stale(url)


_refresh_worker = _RefreshWorker()


# ---- which URLs and addresses may be fetched ---------------------------------------------------------------------


class JWKSTarget(NamedTuple):
    """A JWKS URL split for fetching: every part ASCII (host in IDNA, path and query percent-encoded)."""

    scheme: str
    host: str
    port: int
    target: str


_HOSTNAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?", re.I)
#: Characters of a path or query sent as they are: RFC 3986's unreserved and reserved ones, and % of an escape.
_URL_SAFE = "/:@!$&'()*+,;=-._~?%"


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _ascii_host(host: str) -> str:
    """``host`` as sent on the wire: an IP literal as is, a name in IDNA (e.g. ``bücher.example`` → ``xn--bcher-kva.example``)."""
    if _ip_literal(host) is not None:
        return host
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as e:
        raise JWKSFetchError(f"Invalid JWKS URL host {host!r}: {e}") from e
    if not _HOSTNAME.fullmatch(ascii_host) or len(ascii_host) > 253:
        raise JWKSFetchError(f"Invalid JWKS URL host {host!r}")
    return ascii_host


def _is_loopback_name(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def check_jwks_url(jwks_url: str) -> JWKSTarget:
    """
    The parts of a JWKS URL, ready to fetch: http or https, a valid host (non-ASCII names in IDNA), path and query
    percent-encoded where they hold characters a request line cannot carry.

    Where the URL alone shows it, the address rules are applied here too (plain http needs a loopback host or
    ``JWKS_ALLOW_INSECURE_HTTP``; a private or link-local IP needs ``JWKS_ALLOWED_NETWORKS``); host names are
    checked once resolved, when fetching.

    :raises JWKSFetchError: if the URL cannot be fetched.
    """
    try:
        parts = urlsplit(jwks_url)
        port = parts.port
    except ValueError as e:
        raise JWKSFetchError(f"Invalid JWKS URL: {e}") from e
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in ("http", "https") or not host:
        raise JWKSFetchError(f"Unsupported JWKS URL (http or https with a host only): {jwks_url!r}")
    if any(ord(c) < 0x20 or c == "\x7f" for c in jwks_url):
        raise JWKSFetchError(f"Invalid JWKS URL (control characters): {jwks_url!r}")
    ascii_host = _ascii_host(host)
    address = _ip_literal(ascii_host)
    if address is not None:
        _check_address(address, scheme)
    path = quote(parts.path or "/", safe=_URL_SAFE)
    query = quote(parts.query, safe=_URL_SAFE)
    return JWKSTarget(scheme, ascii_host, port or (443 if scheme == "https" else 80), path + (f"?{query}" if query else ""))


def normalize_jwks_url(jwks_url: str) -> str:
    """
    ``jwks_url`` in ASCII, as it is fetched (see :func:`check_jwks_url`); user info and fragment dropped.

    :raises JWKSFetchError: if the URL cannot be fetched.
    """
    target = check_jwks_url(jwks_url)
    host = f"[{target.host}]" if ":" in target.host else target.host
    default_port = urlsplit(jwks_url).port is None
    return f"{target.scheme}://{host}{'' if default_port else f':{target.port}'}{target.target}"


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(network, strict=False) for network in get_setting("JWKS_ALLOWED_NETWORKS") or ()]


def _check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, scheme: str) -> None:
    """
    :raises JWKSFetchError: if ``address`` may not be fetched from with ``scheme``: plain http off loopback (without
        ``JWKS_ALLOW_INSECURE_HTTP``), or a private, link-local or other non-global address that
        ``JWKS_ALLOWED_NETWORKS`` does not list (cloud metadata services, the internal network).
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return
    if scheme == "http" and not get_setting("JWKS_ALLOW_INSECURE_HTTP"):
        raise JWKSFetchError(f"JWKS URL must use https (plain http only to loopback): {address} is not loopback")
    if (address.is_global and not address.is_multicast) or any(address in network for network in _allowed_networks()):
        return
    raise JWKSFetchError(f"JWKS host address {address} is private, link-local or reserved (see JWKS_ALLOWED_NETWORKS)")


# ---- fetch -------------------------------------------------------------------------------------------------


def _ssl_context() -> ssl.SSLContext:
    """``JWKS_CA_BUNDLE`` (a file or directory of PEM certificates) if set, else what urllib would use."""
    bundle = get_setting("JWKS_CA_BUNDLE")
    if bundle:
        if os.path.isdir(bundle):
            return ssl.create_default_context(capath=bundle)
        return ssl.create_default_context(cafile=bundle)
    return ssl._create_default_https_context()


def _time_left(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("ran out of time to fetch the JWKS")
    return remaining


def _resolve(host: str, port: int, deadline: float) -> list[Any]:
    """
    ``socket.getaddrinfo`` under the deadline. The resolver has no timeout of its own, so a name runs in a daemon
    thread that is given up on (it ends when the resolver does) if the deadline passes first.
    """
    if _ip_literal(host) is not None:
        return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    answer: list[Any] = []
    done = threading.Event()

    def resolve() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread, which raises it
            answer.append(e)
        finally:
            done.set()

    threading.Thread(target=resolve, name="asymmetric-jwt-auth-jwks-dns", daemon=True).start()
    if not done.wait(_time_left(deadline)):
        raise TimeoutError(f"ran out of time resolving {host}")
    if isinstance(answer[0], BaseException):
        raise answer[0]
    result: list[Any] = answer[0]
    return result


def _connect(host: str, port: int, deadline: float, scheme: str | None) -> socket.socket:
    """
    A TCP connection to ``host``; all its addresses share the time left before the deadline. With a ``scheme``,
    each resolved address must pass :func:`_check_address` (checked on the address actually connected to, so DNS
    cannot point an allowed name at a refused address); without, it is a proxy the environment names.
    """
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in _resolve(host, port, deadline):
        sock: socket.socket | None = None
        try:
            if scheme is not None:
                address = _ip_literal(str(sockaddr[0]).split("%", 1)[0])
                if address is None:
                    raise OSError(f"unusable address {sockaddr[0]!r}")
                _check_address(address, scheme)
            sock = socket.socket(family, kind, proto)
            sock.settimeout(_time_left(deadline))
            sock.connect(sockaddr)
            # What is left, not the whole timeout, bounds the TLS handshake that may follow
            sock.settimeout(_time_left(deadline))
            return sock
        except OSError as e:
            if sock is not None:
                sock.close()
            error = e
    raise error if error is not None else OSError(f"no addresses found for {host}")


def _proxy_for(target: JWKSTarget) -> str | None:
    """
    The proxy URL urllib would use for ``target`` (``HTTPS_PROXY``/``HTTP_PROXY``, minus ``NO_PROXY``). Loopback
    hosts are never proxied: a proxy cannot reach this machine's loopback interface.
    """
    address = _ip_literal(target.host)
    if _is_loopback_name(target.host) or (address is not None and address.is_loopback):
        return None
    proxy = urllib.request.getproxies().get(target.scheme)
    if not proxy or urllib.request.proxy_bypass(f"{target.host}:{target.port}"):
        return None
    return proxy


def _read_head(sock: socket.socket, deadline: float, max_bytes: int) -> bytes:
    """A proxy's answer to CONNECT, up to its blank line (nothing follows it before the TLS handshake)."""
    data = bytearray()
    while b"\r\n\r\n" not in data:
        sock.settimeout(_time_left(deadline))
        chunk = sock.recv(1)
        if not chunk:
            raise OSError("the proxy closed the connection")
        data += chunk
        if len(data) > max_bytes:
            raise OSError(f"proxy response is larger than {max_bytes} bytes")
    return bytes(data)


def _proxy_authorization(proxy: Any) -> str:
    if proxy.username is None:
        return ""
    credentials = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
    return f"Proxy-Authorization: Basic {base64.b64encode(credentials).decode('ascii')}\r\n"


def _open_via_proxy(proxy_url: str, target: JWKSTarget, host_header: str, deadline: float, max_bytes: int) -> tuple[socket.socket, str, str]:
    """
    A connection through an http proxy: a CONNECT tunnel for https, the absolute URL for plain http. Returns the
    socket, the request target and extra request headers.
    """
    proxy = urlsplit(proxy_url if "://" in proxy_url else f"http://{proxy_url}")
    if proxy.scheme.lower() != "http" or not proxy.hostname:
        raise OSError(f"unsupported proxy {proxy_url!r} (http:// proxies only)")
    address = _ip_literal(target.host)
    if address is not None:
        _check_address(address, target.scheme)
    elif target.scheme == "http" and not get_setting("JWKS_ALLOW_INSECURE_HTTP"):
        raise JWKSFetchError("JWKS URL must use https (plain http only to loopback)")
    sock = _connect(proxy.hostname, proxy.port or 80, deadline, None)
    authorization = _proxy_authorization(proxy)
    if target.scheme == "http":
        return sock, f"http://{host_header}{target.target}", authorization
    try:
        authority = f"{target.host}:{target.port}" if ":" not in target.host else f"[{target.host}]:{target.port}"
        sock.settimeout(_time_left(deadline))
        sock.sendall(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n{authorization}\r\n".encode("ascii"))
        head = _read_head(sock, deadline, max_bytes)
        status_line = head.split(b"\r\n", 1)[0]
        status = status_line.split(b" ", 2)
        if len(status) < 2 or status[1] != b"200":
            raise OSError(f"proxy refused the tunnel: {status_line[:100]!r}")
    except BaseException:
        sock.close()
        raise
    return sock, target.target, ""


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
    The raw response, read until the server closes the connection or the announced body is complete. Each read
    gets only the time left before the deadline, so a response dripped a byte at a time still ends; the whole
    response, headers included, is capped at ``max_bytes`` whatever the headers claim.
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


def _no_duplicate_names(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member names in a JSON object")
    return result


def _decode_json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicate_names)
    except RecursionError as e:
        raise ValueError("JWKS response is nested too deeply") from e


def _fetch_jwks(jwks_url: str) -> object:
    """
    Download and decode the JSON document at ``jwks_url``: a GET with one deadline (``JWKS_FETCH_TIMEOUT``) for
    DNS, connect, TLS, headers and body, the whole response capped at ``JWKS_MAX_RESPONSE_BYTES``, no redirects.

    :raises JWKSFetchError: if the URL or its address is refused, or the download fails, runs out of time, is too
        large, does not answer 200, or is not JSON. With PyJWT installed it is also a
        ``jwt.PyJWKClientConnectionError``, as 1.3.0 raised.
    """
    target = check_jwks_url(jwks_url)
    timeout: float = get_setting("JWKS_FETCH_TIMEOUT")
    max_bytes: int = get_setting("JWKS_MAX_RESPONSE_BYTES")
    deadline = time.monotonic() + timeout
    host_header = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != (443 if target.scheme == "https" else 80):
        host_header = f"{host_header}:{target.port}"
    try:
        proxy = _proxy_for(target)
        if proxy is None:
            sock, request_target, extra_headers = _connect(target.host, target.port, deadline, target.scheme), target.target, ""
        else:
            sock, request_target, extra_headers = _open_via_proxy(proxy, target, host_header, deadline, max_bytes)
        try:
            if target.scheme == "https":
                # The handshake runs under the socket's timeout, which is what is left of the deadline
                sock = _ssl_context().wrap_socket(sock, server_hostname=target.host)
            sock.settimeout(_time_left(deadline))
            sock.sendall(
                f"GET {request_target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: asymmetric-jwt-auth\r\n"
                f"Accept: application/json, application/jwk-set+json\r\n{extra_headers}Connection: close\r\n\r\n".encode("ascii")
            )
            raw = _read_response(sock, deadline, max_bytes)
        finally:
            sock.close()
        response = http.client.HTTPResponse(_BufferedSocket(raw), method="GET")  # type:ignore[arg-type]
        response.begin()
        if response.status != 200:
            raise OSError(f"HTTP {response.status} {response.reason}")
        _check_content_type(response.getheader("Content-Type"))
        return _decode_json(response.read())
    except JWKSFetchError:
        raise
    except (OSError, UnicodeError, ValueError, http.client.HTTPException) as e:
        raise JWKSFetchError(f"Failed to fetch JWKS: {e}") from e
