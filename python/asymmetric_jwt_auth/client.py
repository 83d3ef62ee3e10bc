"""
Signing outgoing requests: authentication for ``requests`` and ``httpx`` clients.

    import requests
    from asymmetric_jwt_auth.client import RequestsAuth

    session = requests.Session()
    session.auth = RequestsAuth("~/.ssh/service.pem", "my-service")
    session.get("https://api.example.com/whoami")

Every attempt carries a token of its own (current time, new nonce): a retry or a redirect is never refused as a
replay. Works without Django settings (a script, a Celery worker, a service that is not a Django project); in a
Django project, ``ASYMMETRIC_JWT_AUTH["AUTH_METHOD"]`` is honoured. Needs ``requests`` or ``httpx``
(``pip install "asymmetric-jwt-auth[requests]"`` or ``[httpx]``) for the class that uses it.
"""

from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any
import os

from . import keys
from .tokens import Token

try:
    import requests
    import requests.auth
    import requests.structures
except ImportError:  # pragma: no cover - the extra is not installed
    requests = None  # type: ignore[assignment]

try:
    import httpx
except ImportError:  # pragma: no cover - the extra is not installed
    httpx = None  # type: ignore[assignment]

PrivateKeySource = Any  # a private key object (ours, libajwt's or cryptography's), PEM/OpenSSH text, or a path


def load_private_key(private_key: PrivateKeySource, password: bytes | str | None = None) -> keys.FacadePrivateKey:
    """
    A private key from what a caller has: a key object (this package's, or a ``cryptography`` one), PEM or
    ``OPENSSH PRIVATE KEY`` text (``str`` holding ``-----BEGIN``, or ``bytes``), or the path of a file holding one
    (``str`` or ``os.PathLike``; ``~`` is expanded). ``password`` decrypts an encrypted PEM key.
    """
    if isinstance(private_key, keys.PrivateKey):
        return private_key  # type: ignore[return-value]
    if isinstance(private_key, bytes | bytearray | memoryview):
        return keys.PrivateKey.load_pem(bytes(private_key), password=keys._password_bytes(password))
    if isinstance(private_key, str) and "-----BEGIN" in private_key:
        return keys.PrivateKey.load_pem(private_key.encode(), password=keys._password_bytes(password))
    if isinstance(private_key, str | os.PathLike):
        return keys.PrivateKey.load_pem_from_file(private_key, password=keys._password_bytes(password))
    if isinstance(private_key, keys._native.Key):
        return keys._private_facade(private_key)
    return keys.PrivateKey.from_cryptography_privkey(private_key)


class _Signer:
    """
    Makes a fresh ``Authorization`` header value for one user and key; with ``bind``, bound to the request's method,
    target and body, and with ``audience``, naming the service the token is for (docs/request-binding.md).
    """

    def __init__(
        self,
        private_key: PrivateKeySource,
        username: str,
        password: bytes | str | None = None,
        bind: bool = False,
        audience: str | None = None,
    ):
        if not isinstance(username, str) or not username:
            raise ValueError("username must be a non-empty string")
        if audience is not None and (not isinstance(audience, str) or not audience):
            raise ValueError("audience must be a non-empty string")
        self.private_key = load_private_key(private_key, password)
        self.username = username
        self.bind = bind
        self.audience = audience

    def authorization(self, method: str | None = None, target: str | None = None, body: bytes | None = None) -> str:
        binding: dict[str, Any] = {"audience": self.audience} if self.audience is not None else {}
        if self.bind:
            binding.update(method=method, target=target, body=body)
        return Token(self.username).create_auth_header(self.private_key, **binding)


def _body_bytes(body: Any) -> bytes:
    """The bytes a prepared ``requests`` body goes out as; a streamed body (file, generator) cannot be bound."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    raise ValueError("bind=True needs the request body as bytes or str: a streamed body (file, iterator) cannot be bound")


def _require(module: object, extra: str) -> None:
    if module is None:
        raise ImportError(f'{extra} is not installed: pip install "asymmetric-jwt-auth[{extra}]"')


class _Authorization:
    """
    The ``Authorization`` value of one request and of the copies that requests and urllib3 make of its headers
    (for each send, for a redirect): the token signed when the request was prepared goes out first, and every
    later send gets a new one. Reading the header gives the token sent last, so that
    ``response.request.headers["Authorization"]`` is what the server saw.
    """

    def __init__(self, sign: Callable[[], str]):
        self._sign = sign
        self.value = sign()
        self._sent = False

    def for_sending(self) -> str:
        if self._sent:
            self.value = self._sign()
        self._sent = True
        return self.value


if requests is not None:

    class _SigningHeaders(requests.structures.CaseInsensitiveDict):  # type: ignore[type-arg]
        """
        A request's headers whose ``Authorization`` is signed anew for each send. urllib3 resends the same headers
        on a retry (``Retry(status_forcelist=...)``) and requests copies them for a redirect, so a value fixed when
        the request was prepared would go out twice, and the second attempt be refused as a replay. Both send
        ``items()``. A redirect to another host drops the header (requests' ``rebuild_auth``), and it stays dropped;
        a value the caller sets replaces the signed one.
        """

        def __init__(self, data: Any, authorization: _Authorization | None):
            super().__init__(data)
            self._authorization = authorization

        def __setitem__(self, key: str, value: Any) -> None:
            if key.lower() == "authorization":
                self._authorization = None
            super().__setitem__(key, value)

        def __getitem__(self, key: str) -> Any:
            if self._authorization is not None and key.lower() == "authorization" and key.lower() in self._store:
                return self._authorization.value
            return super().__getitem__(key)

        def items(self) -> Any:
            if self._authorization is not None and "authorization" in self._store:
                self._store["authorization"] = ("Authorization", self._authorization.for_sending())
            return super().items()

        def copy(self) -> "_SigningHeaders":
            return _SigningHeaders(self._store.values(), self._authorization)

    _RequestsAuthBase: type = requests.auth.AuthBase
else:  # pragma: no cover
    _RequestsAuthBase = object


class RequestsAuth(_RequestsAuthBase):  # type: ignore[misc,valid-type]
    """
    ``requests`` authentication (``requests.auth.AuthBase``): ``session.auth = RequestsAuth(key, "username")``.

    Every attempt of a request (a urllib3 retry, a redirect to the same host) carries a fresh token.
    ``private_key``: a key object, PEM/OpenSSH text or a path; ``password`` for an encrypted key.
    ``bind=True`` binds each token to its request's method, path and query, and body (which must then be bytes or
    str, not a stream); a redirect to another path then needs a request of its own (its token is bound to the first
    target). ``audience`` names the service the tokens are for.
    """

    def __init__(
        self,
        private_key: PrivateKeySource,
        username: str,
        password: bytes | str | None = None,
        *,
        bind: bool = False,
        audience: str | None = None,
    ):
        _require(requests, "requests")
        self._signer = _Signer(private_key, username, password, bind, audience)

    @property
    def username(self) -> str:
        return self._signer.username

    def __call__(self, request: Any) -> Any:
        # Bound to this request when asked for: its method, path and query, and body, fixed now.
        bound: tuple[str | None, str | None, bytes | None] = (
            (request.method, request.path_url, _body_bytes(request.body)) if self._signer.bind else (None, None, None)
        )

        def sign() -> str:
            return self._signer.authorization(*bound)

        authorization = _Authorization(sign)
        headers = _SigningHeaders(request.headers.items(), None)
        headers["Authorization"] = authorization.value
        headers._authorization = authorization
        request.headers = headers
        return request


_HttpxAuthBase: type = httpx.Auth if httpx is not None else object


class HttpxAuth(_HttpxAuthBase):  # type: ignore[misc,valid-type]
    """
    ``httpx`` authentication (``httpx.Auth``) for ``httpx.Client`` and ``httpx.AsyncClient``:
    ``httpx.Client(auth=HttpxAuth(key, "username"))``. Each request sent (a retry is a new request) carries a fresh
    token. ``private_key``: a key object, PEM/OpenSSH text or a path; ``password`` for an encrypted key.

    httpx follows redirects beneath the authentication flow, with the headers of the first request: a client with
    ``follow_redirects=True`` would send one token twice on a same-origin redirect (refused as a replay). httpx's
    default, ``follow_redirects=False``, hands the redirect back; send the next request yourself (a new token).

    ``bind=True`` binds each token to its request's method, path and query, and body (httpx reads a streamed body
    first: ``requires_request_body``); ``audience`` names the service the tokens are for.
    """

    def __init__(
        self,
        private_key: PrivateKeySource,
        username: str,
        password: bytes | str | None = None,
        *,
        bind: bool = False,
        audience: str | None = None,
    ):
        _require(httpx, "httpx")
        self._signer = _Signer(private_key, username, password, bind, audience)
        # httpx reads the whole body before the auth flow when this is set, so request.content is there to hash
        self.requires_request_body = bind

    @property
    def username(self) -> str:
        return self._signer.username

    def _sign(self, request: Any) -> Any:
        if self._signer.bind:
            target = request.url.raw_path.decode("ascii")
            request.headers["Authorization"] = self._signer.authorization(request.method, target, request.content)
        else:
            request.headers["Authorization"] = self._signer.authorization()
        return request

    def sync_auth_flow(self, request: Any) -> Generator[Any, Any, None]:
        yield self._sign(request)

    async def async_auth_flow(self, request: Any) -> AsyncGenerator[Any, Any]:
        # Signing is a few tens of microseconds of native work: no thread hop
        yield self._sign(request)


__all__ = ["HttpxAuth", "RequestsAuth", "load_private_key"]
