"""
Signing and verifying tokens. The protocol (encoding, signature, claim checks, time window) is libajwt's;
Python supplies the clock (``time.time()``, so ``freezegun`` and ``mock.patch("time.time")`` work) and the
configured nonce backend, which records the nonce of each token libajwt accepted.
"""

from collections.abc import Collection
from functools import cached_property
from typing import Any, Literal, cast
import base64
import hashlib
import json
import logging
import threading
import time

from . import _native, get_setting, get_settings, keys
from .exceptions import AJWTError
from .nonce import get_nonce_backend, import_backend
from .utils import escape_control_characters, printable

logger = logging.getLogger(__name__)

_OK = int(_native.Status.OK)


def redact_token(token: str | bytes) -> str:
    """
    A loggable stand-in for a token: its length and first characters (part of the header), never enough to
    replay it.
    """
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else str(token)
    return f"{escape_control_characters(text[:10])}...({len(text)} chars)"


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

    def create_auth_header(self, private_key: keys.FacadePrivateKey, **binding: Any) -> str:
        """
        Create an HTTP Authorization header. ``binding``: the request binding keywords of :meth:`sign`.
        """
        auth_method = get_setting("AUTH_METHOD")
        token = self.sign(private_key, **binding)
        return f"{auth_method} {token}"

    def sign(
        self,
        private_key: keys.FacadePrivateKey,
        *,
        method: str | None = None,
        target: str | None = None,
        body: bytes | None = None,
        audience: str | None = None,
    ) -> str:
        """
        Create and return signed authentication JWT. Each keyword given binds the token (docs/request-binding.md):
        ``method`` the HTTP method, ``target`` the request's path and query (or its absolute URL), ``body`` the body
        bytes as sent (``b""`` for none; their SHA-256 is signed), ``audience`` the service the token is for.
        Servers that do not check the binding (asymmetric-jwt-auth 1.x) ignore these claims.
        """
        algorithm = private_key.public_key.allowed_algorithms[0]
        nonce = get_nonce_backend().generate_nonce()
        if method is None and target is None and body is None and audience is None:
            return _native.sign(private_key._key, self.username, int(self.timestamp), nonce, algorithm)
        return _native.sign_request(
            private_key._key,
            self.username,
            int(self.timestamp),
            nonce,
            algorithm,
            method=method,
            target=target,
            body_digest=None if body is None else hashlib.sha256(body).digest(),
            audience=audience,
        )

    def __repr__(self) -> str:
        return f"<Token username={self.username!r} timestamp={self.timestamp}>"


# ---- verification plumbing -------------------------------------------------------------------------------


_verifiers: dict[int, _native.Verifier] = {}
_verifiers_lock = threading.Lock()


def _get_verifier(tolerance: int) -> _native.Verifier:
    """
    One configured native verifier per tolerance, made once: no policy set-up per request. It takes the tokens
    1.x takes (libajwt's 1.x policy: any ``typ``, a fractional ``time``, an integer ``nonce``) and checks the
    registered claims as 1.x's PyJWT does, with no leeway (1.x passes PyJWT none).
    """
    verifier = _verifiers.get(tolerance)
    if verifier is None:
        with _verifiers_lock:
            verifier = _verifiers.get(tolerance)
            if verifier is None:
                # No nonce store in libajwt: the configured Python backend records the nonce after libajwt's
                # verdict, so the verification itself runs start to end without the GIL.
                verifier = _native.Verifier(tolerance=tolerance, compat="1.x", leeway=0)
                _verifiers[tolerance] = verifier
    return verifier


#: A verifier's request-binding policy (settings ``REQUEST_BINDING``; system check E012 vets the value).
BindingPolicy = Literal["off", "when-present", "required"]

_binding_verifiers: dict[tuple[str, str | None], _native.Verifier] = {}


def check_request_binding(
    parsed: _native.ParsedToken,
    policy: str,
    audience: str | None,
    method: str | None,
    target: str | None,
    body_digest: bytes | None,
) -> tuple[int, str]:
    """
    libajwt's request-binding step for a parsed token: ``(status, message)``, status 0 when the token's bound claims
    (method, target, body digest, audience) fit the request under ``policy`` ("off", "when-present", "required").
    ``body_digest``: the SHA-256 of the body as received, None when unknown (a token bound to the body is refused).
    """
    key = (policy, audience)
    verifier = _binding_verifiers.get(key)
    if verifier is None:
        with _verifiers_lock:
            verifier = _binding_verifiers.setdefault(
                key, _native.Verifier(binding=cast(BindingPolicy, policy), audience=audience)
            )
    return verifier.check_request_binding(parsed, method, target, body_digest)


#: Longest header segment :func:`_header_alg` decodes (a real one is well under 1 KiB).
_MAX_HEADER_SEGMENT = 8192


def _header_alg(token: str) -> object:
    """
    The ``alg`` of a compact JWS's header alone, as 1.x read it (PyJWT's unverified header), for a token libajwt
    will not parse as a whole (e.g. an HMAC one, or one missing claims). None if there is no readable header.
    """
    segments = token.split(".") if isinstance(token, str) else []
    if len(segments) != 3 or len(segments[0]) > _MAX_HEADER_SEGMENT:
        return None
    try:
        header = json.loads(base64.urlsafe_b64decode(segments[0] + "=" * (-len(segments[0]) % 4)))
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(header, dict) or "crit" in header:  # no critical extension is understood (RFC 7515 §4.1.11)
        return None
    return header.get("alg")


# Parses as every verifier of this module does (1.x policy); the policy's tolerance plays no part in parsing.
_parser = _native.Verifier(compat="1.x")

_NOT_PARSED = object()


class UntrustedToken:
    """
    Represents a JWT received from user input (and not yet trusted)
    """

    token: str

    def __init__(self, token: str):
        self.token = token
        self._parse_result: _native.ParsedToken | None | object = _NOT_PARSED

    @property
    def _parsed(self) -> _native.ParsedToken | None:
        """
        The token parsed once by libajwt (header, claims, signature), or None if it is malformed. Every
        accessor and every verification against a key shares this one parse. (Not a ``cached_property``:
        on Python < 3.12 that takes a lock on every first access.)
        """
        parsed = self._parse_result
        if parsed is _NOT_PARSED:
            parsed = self._parse_result = self._parse()
        return parsed  # type: ignore[return-value]

    def _parse(self) -> _native.ParsedToken | None:
        try:
            return _parser.parse(self.token)
        except (AJWTError, TypeError, ValueError) as e:
            logger.debug("JWT is malformed: %s. jwt:[%s]", printable(e), redact_token(self.token))
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
        alg = parsed.alg if parsed is not None else _header_alg(self.token)
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
        tolerance, nonce_backend_path = get_settings("TIMESTAMP_TOLERANCE", "NONCE_BACKEND")
        verifier = _get_verifier(int(tolerance))
        # time.time() (not libajwt's clock), so freezegun and mock.patch("time.time") work. libajwt compares the
        # fractional clock exactly, as 1.x does (ajwt_verify_at): the time window and PyJWT's exp/nbf/iat rules.
        parsed = self._parse_result
        if parsed is _NOT_PARSED and isinstance(self.token, str):
            # Not parsed yet (e.g. a token checked against one key): parse and verify in one native call
            try:
                status, message, parsed = verifier.parse_and_verify_at(self.token, public_key._key, time.time())
            except TypeError as e:  # text that isn't valid Unicode (lone surrogates): malformed, as _parse says
                status, message, parsed = -1, str(e), None
            self._parse_result = parsed
            if parsed is None:
                logger.debug("JWT is malformed: %s. jwt:[%s]", printable(message), redact_token(self.token))
                return None
        else:
            parsed = self._parsed
            if parsed is None:
                return None
            status, message = verifier.verify_at(parsed, public_key._key, time.time())
        if status != _OK:
            logger.debug("JWT failed verification: %s. jwt:[%s]", printable(message), redact_token(self.token))
            return None
        # Signature, claims and time are good: now the nonce is spent. A backend that raises (e.g. its cache is
        # down) propagates: that is not a verdict on the token.
        # A fractional time (1.x accepts one) is recorded under its floor: the nonce key is always whole seconds,
        # so the same nonce sent again with another fraction is still a replay.
        username, timestamp = parsed.username, parsed.time
        if not import_backend(nonce_backend_path)().check_and_record_nonce(username, timestamp, parsed.nonce):
            # Worded as libajwt words its own refusals (AJWT_ERR_NONCE_REPLAYED)
            logger.debug("JWT failed verification: nonce already used. jwt:[%s]", redact_token(self.token))
            return None
        exact_time = parsed.exact_time
        # As upstream: a 1.x token's fractional time is given back as it was signed (Token's hint says int).
        return Token(username, timestamp if exact_time == timestamp else exact_time)  # type: ignore[arg-type]
