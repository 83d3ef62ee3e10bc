"""Models, migrations (same names and schema as upstream 1.x), admin pages, repositories."""

from io import StringIO
from typing import Any
from unittest import mock

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone
import pytest

from asymmetric_jwt_auth import keys, models, tokens
from asymmetric_jwt_auth.repos import django as django_repos
from asymmetric_jwt_auth.repos import get_public_key_repositories, get_user_repository

pytestmark = pytest.mark.django_db

UPSTREAM_MIGRATIONS = [
    "0001_initial",
    "0002_publickey_comment",
    "0003_auto_20151112_1547",
    "0004_auto_20191104_1628",
    "0005_auto_20210304_1116",
    "0006_jwksendpointtrust_last_used_on_alter_publickey_key",
]


class TestValidatePublicKey:
    @pytest.mark.parametrize("name", ["rsa_pem", "ed25519_pem", "rsa_openssh", "ed25519_openssh"])
    def test_valid(self, compat: dict[str, Any], name: str) -> None:
        models.validate_public_key(compat["public_keys"][name]["text"])

    @pytest.mark.parametrize("name", ["rsa_pem", "ed25519_pem", "rsa_openssh", "ed25519_openssh"])
    def test_invalid(self, compat: dict[str, Any], name: str) -> None:
        with pytest.raises(ValidationError, match="Public key is invalid"):
            models.validate_public_key(compat["invalid_public_keys"][name])

    def test_private_key_is_not_a_public_key(self, rsa_key: Any) -> None:
        with pytest.raises(ValidationError):
            models.validate_public_key(rsa_key.as_pem.decode())

    def test_new_key_types(self, ec_key: Any) -> None:
        models.validate_public_key(ec_key.public_key.as_pem.decode())
        models.validate_public_key(keys.Ed448PrivateKey.generate().public_key.as_openssh)


class TestPublicKey:
    @pytest.fixture(autouse=True)
    def _user(self) -> None:
        self.user = User.objects.create_user(username="foo")

    def test_extract_comment(self, compat: dict[str, Any]) -> None:
        pub = models.PublicKey(user=self.user, key=compat["public_keys"]["ed25519_openssh"]["text"], comment="")
        pub.save()
        assert pub.comment == "crgwbr@foo"

    def test_comment_with_spaces_and_explicit_comment(self, ed25519_key: Any) -> None:
        line = f"{ed25519_key.public_key.as_openssh} deploy key for ci"
        assert models.PublicKey.objects.create(user=self.user, key=line).comment == "deploy key for ci"
        assert models.PublicKey.objects.create(user=self.user, key=line, comment="mine").comment == "mine"
        assert models.PublicKey.objects.create(user=self.user, key=ed25519_key.public_key.as_pem.decode()).comment == ""
        long_line = f"{ed25519_key.public_key.as_openssh} {'x' * 300}"
        assert len(models.PublicKey.objects.create(user=self.user, key=long_line).comment) == 100

    def test_update_last_used_datetime(self, compat: dict[str, Any]) -> None:
        pub = models.PublicKey.objects.create(user=self.user, key=compat["public_keys"]["ed25519_openssh"]["text"])
        assert pub.last_used_on is None
        pub.update_last_used_datetime()
        pub.refresh_from_db()
        assert abs((pub.last_used_on - timezone.now()).total_seconds()) < 5

    def test_get_key(self, compat: dict[str, Any]) -> None:
        facts = compat["public_keys"]
        assert isinstance(models.PublicKey(user=self.user, key=facts["ed25519_openssh"]["text"]).get_key(), keys.Ed25519PublicKey)
        assert isinstance(models.PublicKey(user=self.user, key=facts["rsa_openssh"]["text"]).get_key(), keys.RSAPublicKey)
        assert isinstance(models.PublicKey(user=self.user, key=facts["rsa_pem"]["text"]).get_key(), keys.RSAPublicKey)

    def test_get_loaded_key_invalid(self, compat: dict[str, Any]) -> None:
        pub = models.PublicKey(user=self.user, key=compat["invalid_public_keys"]["ed25519_openssh"])
        pub.save()  # saving does not validate (as upstream); full_clean does
        with pytest.raises(ValueError):
            pub.get_key()
        with pytest.raises(ValidationError):
            pub.full_clean()

    def test_related_names(self, ed25519_key: Any) -> None:
        key = models.PublicKey.objects.create(user=self.user, key=ed25519_key.public_key.as_pem.decode())
        trust = models.JWKSEndpointTrust.objects.create(user=self.user, jwks_url="https://example.com/jwks.json")
        assert list(self.user.public_keys.all()) == [key]
        assert self.user.jwks_endpoint == trust


class TestMigrations:
    def test_same_migration_names_as_upstream(self) -> None:
        loader = MigrationLoader(connection)
        names = sorted(name for app, name in loader.disk_migrations if app == "asymmetric_jwt_auth")
        assert names == UPSTREAM_MIGRATIONS
        assert all(("asymmetric_jwt_auth", name) in loader.applied_migrations for name in UPSTREAM_MIGRATIONS)

    def test_migrations_reference_validate_public_key(self) -> None:
        loader = MigrationLoader(connection)
        for name in ("0004_auto_20191104_1628", "0005_auto_20210304_1116", "0006_jwksendpointtrust_last_used_on_alter_publickey_key"):
            migration = loader.disk_migrations[("asymmetric_jwt_auth", name)]
            fields = [op.field for op in migration.operations if getattr(op, "name", None) == "key"]
            assert fields[0].validators == [models.validate_public_key]

    def test_makemigrations_check_finds_nothing(self) -> None:
        out = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
        assert "No changes detected" in out.getvalue()

    def test_table_and_column_names(self) -> None:
        assert models.PublicKey._meta.db_table == "asymmetric_jwt_auth_publickey"
        assert models.JWKSEndpointTrust._meta.db_table == "asymmetric_jwt_auth_jwksendpointtrust"
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, "asymmetric_jwt_auth_publickey")}
            assert columns == {"id", "key", "user_id", "comment", "last_used_on"}
            columns = {c.name for c in connection.introspection.get_table_description(cursor, "asymmetric_jwt_auth_jwksendpointtrust")}
            assert columns == {"id", "jwks_url", "user_id", "last_used_on"}


class TestAdmin:
    @pytest.fixture(autouse=True)
    def _admin(self, ed25519_key: Any) -> None:
        self.admin = User.objects.create_superuser(username="admin", password="pw", email="admin@example.com")
        self.client = Client()
        self.client.force_login(self.admin)
        self.key = models.PublicKey.objects.create(user=self.admin, key=f"{ed25519_key.public_key.as_openssh} admin@host")
        self.trust = models.JWKSEndpointTrust.objects.create(user=self.admin, jwks_url="https://example.com/jwks.json")

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/asymmetric_jwt_auth/",
            "/admin/asymmetric_jwt_auth/publickey/",
            "/admin/asymmetric_jwt_auth/publickey/add/",
            "/admin/asymmetric_jwt_auth/jwksendpointtrust/",
            "/admin/asymmetric_jwt_auth/jwksendpointtrust/add/",
        ],
    )
    def test_pages_render(self, path: str) -> None:
        response = self.client.get(path)
        assert response.status_code == 200

    def test_change_pages_render_with_raw_id_user_widget(self) -> None:
        for path in (f"/admin/asymmetric_jwt_auth/publickey/{self.key.pk}/change/", f"/admin/asymmetric_jwt_auth/jwksendpointtrust/{self.trust.pk}/change/"):
            response = self.client.get(path)
            assert response.status_code == 200
            assert b"vForeignKeyRawIdAdminField" in response.content

    def test_add_page_does_not_list_every_user(self) -> None:
        User.objects.bulk_create([User(username=f"user{i}") for i in range(200)])
        response = self.client.get("/admin/asymmetric_jwt_auth/publickey/add/")
        assert response.status_code == 200
        assert b"user199" not in response.content

    def test_admin_validates_keys_before_saving(self, compat: dict[str, Any]) -> None:
        response = self.client.post(
            "/admin/asymmetric_jwt_auth/publickey/add/",
            {"user": self.admin.pk, "comment": "", "key": compat["invalid_public_keys"]["rsa_pem"]},
        )
        assert response.status_code == 200
        assert b"Public key is invalid" in response.content
        assert models.PublicKey.objects.count() == 1

    def test_admin_saves_a_valid_key(self, rsa_key: Any) -> None:
        response = self.client.post(
            "/admin/asymmetric_jwt_auth/publickey/add/",
            {"user": self.admin.pk, "comment": "rsa", "key": rsa_key.public_key.as_pem.decode()},
        )
        assert response.status_code == 302
        assert models.PublicKey.objects.filter(comment="rsa").exists()


class TestRepositories:
    def test_default_repositories(self) -> None:
        assert type(get_user_repository()) is django_repos.DjangoUserRepository
        assert [type(r) for r in get_public_key_repositories()] == [django_repos.DjangoJWKSRepository, django_repos.DjangoPublicKeyListRepository]

    def test_user_repository(self) -> None:
        user = User.objects.create_user(username="foo")
        repo = django_repos.DjangoUserRepository()
        assert repo.get_user("foo") == user
        assert repo.get_user("nobody") is None
        assert repo.get_user("FOO") is None

    def test_user_repository_lookup_field_setting(self, settings: Any) -> None:
        user = User.objects.create_user(username="foo", email="foo@example.com")
        User.objects.create_user(username="bar", email="shared@example.com")
        User.objects.create_user(username="baz", email="shared@example.com")
        settings.ASYMMETRIC_JWT_AUTH = {"USER_LOOKUP_FIELD": "email"}
        repo = django_repos.DjangoUserRepository()
        assert repo.get_user("foo@example.com") == user
        assert repo.get_user("foo") is None
        assert repo.get_user("shared@example.com") is None  # not unique: nobody

    def test_key_list_repository_sets_last_used(self, ed25519_key: Any) -> None:
        user = User.objects.create_user(username="foo")
        stored = models.PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())
        repo = django_repos.DjangoPublicKeyListRepository()
        untrusted = tokens.UntrustedToken(tokens.Token("foo").sign(ed25519_key))
        token = repo.attempt_to_verify_token(user, untrusted)
        assert token is not None and token.username == "foo"
        stored.refresh_from_db()
        assert stored.last_used_on is not None
        assert repo.attempt_to_verify_token(user, untrusted) is None  # replay

    def test_custom_repository_by_dotted_path(self, settings: Any, ed25519_key: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {
            "USER_REPOSITORY": "tests_support.StaticUserRepository",
            "PUBLIC_KEY_REPOSITORIES": ["tests_support.StaticKeyRepository"],
        }
        with mock.patch.dict("sys.modules", {"tests_support": _support_module(ed25519_key)}):
            from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
            from django.test import RequestFactory

            middleware = JWTAuthMiddleware(lambda r: None)
            request = RequestFactory().get("/", HTTP_AUTHORIZATION=tokens.Token("static").create_auth_header(ed25519_key))
            middleware(request)
        assert request.user == "static-user"


def _support_module(private_key: Any) -> Any:
    import types

    from asymmetric_jwt_auth.repos.base import BasePublicKeyRepository, BaseUserRepository

    module = types.ModuleType("tests_support")

    class StaticUserRepository(BaseUserRepository):
        def get_user(self, username: str) -> Any:
            return "static-user" if username == "static" else None

    class StaticKeyRepository(BasePublicKeyRepository):
        def attempt_to_verify_token(self, user: Any, untrusted_token: tokens.UntrustedToken) -> Any:
            return untrusted_token.verify(private_key.public_key)

    module.StaticUserRepository = StaticUserRepository  # type: ignore[attr-defined]
    module.StaticKeyRepository = StaticKeyRepository  # type: ignore[attr-defined]
    return module
