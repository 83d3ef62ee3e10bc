from typing import Any

from django.contrib import admin
from django.db.models import URLField
import django

from . import models

# JWKS URLs are fetched over https only: let a URL typed without a scheme mean https (Django 5.0+).
_URL_FORMFIELD: dict[Any, dict[str, Any]] = {URLField: {"assume_scheme": "https"}} if django.VERSION >= (5, 0) else {}


@admin.register(models.PublicKey)
class PublicKeyAdmin(admin.ModelAdmin):  # type:ignore[type-arg]
    list_display = ("user", "comment", "last_used_on")
    fields = ("user", "comment", "key", "last_used_on")
    # A raw id widget instead of a <select> of every user, so the page stays fast on sites with many users.
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(models.JWKSEndpointTrust)
class JWKSEndpointTrustAdmin(admin.ModelAdmin):  # type:ignore[type-arg]
    list_display = ("user", "jwks_url", "last_used_on")
    fields = ("user", "jwks_url", "last_used_on")
    raw_id_fields = ("user",)
    formfield_overrides = _URL_FORMFIELD
    list_select_related = ("user",)
