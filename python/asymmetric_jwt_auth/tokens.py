"""
Signing and verifying tokens. The protocol (encoding, signature, claim checks, time window) is libajwt's;
Python supplies the clock (``time.time()``, so ``freezegun`` and ``mock.patch("time.time")`` work) and the
configured nonce backend, which libajwt calls to check and record each nonce.
"""

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import cached_property
import logging
import math
import threading
import time

from . import _native, get_setting, keys
from .exceptions import AJWTError
from .nonce import BaseNonceBackend, get_nonce_backend

logger = logging.getLogger(__name__)

_OK = int(_native.Status.OK)


def redact_token(token: str | bytes) -> str:
    """
    A loggable stand-in for a token: its length and first characters (part of the header), never enough to
    replay it.
    """
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else str(token)
    return f"{text[:10]}...({len(text)} chars)"


class Token:
    """
    Represents a JWT that's either been constructed by our code or has been
    verified to be valid.
    """

    username: str
    timestamp: int

    def __init__(self, username: str, timestamp: int | None = None):
        self.username = username
        self.timestamp = int(time.time()) if timestamp is None else timestamp

    def create_auth_header(self, private_key: keys.FacadePrivateKey) -> str:
        """
        Create an HTTP Authorization header
        """
        auth_method = get_setting("AUTH_METHOD")
        token = self.sign(private_key)
        return f"{auth_method} {token}"

    def sign(self, private_key: keys.FacadePrivateKey) -> str:
        """
        Create and return signed authentication JWT
        """
        algorithm = private_key.public_key.allowed_algorithms[0]
        nonce = get_nonce_backend().generate_nonce()
        return _native.sign(private_key._key, self.username, int(self.timestamp), nonce, algorithm)

    def __repr__(self) -> str:
        return f"<Token username={self.username!r} timestamp={self.timestamp}>"


# ---- verification plumbing -------------------------------------------------------------------------------


class _NonceScope(threading.local):
    """The nonce backend of the verification running on this thread, and any exception it raised."""

    backend: BaseNonceBackend | None = None
    error: BaseException | None = None


_nonce_scope = _NonceScope()


def _check_and_record_nonce(username: str, timestamp: int, nonce: str) -> bool:
    """
    The nonce callback libajwt calls (on the verifying thread) after the signature and time checks passed.
    """
    backend = _nonce_scope.backend
    if backend is None:  # pragma: no cover - only reachable if the library called back unexpectedly
        return False
    try:
        return bool(backend.check_and_record_nonce(username, timestamp, nonce))
    except BaseException as e:  # re-raised by verify(), so it is neither lost nor thrown through C
        _nonce_scope.error = e
        return False


@contextmanager
def _using_nonce_backend(backend: BaseNonceBackend) -> Iterator[None]:
    previous = _nonce_scope.backend
    _nonce_scope.backend, _nonce_scope.error = backend, None
    try:
        yield
    finally:
        _nonce_scope.backend = previous


_verifiers: dict[int, _native.Verifier] = {}
_verifiers_lock = threading.Lock()


def _get_verifier(tolerance: int) -> _native.Verifier:
    """One configured native verifier per tolerance, made once: no policy set-up per request."""
    verifier = _verifiers.get(tolerance)
    if verifier is None:
        with _verifiers_lock:
            verifier = _verifiers.get(tolerance)
            if verifier is None:
                verifier = _native.Verifier(tolerance=tolerance, nonce_callback=_check_and_record_nonce)
                _verifiers[tolerance] = verifier
    return verifier


def _now_for(claimed_time: int) -> int:
    """
    ``time.time()`` as the whole second to hand libajwt, whose window is ``|time - now| <= tolerance`` in
    integers. Rounding towards the claimed time gives exactly the 1.x check on the fractional clock:
    ``now - tolerance <= time <= now + tolerance``.
    """
    current = time.time()
    return math.ceil(current) if claimed_time < current else math.floor(current)


class UntrustedToken:
    """
    Represents a JWT received from user input (and not yet trusted)
    """

    token: str

    def __init__(self, token: str):
        self.token = token

    @cached_property
    def _parsed(self) -> _native.ParsedToken | None:
        """
        The token parsed once by libajwt (header, claims, signature), or None if it is malformed. Every
        accessor and every verification against a key shares this one parse.
        """
        try:
            return _native.ParsedToken.parse(self.token)
        except (AJWTError, TypeError, ValueError) as e:
            logger.debug("JWT is malformed: %s. jwt:[%s]", e, redact_token(self.token))
            return None

    @cached_property
    def _unverified_header(self) -> dict[str, object]:
        parsed = self._parsed
        if parsed is None:
            return {}
        header: dict[str, object] = {"typ": "JWT", "alg": parsed.alg}
        if parsed.kid is not None:
            header["kid"] = parsed.kid
        return header

    def has_supported_algorithm(self, algorithms: Collection[str] = keys.SUPPORTED_ALGORITHMS) -> bool:
        """
        Check whether the JWT's (unverified) ``alg`` header names one of the given algorithms. A token that
        fails this check can never be verified by a key that only accepts those algorithms.
        """
        parsed = self._parsed
        alg = parsed.alg if parsed is not None else None
        return isinstance(alg, str) and alg in algorithms

    def get_claimed_key_id(self) -> None | str:
        """
        Get the (unverified) ``kid`` header of the JWT, if it has one.
        """
        parsed = self._parsed
        return parsed.kid if parsed is not None else None

    def get_claimed_username(self) -> None | str:
        """
        Given a JWT, get the username that it is claiming to be `without verifying that the signature is valid`.

        :param token: JWT claim
        :return: Username
        """
        parsed = self._parsed
        return parsed.username if parsed is not None else None

    def verify(self, public_key: keys.FacadePublicKey) -> None | Token:
        """
        Verify the validity of the given JWT using the given public key.
        """
        parsed = self._parsed
        if parsed is None:
            return None
        verifier = _get_verifier(int(get_setting("TIMESTAMP_TOLERANCE")))
        backend = get_nonce_backend()
        with _using_nonce_backend(backend):
            status, message = verifier.verify(parsed, public_key._key, _now_for(parsed.time))
            error = _nonce_scope.error
            _nonce_scope.error = None
        if error is not None:
            # The nonce backend failed (e.g. its cache is down): that is not a verdict on the token.
            raise error
        if status != _OK:
            logger.debug("JWT failed verification: %s. jwt:[%s]", message, redact_token(self.token))
            return None
        return Token(parsed.username, parsed.time)
