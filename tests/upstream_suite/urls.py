"""URLs of the upstream-suite project (as upstream's sandbox: i18n, admin, and the app's own URLs)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("asymmetric_jwt_auth.urls")),
]
