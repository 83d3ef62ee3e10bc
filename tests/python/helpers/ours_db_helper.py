"""
Runs with our package against an SQLite database file (e.g. one that upstream 1.x created), in its own
process so that it can point Django at that file. Reads one JSON command on stdin, answers JSON on stdout.

  {"cmd": "use", "path": ..., "username": ..., "private_pem": ...}
      migrate --check, makemigrations --check, then authenticate a request through the middleware
  {"cmd": "schema", "path": ...}
      migrate a fresh database with our migrations and return the app's table definitions
"""

import json
import sys

import django
from django.conf import settings


def configure(db_path: str) -> None:
    settings.configure(
        SECRET_KEY="ours-helper",
        USE_TZ=True,
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "asymmetric_jwt_auth"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def tables() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'asymmetric_jwt_auth%' ORDER BY name")
        return dict(cursor.fetchall())


def use(cmd: dict) -> dict:  # type: ignore[type-arg]
    from io import StringIO

    from django.core.management import call_command
    from django.test import RequestFactory

    from unittest import mock

    from asymmetric_jwt_auth.exceptions import JWKSFetchError
    from asymmetric_jwt_auth.keys import PrivateKey
    from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
    from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
    from asymmetric_jwt_auth.tokens import Token

    result: dict[str, object] = {}
    try:
        call_command("migrate", check=True, verbosity=0)
        result["migrate_check"] = "clean"
    except SystemExit as e:
        result["migrate_check"] = f"unapplied migrations ({e.code})"
    try:
        call_command("makemigrations", "asymmetric_jwt_auth", check=True, dry_run=True, stdout=StringIO())
        result["makemigrations_check"] = "clean"
    except SystemExit as e:
        result["makemigrations_check"] = f"changes detected ({e.code})"
    result["keys"] = [(k.user.username, k.comment, type(k.get_key()).__name__) for k in PublicKey.objects.order_by("id")]
    result["jwks_urls"] = list(JWKSEndpointTrust.objects.values_list("jwks_url", flat=True))

    private_key = PrivateKey.load_pem(cmd["private_pem"].encode())
    header = Token(cmd["username"]).create_auth_header(private_key)
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=header)
    # The stored JWKS endpoint is unreachable here (no network): as if it were down
    with mock.patch("asymmetric_jwt_auth.jwks._fetch_jwks", side_effect=JWKSFetchError("offline")):
        JWTAuthMiddleware(lambda r: None)(request)
    user = getattr(request, "user", None)
    result["authenticated_as"] = user.username if user is not None else None
    result["last_used_set"] = list(
        PublicKey.objects.filter(user__username=cmd["username"], last_used_on__isnull=False).values_list("comment", flat=True)
    )
    return result


def schema(cmd: dict) -> dict:  # type: ignore[type-arg]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {"tables": tables()}


def main() -> None:
    cmd = json.load(sys.stdin)
    configure(cmd["path"])
    handlers = {"use": use, "schema": schema}
    json.dump(handlers[cmd["cmd"]](cmd), sys.stdout)


if __name__ == "__main__":
    main()
