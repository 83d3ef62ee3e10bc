"""The contract's four endpoints (tests/fleet/README.md)."""

from functools import cache
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
import requests

from asymmetric_jwt_auth.client import RequestsAuth
from asymmetric_jwt_auth.tokens import UntrustedToken
from asymmetric_jwt_auth.utils import printable

logger = logging.getLogger(__name__)

#: Seconds a /call may wait for the service it calls.
CALL_TIMEOUT = 10


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def whoami(request: HttpRequest) -> HttpResponse:
    user = getattr(request, "user", None)  # set by JWTAuthMiddleware only when the token verified
    if user is not None and user.is_authenticated:
        return JsonResponse({"service": settings.NAME, "user": user.get_username()})
    logger.info("401 %s /whoami: refused (claimed user [%s]; the reason is logged above)", request.method, _claimed_user(request))
    response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = "JWT"
    return response


def _claimed_user(request: HttpRequest) -> str:
    method, _, token = request.headers.get("authorization", "").partition(" ")
    if method.upper() != "JWT" or not token:
        return "no JWT"
    return str(printable(UntrustedToken(token).get_claimed_username() or "none"))


@cache
def _client_auth() -> RequestsAuth:
    return RequestsAuth(settings.KEY_FILE, settings.NAME)


def call(request: HttpRequest) -> JsonResponse:
    url = request.GET.get("url", "")
    if not url.startswith(("http://", "https://")):
        return JsonResponse({"status": 0, "error": "url must be an absolute http(s) URL"}, status=400)
    try:
        response = requests.get(url, auth=_client_auth(), timeout=CALL_TIMEOUT)
    except requests.RequestException as e:
        return JsonResponse({"status": 0, "error": f"{type(e).__name__}: {e}"})
    return JsonResponse({"status": response.status_code, "body": response.text})


def jwks(request: HttpRequest) -> HttpResponse:
    if settings.JWKS_FILE is None:
        return HttpResponse("no --jwks-file\n", status=404, content_type="text/plain")
    try:
        with open(settings.JWKS_FILE, "rb") as f:  # re-read on every request: rotation rewrites the file
            body = f.read()
    except OSError as e:
        logger.error("cannot read the JWKS file: %s", printable(str(e)))
        return HttpResponse("JWKS file unreadable\n", status=503, content_type="text/plain")
    return HttpResponse(body, content_type="application/json")
