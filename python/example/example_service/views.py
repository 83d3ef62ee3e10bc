from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def whoami(request: HttpRequest) -> JsonResponse:
    """
    Who the request is authenticated as. JWTAuthMiddleware has set ``request.user`` when the
    Authorization header carried a valid token; otherwise it is anonymous and the answer is 401.
    """
    if not request.user.is_authenticated:
        response = JsonResponse({"detail": "Authentication required: send 'Authorization: JWT <token>'."}, status=401)
        response["WWW-Authenticate"] = "JWT"
        return response
    return JsonResponse({"username": request.user.get_username()})
