from django.urls import path

from . import views

urlpatterns = [
    path("health", views.health),
    path("whoami", views.whoami),
    path("call", views.call),
    path(".well-known/jwks.json", views.jwks),
]
