import importlib.util

from asgiref.sync import sync_to_async
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_http_methods


def whoami(request: HttpRequest) -> JsonResponse:
    user = request.user
    return JsonResponse({"authenticated": bool(user.is_authenticated), "username": user.get_username() if user.is_authenticated else None})


@require_http_methods(["POST"])
def post_whoami(request: HttpRequest) -> JsonResponse:
    # Not csrf_exempt: passes only when the middleware disabled CSRF checks for a JWT-authenticated request
    return whoami(request)


async def async_whoami(request: HttpRequest) -> JsonResponse:
    # Evaluating request.user may hit the session/database, which is sync-only
    return await sync_to_async(whoami)(request)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("whoami/", whoami),
    path("whoami/post/", post_whoami),
    path("whoami/async/", async_whoami),
    path("", include("asymmetric_jwt_auth.urls")),
]

if importlib.util.find_spec("rest_framework") is not None:  # the drf extra (installed by scripts/test-python.sh)
    from . import api

    urlpatterns += [
        path("api/whoami/", api.WhoAmI.as_view()),
        path("api/session-whoami/", api.SessionWhoAmI.as_view()),
        path("api/flaky/", api.Flaky.as_view()),
        path("api/redirect/", api.RedirectToWhoAmI.as_view()),
    ]
