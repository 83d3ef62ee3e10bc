"""
Django REST framework authentication (needs ``djangorestframework``: ``pip install "asymmetric-jwt-auth[drf]"``).

    REST_FRAMEWORK = {
        "DEFAULT_AUTHENTICATION_CLASSES": ["asymmetric_jwt_auth.drf.JWTAuthentication", ...],
    }

It verifies exactly as :class:`~asymmetric_jwt_auth.middleware.JWTAuthMiddleware` does (same settings,
repositories, nonce backend and logging). With the middleware installed too, a request it already judged is not
verified again: its outcome is kept on the request, so the token's nonce is spent once.

A request without a JWT is left to the other authentication classes (``authenticate`` returns None); a JWT that is
refused (malformed, bad signature, expired, replayed, unknown user or key, inactive user) gives 401 with
``WWW-Authenticate: JWT``, as does a view needing authentication reached without one when this class comes first.

When ``drf-spectacular`` is installed, importing this module registers the OpenAPI security scheme ``JWT``
(an ``apiKey`` in the ``Authorization`` header) for views using this class.
"""

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from . import get_setting
from .middleware import AUTHENTICATION_RESULT_ATTRIBUTE, RequestAuthenticator
from .tokens import Token


class JWTAuthentication(BaseAuthentication):
    """DRF authentication with asymmetric-key JWTs: ``Authorization: JWT <token>``."""

    #: Built on first use and shared by every instance (DRF makes one per request): loading the configured
    #: repositories once, as the middleware does.
    _authenticator: RequestAuthenticator | None = None

    @classmethod
    def get_authenticator(cls) -> RequestAuthenticator:
        authenticator = JWTAuthentication._authenticator
        if authenticator is None:
            authenticator = JWTAuthentication._authenticator = RequestAuthenticator()
        return authenticator

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        django_request = request._request
        result = self.get_authenticator().authenticate(django_request)
        if result is not None:
            return result
        if not hasattr(django_request, AUTHENTICATION_RESULT_ATTRIBUTE):
            return None  # no JWT: another authentication class may know the request
        # One message for every refusal: the reason is logged (DEBUG), the client is told nothing more
        raise exceptions.AuthenticationFailed("Invalid, expired or already used token.")

    def authenticate_header(self, request: Request) -> str:
        return str(get_setting("AUTH_METHOD"))


def _reset_authenticator(**kwargs: Any) -> None:
    """Settings that choose the repositories changed (tests' override_settings): build the authenticator anew."""
    if kwargs.get("setting") == "ASYMMETRIC_JWT_AUTH":
        JWTAuthentication._authenticator = None


def _register_openapi_extension() -> None:
    try:
        from drf_spectacular.extensions import OpenApiAuthenticationExtension
    except ImportError:
        return

    class JWTAuthenticationScheme(OpenApiAuthenticationExtension):  # type:ignore[misc,no-any-unimported]
        target_class = "asymmetric_jwt_auth.drf.JWTAuthentication"
        name = "JWT"

        def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
            return {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": (
                    f'"{get_setting("AUTH_METHOD")} <token>": a JWT signed with one of the user\'s registered private keys '
                    "(claims username, time, nonce), new for every request."
                ),
            }


def _connect() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_reset_authenticator, dispatch_uid="asymmetric_jwt_auth.drf.reset_authenticator")


_connect()
_register_openapi_extension()
