"""
With a swapped-in user model (settings.AUTH_USER_MODEL = "accounts.Account": USERNAME_FIELD "email", no
``username`` field). Run as its own pytest invocation with --ds testproject.settings_custom_user.
"""

from io import StringIO
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.test import Client, RequestFactory
import pytest

from asymmetric_jwt_auth.keys import Ed25519PrivateKey, RSAPrivateKey
from asymmetric_jwt_auth.middleware import JWTAuthMiddleware, user_can_authenticate
from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
from asymmetric_jwt_auth.repos.django import DjangoUserRepository
from asymmetric_jwt_auth.tokens import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def account() -> Any:
    return get_user_model().objects.create_user(email="svc@example.com", handle="svc")


@pytest.fixture(scope="module")
def key() -> Any:
    return Ed25519PrivateKey.generate()


def test_settings_swap_the_user_model() -> None:
    assert settings.AUTH_USER_MODEL == "accounts.Account"
    assert get_user_model()._meta.label == "accounts.Account"
    fk = PublicKey._meta.get_field("user")
    assert fk.related_model is get_user_model()
    assert JWKSEndpointTrust._meta.get_field("user").related_model is get_user_model()


def test_migrations_and_makemigrations_check() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def test_user_found_by_username_field(account: Any) -> None:
    repo = DjangoUserRepository()
    assert repo.get_user("svc@example.com") == account
    assert repo.get_user("svc") is None


def test_lookup_field_setting(settings: Any, account: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"USER_LOOKUP_FIELD": "handle"}
    assert DjangoUserRepository().get_user("svc") == account
    assert DjangoUserRepository().get_user("svc@example.com") is None


def test_middleware_authenticates_custom_user(account: Any, key: Any) -> None:
    stored = PublicKey.objects.create(user=account, key=key.public_key.as_pem.decode())
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("svc@example.com").create_auth_header(key))
    JWTAuthMiddleware(lambda r: None)(request)
    assert request.user == account
    stored.refresh_from_db()
    assert stored.last_used_on is not None


def test_end_to_end_with_test_client(account: Any, key: Any) -> None:
    PublicKey.objects.create(user=account, key=key.public_key.as_openssh + " svc@host")
    client = Client()
    header = Token("svc@example.com").create_auth_header(key)
    assert client.get("/whoami/", HTTP_AUTHORIZATION=header).json() == {"authenticated": True, "username": "svc@example.com"}
    assert client.get("/whoami/", HTTP_AUTHORIZATION=header).json()["authenticated"] is False
    other = RSAPrivateKey.generate()
    assert client.get("/whoami/", HTTP_AUTHORIZATION=Token("svc@example.com").create_auth_header(other)).json()["authenticated"] is False


def test_admin_pages_with_custom_user(account: Any, key: Any) -> None:
    admin = get_user_model().objects.create_superuser(email="admin@example.com", password="pw")
    client = Client()
    client.force_login(admin)
    stored = PublicKey.objects.create(user=account, key=key.public_key.as_pem.decode())
    for path in (
        "/admin/asymmetric_jwt_auth/publickey/",
        "/admin/asymmetric_jwt_auth/publickey/add/",
        f"/admin/asymmetric_jwt_auth/publickey/{stored.pk}/change/",
        "/admin/asymmetric_jwt_auth/jwksendpointtrust/add/",
    ):
        assert client.get(path).status_code == 200, path
    response = client.post("/admin/asymmetric_jwt_auth/publickey/add/", {"user": account.pk, "comment": "", "key": "not a key"})
    assert response.status_code == 200
    assert b"Public key is invalid" in response.content


def test_inactive_custom_user_is_refused(settings: Any, account: Any, key: Any) -> None:
    PublicKey.objects.create(user=account, key=key.public_key.as_pem.decode())
    account.is_active = False
    account.save()
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("svc@example.com").create_auth_header(key))
    JWTAuthMiddleware(lambda r: None)(request)
    assert getattr(request, "user", None) is None
    settings.ASYMMETRIC_JWT_AUTH = {"AUTHENTICATE_INACTIVE_USERS": True}
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("svc@example.com").create_auth_header(key))
    JWTAuthMiddleware(lambda r: None)(request)
    assert request.user == account


def test_user_model_without_is_active_may_authenticate() -> None:
    """As Django's ModelBackend: a user object without ``is_active`` counts as active."""

    class Service:
        pk = 1

    assert user_can_authenticate(Service())
    assert AbstractBaseUser.is_active is True  # what a custom model without the field inherits
