from collections.abc import Awaitable, Callable
from typing import Any
import hashlib
import logging
import threading
import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException, UnreadablePostError

from . import get_setting, get_settings
from .nonce import get_nonce_backend
from .repos import get_public_key_repositories, get_user_repository
from .tokens import Token, UntrustedToken, check_request_binding, redact_token
from .utils import printable

logger = logging.getLogger(__name__)

_model_backend = ModelBackend()


def user_can_authenticate(user: Any) -> bool:
    """
    Whether a user whose token verified may be authenticated: not if inactive (``is_active`` False), as Django's
    ``ModelBackend`` decides for passwords; users of a model without ``is_active`` may. The setting
    ``AUTHENTICATE_INACTIVE_USERS`` lets inactive users in too (as 1.x did).
    """
    return bool(get_setting("AUTHENTICATE_INACTIVE_USERS")) or _model_backend.user_can_authenticate(user)

#: Seconds between two log records of the same kind of verification failure (e.g. the cache is unreachable).
FAILURE_LOG_INTERVAL = 60.0


class _FailureLog:
    """
    Logs an error that may repeat on every request (a nonce cache or database that is down) at most once per
    ``FAILURE_LOG_INTERVAL`` for each exception type, with the number of occurrences left unlogged meanwhile.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: Exception type name -> (monotonic time of the last record, occurrences since then)
        self._seen: dict[str, tuple[float, int]] = {}

    def report(self, error: Exception) -> None:
        kind = f"{type(error).__module__}.{type(error).__qualname__}"
        now = time.monotonic()
        with self._lock:
            last, suppressed = self._seen.get(kind, (None, 0))
            if last is not None and now - last < FAILURE_LOG_INTERVAL:
                self._seen[kind] = (last, suppressed + 1)
                return
            self._seen[kind] = (now, 0)
        logger.error(
            "JWT authentication failed closed: the request stays anonymous because verification could not be completed "
            "(%s: %s). Is the nonce cache (ASYMMETRIC_JWT_AUTH['NONCE_CACHE_ALIAS']) or the database reachable, or the "
            "in-process nonce store full? "
            "Failures of this kind are logged at most once every %d s%s.",
            type(error).__name__,
            printable(error),
            FAILURE_LOG_INTERVAL,
            f"; {suppressed} more since the last record" if suppressed else "",
            exc_info=error,
        )


_failure_log = _FailureLog()


def request_body_digest(request: HttpRequest) -> bytes | None:
    """
    The SHA-256 of the request's body as received (after the server removed any chunked framing, before any
    content-coding is undone: Django never decodes one), or None when it cannot be had without breaking the request:
    its stream was already read without keeping the body (e.g. an upload handler consumed it), or it is larger than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``. Reading ``request.body`` keeps it cached on the request, so the view, ``request.POST``
    and ``request.FILES`` still see the whole body afterwards.
    """
    if not hasattr(request, "_body"):
        if getattr(request, "_read_started", False):
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if limit is not None and length > limit:
            return None
    try:
        return hashlib.sha256(request.body).digest()
    except (RequestDataTooBig, RawPostDataException, UnreadablePostError):
        return None


#: Attribute of a Django request on which the outcome of its JWT authentication is kept once it ran: the
#: ``(user, verified_token)`` pair, or None when the request carried a JWT that was refused. The middleware and
#: ``asymmetric_jwt_auth.drf.JWTAuthentication`` both read it, so a token is verified (and its nonce spent) once.
AUTHENTICATION_RESULT_ATTRIBUTE = "_asymmetric_jwt_auth_result"

AuthenticationResult = tuple[Any, Token]


class RequestAuthenticator:
    """
    Verifies the ``Authorization: JWT <token>`` header of a Django request: the one verification path that the
    middleware and the Django REST framework authentication class share (same settings, repositories, nonce
    backend and logging). Made once per middleware or authentication class instance: the repositories are
    loaded here, not per request.
    """

    def __init__(self) -> None:
        self.user_repo = get_user_repository()
        self.key_repos = get_public_key_repositories()
        self.supported_algorithms = self._get_supported_algorithms()

    def _get_supported_algorithms(self) -> frozenset[str] | None:
        """
        The algorithms some configured key repository can verify, or ``None`` if any repository may verify any.
        """
        algorithm_sets: list[frozenset[str] | None] = [getattr(repo, "supported_algorithms", None) for repo in self.key_repos]
        if any(algorithms is None for algorithms in algorithm_sets):
            return None
        return frozenset[str]().union(*(algorithms for algorithms in algorithm_sets if algorithms is not None))

    @staticmethod
    def token_of(request: HttpRequest) -> str | None:
        """
        The token of the request's ``Authorization`` header when its method is ours (``AUTH_METHOD``), else None:
        the request is not for this package to judge (no header, another scheme, a malformed header).
        """
        # Check for presence of auth header
        if "authorization" not in request.headers:
            logger.debug(
                "Exiting JWTAuthMiddleware because request does not contain authorization header",
            )
            return None

        # Ensure this auth header was meant for us (it has the JWT auth method).
        try:
            method, header_data = request.headers["authorization"].split(" ", 1)
        except ValueError as e:
            logger.debug(
                "Exiting JWTAuthMiddleware because authorization header is malformed. %s",
                str(e),
            )
            return None

        auth_method_setting = get_setting("AUTH_METHOD")
        if method.upper() != auth_method_setting:
            logger.debug(
                "Exiting JWTAuthMiddleware because header method [%s] does not match expected [%s]",
                printable(method.upper()[:32]),
                auth_method_setting,
            )
            return None
        return header_data

    def authenticate(self, request: HttpRequest) -> AuthenticationResult | None:
        """
        The ``(user, verified_token)`` that the request's JWT authenticates, or None if it has none or it is refused.
        Runs once per request: the outcome of a request that carries a JWT is kept on it
        (:data:`AUTHENTICATION_RESULT_ATTRIBUTE`, not set for a request without one) and returned again, so that a
        second caller (the middleware, then DRF) neither verifies again nor finds the nonce already spent. Never
        raises: infrastructure failures (a cache or database down) refuse the token.
        """
        if hasattr(request, AUTHENTICATION_RESULT_ATTRIBUTE):
            result: AuthenticationResult | None = getattr(request, AUTHENTICATION_RESULT_ATTRIBUTE)
            return result
        header_data = self.token_of(request)
        if header_data is None:
            return None
        result = self._verify_header(header_data, request)
        setattr(request, AUTHENTICATION_RESULT_ATTRIBUTE, result)
        return result

    @staticmethod
    def _binding_refused(untrusted_token: UntrustedToken, request: HttpRequest, header_data: str) -> bool:
        """
        Whether the token's request binding (``REQUEST_BINDING``, ``AUDIENCE``) refuses it for this request. Checked
        on the parsed, not yet verified, claims before any user lookup or signature check: a refusal spends no nonce,
        and acceptance still needs the signature over these very claims.
        """
        policy, audience = get_settings("REQUEST_BINDING", "AUDIENCE")
        if policy == "off":
            return False
        parsed = untrusted_token._parsed
        if parsed is None:
            return True
        status, message = check_request_binding(
            parsed, policy, audience, request.method, request.get_full_path(), request_body_digest(request)
        )
        if status != 0:
            logger.debug("Exiting JWTAuthMiddleware because %s. jwt:[%s]", printable(message), redact_token(header_data))
            return True
        return False

    def _verify_header(self, header_data: str, request: HttpRequest | None = None) -> AuthenticationResult | None:
        # Parsed once (by libajwt); every repository and key below shares this parse
        untrusted_token = UntrustedToken(header_data)
        # Not needed for equal timing (the decoy checks cover that), but it skips the DB for junk tokens
        if self.supported_algorithms is not None and not untrusted_token.has_supported_algorithm(self.supported_algorithms):
            logger.debug(
                "Exiting JWTAuthMiddleware because JWT is malformed or does not use a supported signing algorithm. jwt:[%s]",
                redact_token(header_data),
            )
            return None

        # Get the (unvalidated!) username that the request is claiming to be
        username = untrusted_token.get_claimed_username()
        if not username:
            logger.debug(
                "Exiting JWTAuthMiddleware because JWT did not contain a username claim. jwt:[%s]",
                redact_token(header_data),
            )
            return None

        try:
            if request is not None and self._binding_refused(untrusted_token, request, header_data):
                return None
            return self._verify(untrusted_token, username, header_data)
        except Exception as e:  # noqa: BLE001 - fail closed: no infrastructure failure may authenticate or crash a request
            _failure_log.report(e)
            return None

    def _verify(self, untrusted_token: UntrustedToken, username: str, header_data: str) -> AuthenticationResult | None:
        """
        Look the claimed user up and verify the token with its keys. Repositories and the nonce backend may raise
        (e.g. their cache is unreachable): the caller refuses the token.
        """
        # Get the user model
        user = self.user_repo.get_user(username=username)
        if not user:
            # Do the key lookups a real user would get, so the response time doesn't reveal whether the user exists
            for repo in self.key_repos:
                simulate = getattr(repo, "simulate_attempt_to_verify_token", None)
                if simulate is not None:
                    simulate(username, untrusted_token)
            logger.debug(
                "Exiting JWTAuthMiddleware because claimed username [%s] did not match any known users.",
                printable(username),
            )
            return None

        # Try and validate the token using a key from the key repo
        verified_token = None
        for repo in self.key_repos:
            verified_token = repo.attempt_to_verify_token(user, untrusted_token)
            if verified_token:
                break

        # No keys successfully validated the claim? Abort.
        if not verified_token:
            logger.debug(
                "Exiting JWTAuthMiddleware because JWT verification failed for claimed user [%s]. jwt:[%s]",
                printable(username),
                redact_token(header_data),
            )
            return None

        if not user_can_authenticate(user):
            logger.debug("Exiting JWTAuthMiddleware because user [%s] is inactive (is_active is False).", printable(username))
            return None

        logger.debug("Successfully authenticated %s using JWT", printable(username))
        return user, verified_token


class JWTAuthMiddleware:
    """Django middleware class for authenticating users using JWT Authentication headers"""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse] | Callable[[HttpRequest], Awaitable[HttpResponse]]):
        self.get_response = get_response
        self.nonce_backend = get_nonce_backend()
        self.authenticator = RequestAuthenticator()
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    # 1.x's attributes, kept assignable: they are the shared authenticator's
    @property
    def user_repo(self) -> Any:
        return self.authenticator.user_repo

    @user_repo.setter
    def user_repo(self, repo: Any) -> None:
        self.authenticator.user_repo = repo

    @property
    def key_repos(self) -> list[Any]:
        return self.authenticator.key_repos

    @key_repos.setter
    def key_repos(self, repos: list[Any]) -> None:
        self.authenticator.key_repos = repos

    @property
    def supported_algorithms(self) -> frozenset[str] | None:
        return self.authenticator.supported_algorithms

    @supported_algorithms.setter
    def supported_algorithms(self, algorithms: frozenset[str] | None) -> None:
        self.authenticator.supported_algorithms = algorithms

    def _get_supported_algorithms(self) -> frozenset[str] | None:
        return self.authenticator._get_supported_algorithms()

    def __call__(self, request: HttpRequest) -> Any:
        if self._is_async:
            return self.__acall__(request)
        # Attempt to authorize the request
        self.authorize_request(request)
        # Continue with the request
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        # Repositories use the ORM, which must not run in the event loop's thread. Requests without an
        # Authorization header skip the hop, so they never queue behind a slow verification (e.g. a JWKS fetch).
        if "authorization" in request.headers:
            await sync_to_async(self.authorize_request, thread_sensitive=True)(request)
        response: HttpResponse = await self.get_response(request)  # type:ignore[misc]
        return response

    def authorize_request(self, request: HttpRequest) -> HttpRequest:
        """
        Process a Django request and authenticate users.

        If a JWT authentication header is detected and it is determined to be valid, the user is set as
        ``request.user`` and CSRF protection is disabled (``request._dont_enforce_csrf_checks = True``) on
        the request.

        :param request: Django Request instance
        """
        result = self.authenticator.authenticate(request)
        if result is not None:
            request._dont_enforce_csrf_checks = True  # type:ignore[attr-defined]
            request.user = result[0]
        return request
