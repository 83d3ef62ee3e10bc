"""Django REST framework views of the test project (tests/python/test_drf*.py), protected by JWTAuthentication."""

import threading

from django.http import HttpResponseRedirect
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asymmetric_jwt_auth.drf import JWTAuthentication


class WhoAmI(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"username": request.user.get_username(), "token_username": getattr(request.auth, "username", None)})

    def post(self, request: Request) -> Response:
        return self.get(request)


class SessionWhoAmI(WhoAmI):
    """The same view behind DRF's session authentication (the benchmark's baseline)."""

    authentication_classes = [SessionAuthentication]


class Unavailable:
    """How many authenticated requests ``Flaky`` still answers with 503 (set by a test; the live server shares it)."""

    lock = threading.Lock()
    failures_left = 0
    #: Authorization headers that ``Flaky`` authenticated, in order
    authorizations: list[str] = []


class Flaky(WhoAmI):
    """Authenticates (spending the token's nonce), then answers 503 while ``Unavailable.failures_left``."""

    def get(self, request: Request) -> Response:
        with Unavailable.lock:
            Unavailable.authorizations.append(request.META["HTTP_AUTHORIZATION"])
            if Unavailable.failures_left > 0:
                Unavailable.failures_left -= 1
                return Response({"detail": "try again"}, status=503)
        return super().get(request)


class RedirectToWhoAmI(WhoAmI):
    """Authenticates, then redirects to WhoAmI on the same host: the redirected request needs a token of its own."""

    def get(self, request: Request) -> HttpResponseRedirect:  # type: ignore[override]
        return HttpResponseRedirect("/api/whoami/")
