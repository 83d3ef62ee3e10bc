"""
Runs inside the virtualenv of upstream asymmetric-jwt-auth 1.x (same import name as ours, hence a separate
interpreter). Reads one JSON command on stdin, writes one JSON answer on stdout.

Commands:
  {"cmd": "sign", "private_pem": ..., "username": ..., "timestamp": int|null}  -> {"header": ...}
  {"cmd": "verify", "public_key": ..., "token": ...}        -> {"username": str|null, "timestamp": int|null}
  {"cmd": "describe", "public_key": ...}                    -> {"fingerprint", "jwk", "pem", "algorithms"}
  {"cmd": "makedb", "path": ..., "users": [{"username", "keys": [...], "jwks_url": str|null}]}
                                                            -> {"tables": {...}, "migrations": [...]}
  {"cmd": "authenticate", "username": ..., "public_key": ..., "headers": [...], "clock": float}
                                                            -> [{"user": str|null} | {"error": "TypeError"}, ...]
  {"cmd": "batch", "commands": [...]}                       -> [answer, ...] (not makedb)
"""

import contextlib
import datetime
import json
import sys

import django
from django.conf import settings


def configure(db_path: str = ":memory:") -> None:
    settings.configure(
        SECRET_KEY="upstream-helper",
        USE_TZ=True,
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "asymmetric_jwt_auth"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    )
    django.setup()


def load_public(text: str):  # type: ignore[no-untyped-def]
    from asymmetric_jwt_auth.keys import PublicKey

    exc, key = PublicKey.load_serialized_public_key(text.encode())
    if key is None:
        raise exc  # type: ignore[misc]
    return key


def sign(cmd: dict) -> dict:  # type: ignore[type-arg]
    from asymmetric_jwt_auth.keys import PrivateKey
    from asymmetric_jwt_auth.tokens import Token

    key = PrivateKey.load_pem(cmd["private_pem"].encode(), password=(cmd.get("password") or "").encode() or None)
    return {"header": Token(cmd["username"], cmd.get("timestamp")).create_auth_header(key)}


def verify(cmd: dict) -> dict:  # type: ignore[type-arg]
    from asymmetric_jwt_auth.tokens import UntrustedToken

    token = UntrustedToken(cmd["token"]).verify(load_public(cmd["public_key"]))
    return {"username": token.username if token else None, "timestamp": token.timestamp if token else None}


def describe(cmd: dict) -> dict:  # type: ignore[type-arg]
    key = load_public(cmd["public_key"])
    jwk = None
    try:
        jwk = key.as_jwk
    except NotImplementedError:
        pass
    return {"fingerprint": key.fingerprint, "jwk": jwk, "pem": key.as_pem.decode(), "algorithms": key.allowed_algorithms}


def makedb(cmd: dict) -> dict:  # type: ignore[type-arg]
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey

    call_command("migrate", verbosity=0)
    for spec in cmd["users"]:
        user = User.objects.create_user(username=spec["username"])
        for key in spec.get("keys", []):
            PublicKey.objects.create(user=user, key=key)
        if spec.get("jwks_url"):
            JWKSEndpointTrust.objects.create(user=user, jwks_url=spec["jwks_url"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'asymmetric_jwt_auth%' ORDER BY name")
        tables = dict(cursor.fetchall())
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'asymmetric_jwt_auth' ORDER BY name")
        migrations = [row[0] for row in cursor.fetchall()]
    return {"tables": tables, "migrations": migrations, "comments": list(PublicKey.objects.order_by("id").values_list("comment", flat=True))}


def authenticate(cmd: dict) -> list:  # type: ignore[type-arg]
    """The middleware's decision for each Authorization header: the user it authenticated, or the exception."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.http import HttpResponse

    from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
    from asymmetric_jwt_auth.models import PublicKey

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(username=cmd["username"])
    PublicKey.objects.create(user=user, key=cmd["public_key"])
    middleware = JWTAuthMiddleware(lambda request: HttpResponse())
    with frozen_clock(cmd["clock"]):
        return [decide(middleware, header) for header in cmd["headers"]]


@contextlib.contextmanager
def frozen_clock(clock: float):  # type: ignore[no-untyped-def]
    """1.3.0's clock (time.time()) and PyJWT's (datetime.now()) both stopped at `clock`."""
    from unittest import mock

    class FrozenDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def]
            return datetime.datetime.fromtimestamp(clock, tz)

    with mock.patch("time.time", return_value=clock), mock.patch("jwt.api_jwt.datetime", FrozenDatetime):
        yield


def decide(middleware, header: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/", HTTP_AUTHORIZATION=header)
    request.user = AnonymousUser()
    try:
        middleware(request)
    except Exception as e:  # upstream's own crash is the answer (a 500 for the client)
        return {"error": type(e).__name__}
    return {"user": request.user.username if request.user.is_authenticated else None}


HANDLERS = {"sign": sign, "verify": verify, "describe": describe, "makedb": makedb, "authenticate": authenticate}


def main() -> None:
    cmd = json.load(sys.stdin)
    configure(cmd.get("path", ":memory:") if cmd["cmd"] == "makedb" else ":memory:")
    if cmd["cmd"] == "batch":  # several commands, one interpreter start-up
        json.dump([HANDLERS[c["cmd"]](c) for c in cmd["commands"]], sys.stdout)
    else:
        json.dump(HANDLERS[cmd["cmd"]](cmd), sys.stdout)


if __name__ == "__main__":
    main()
