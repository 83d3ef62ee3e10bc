from django.contrib import admin
from django.urls import include, path

from .views import whoami

urlpatterns = [
    path("admin/", admin.site.urls),
    path("whoami", whoami, name="whoami"),
    # /.well-known/jwks.json: the public keys of the ASYMMETRIC_JWT_AUTH["SIGNING_PUBLIC_KEYS"] setting
    path("", include("asymmetric_jwt_auth.urls")),
]
