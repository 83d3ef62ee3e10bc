"""
The admin of keys and JWKS trusts, through real requests: a key registered for a user lets its holder act as that
user, so an editor may register keys only for the users they may change themselves, and for superusers only when
they are one.
"""

from typing import Any

from django.contrib.auth.models import Permission, User
from django.test import Client, RequestFactory
import pytest

from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
from asymmetric_jwt_auth.tokens import Token

pytestmark = pytest.mark.django_db

KEYS = "/admin/asymmetric_jwt_auth/publickey/"
TRUSTS = "/admin/asymmetric_jwt_auth/jwksendpointtrust/"


def staff(username: str, *permissions: str) -> Any:
    user = User.objects.create_user(username=username, password="pw", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)  # without the permission cache


KEY_PERMISSIONS = [f"{action}_{model}" for action in ("add", "change", "view", "delete") for model in ("publickey", "jwksendpointtrust")]


@pytest.fixture
def users() -> dict[str, Any]:
    return {
        "root": User.objects.create_superuser(username="root", password="pw"),
        "svc": User.objects.create_user(username="svc"),
        "editor": staff("editor", *KEY_PERMISSIONS),  # may manage keys, not users
        "add_only": staff("add_only", "add_publickey"),  # the finding: this alone became a superuser
        "manager": staff("manager", "change_user", *KEY_PERMISSIONS),  # may change users
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_key(client: Client, user: Any, public_key: Any) -> Any:
    return client.post(f"{KEYS}add/", {"user": user.pk, "comment": "", "key": public_key.as_pem.decode()})


def authenticates_as(user: Any, private_key: Any) -> bool:
    from asymmetric_jwt_auth.middleware import JWTAuthMiddleware

    request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token(user.username).create_auth_header(private_key))
    JWTAuthMiddleware(lambda r: None)(request)
    return getattr(request, "user", None) == user


@pytest.mark.parametrize("editor", ["add_only", "editor", "manager"])
def test_staff_cannot_register_a_key_for_a_superuser(users: dict[str, Any], ed25519_key: Any, editor: str) -> None:
    client = client_for(users[editor])
    assert client.get(f"{KEYS}add/").status_code == 200
    response = add_key(client, users["root"], ed25519_key.public_key)  # a forged POST: the widget offers no list
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not PublicKey.objects.filter(user=users["root"]).exists()
    assert not authenticates_as(users["root"], ed25519_key)
    response = client.post(f"{TRUSTS}add/", {"user": users["root"].pk, "jwks_url": "https://example.com/jwks.json"})
    assert response.status_code in (200, 403)
    assert not JWKSEndpointTrust.objects.filter(user=users["root"]).exists()


@pytest.mark.parametrize("editor", ["add_only", "editor"])
def test_staff_without_user_permissions_registers_keys_for_themselves_only(users: dict[str, Any], ed25519_key: Any, editor: str) -> None:
    client = client_for(users[editor])
    response = add_key(client, users["svc"], ed25519_key.public_key)
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert not PublicKey.objects.filter(user=users["svc"]).exists()
    # The field offers exactly the editor
    offered = response.context["adminform"].form.fields["user"].queryset
    assert list(offered) == [users[editor]]
    assert add_key(client, users[editor], ed25519_key.public_key).status_code == 302
    assert PublicKey.objects.filter(user=users[editor]).count() == 1


def test_user_manager_registers_keys_for_other_users_but_not_superusers(users: dict[str, Any], ed25519_key: Any) -> None:
    client = client_for(users["manager"])
    response = client.get(f"{KEYS}add/")
    offered = set(response.context["adminform"].form.fields["user"].queryset)
    assert users["svc"] in offered and users["editor"] in offered and users["root"] not in offered
    assert add_key(client, users["svc"], ed25519_key.public_key).status_code == 302
    assert authenticates_as(users["svc"], ed25519_key)
    assert client.post(f"{TRUSTS}add/", {"user": users["svc"].pk, "jwks_url": "https://example.com/jwks.json"}).status_code == 302
    assert JWKSEndpointTrust.objects.filter(user=users["svc"]).exists()


def test_superuser_registers_keys_for_anyone(users: dict[str, Any], ed25519_key: Any) -> None:
    client = client_for(users["root"])
    assert add_key(client, users["root"], ed25519_key.public_key).status_code == 302
    assert add_key(client, users["svc"], ed25519_key.public_key).status_code == 302
    assert authenticates_as(users["root"], ed25519_key)


def test_editor_cannot_see_or_change_keys_of_users_beyond_them(users: dict[str, Any], ed25519_key: Any, rsa_key: Any) -> None:
    root_key = PublicKey.objects.create(user=users["root"], key=rsa_key.public_key.as_pem.decode(), comment="root's")
    svc_key = PublicKey.objects.create(user=users["svc"], key=rsa_key.public_key.as_pem.decode(), comment="svc's")
    own_key = PublicKey.objects.create(user=users["editor"], key=rsa_key.public_key.as_pem.decode(), comment="own")
    client = client_for(users["editor"])
    listed = list(client.get(KEYS).context["cl"].result_list)
    assert listed == [own_key]
    for key in (root_key, svc_key):
        # Replacing the key text of another user's key would let the editor act as them
        response = client.post(f"{KEYS}{key.pk}/change/", {"user": key.user_id, "comment": "", "key": ed25519_key.public_key.as_pem.decode()})
        assert response.status_code == 302 and response.url == "/admin/"  # "doesn't exist"
        key.refresh_from_db()
        assert key.key == rsa_key.public_key.as_pem.decode()
        client.post(f"{KEYS}{key.pk}/delete/", {"post": "yes"})
        assert PublicKey.objects.filter(pk=key.pk).exists()
    # Moving their own key to a superuser is refused as adding one is
    response = client.post(f"{KEYS}{own_key.pk}/change/", {"user": users["root"].pk, "comment": "", "key": ed25519_key.public_key.as_pem.decode()})
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    own_key.refresh_from_db()
    assert own_key.user == users["editor"]
    # Bulk deletion acts on the listed keys only
    client.post(KEYS, {"action": "delete_selected", "_selected_action": [root_key.pk, own_key.pk], "post": "yes"})
    assert PublicKey.objects.filter(pk=root_key.pk).exists()


def test_user_manager_sees_keys_of_non_superusers(users: dict[str, Any], rsa_key: Any) -> None:
    PublicKey.objects.create(user=users["root"], key=rsa_key.public_key.as_pem.decode())
    svc_key = PublicKey.objects.create(user=users["svc"], key=rsa_key.public_key.as_pem.decode())
    assert list(client_for(users["manager"]).get(KEYS).context["cl"].result_list) == [svc_key]
    assert len(client_for(users["root"]).get(KEYS).context["cl"].result_list) == 2
