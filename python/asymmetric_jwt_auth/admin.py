"""
The admin of public keys and JWKS endpoint trusts.

A key (or a trusted JWKS URL) lets whoever holds the private key act as its user, so registering one for a user is
as powerful as changing that user's password. An editor therefore sees, adds and changes keys and trusts only of the
users they may change themselves: themselves; any user if they hold the user model's ``change`` permission (which
in Django's user admin also lets them set passwords); a superuser only if they are one.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, QuerySet, URLField
from django.http import HttpRequest
import django

from . import models

# JWKS URLs are fetched over https only: let a URL typed without a scheme mean https (Django 5.0+).
_URL_FORMFIELD: dict[Any, dict[str, Any]] = {URLField: {"assume_scheme": "https"}} if django.VERSION >= (5, 0) else {}


def users_editable_by(editor: Any) -> "QuerySet[Any]":
    """The users whose keys and JWKS trusts ``editor`` may add or change (see the module's documentation)."""
    user_model = get_user_model()
    users = user_model._default_manager.all()
    if getattr(editor, "is_superuser", False):
        return users
    opts = user_model._meta
    if not editor.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}"):
        users = users.filter(pk=editor.pk)
    try:
        opts.get_field("is_superuser")
    except FieldDoesNotExist:  # a user model without superusers
        return users
    return users.filter(is_superuser=False)


class _UserKeyAdmin(admin.ModelAdmin):
    """Lists, and offers in the user field, only the users the editor may change (:func:`users_editable_by`)."""

    # A raw id widget instead of a <select> of every user, so the page stays fast on sites with many users.
    raw_id_fields = ("user",)
    list_select_related = ("user",)

    def get_queryset(self, request: HttpRequest) -> "QuerySet[Any]":
        return super().get_queryset(request).filter(user__in=users_editable_by(request.user))

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            # A posted id outside this set is refused by the field's validation ("Select a valid choice")
            kwargs["queryset"] = users_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.PublicKey)
class PublicKeyAdmin(_UserKeyAdmin):
    list_display = ("user", "comment", "last_used_on")
    fields = ("user", "comment", "key", "last_used_on")


@admin.register(models.JWKSEndpointTrust)
class JWKSEndpointTrustAdmin(_UserKeyAdmin):
    list_display = ("user", "jwks_url", "last_used_on")
    fields = ("user", "jwks_url", "last_used_on")
    formfield_overrides = _URL_FORMFIELD
