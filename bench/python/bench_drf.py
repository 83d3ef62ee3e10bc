#!/usr/bin/env python3
"""
Requests per second through one Django REST framework view, authenticated two ways in the same run:

- ``JWTAuthentication`` (asymmetric_jwt_auth.drf): each request carries a token signed beforehand (the client's
  signing is not timed), verified with the user's registered key, its nonce recorded;
- DRF's ``SessionAuthentication`` on an already logged-in session (the cost users compare with): the session row
  and the user read from the database on each request.

Both through Django's WSGIHandler in this process (no network), the same SQLite database file, the same
middleware (sessions, authentication), ``IsAuthenticated``. The driver alternates short blocks of the two so that
the noise of a shared machine hits them alike; a rate is the median of its blocks. Prints both rates and the ratio
(target: JWT costs no more than 1.3× a session request).

    .venv-test/bin/python bench/python/bench_drf.py [--blocks 15] [--block-size 200] [--key ed25519|rsa]

Needs the package with its ``drf`` extra (scripts/test-python.sh installs it in .venv-test).
"""

from collections.abc import Callable
from typing import Any
import argparse
import io
import os
import statistics
import sys
import tempfile
import time


def configure(db_path: str) -> None:
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="bench-only",
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        USE_TZ=True,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "rest_framework",
            "asymmetric_jwt_auth",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        ROOT_URLCONF=__name__,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        REST_FRAMEWORK={"UNAUTHENTICATED_USER": None},
        LOGGING_CONFIG=None,
    )
    django.setup()


urlpatterns: list[Any] = []


def add_views() -> None:
    from django.urls import path
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from asymmetric_jwt_auth.drf import JWTAuthentication

    class WhoAmI(APIView):
        permission_classes = [IsAuthenticated]

        def get(self, request: Any) -> Response:
            return Response({"username": request.user.get_username()})

    class JWTWhoAmI(WhoAmI):
        authentication_classes = [JWTAuthentication]

    class SessionWhoAmI(WhoAmI):
        authentication_classes = [SessionAuthentication]

    urlpatterns[:] = [path("jwt/", JWTWhoAmI.as_view()), path("session/", SessionWhoAmI.as_view())]


def environ(path: str, **headers: str) -> dict[str, Any]:
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    env.update(headers)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--blocks", type=int, default=15, help="blocks of each kind (default 15)")
    parser.add_argument("--block-size", type=int, default=200, help="requests per block (default 200)")
    parser.add_argument("--key", choices=("ed25519", "rsa"), default="ed25519", help="the client's key type (default ed25519)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ajwt-bench-drf-") as tmp:
        configure(os.path.join(tmp, "db.sqlite3"))
        add_views()
        from django.contrib.auth.models import User
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.management import call_command
        from django.test import Client

        from asymmetric_jwt_auth.keys import Ed25519PrivateKey, RSAPrivateKey
        from asymmetric_jwt_auth.models import PublicKey
        from asymmetric_jwt_auth.tokens import Token

        call_command("migrate", verbosity=0)
        user = User.objects.create_user(username="bench", password="bench-password")
        private_key = Ed25519PrivateKey.generate() if args.key == "ed25519" else RSAPrivateKey.generate()
        PublicKey.objects.create(user=user, key=private_key.public_key.as_pem.decode())
        client = Client()
        assert client.login(username="bench", password="bench-password")
        session_cookie = f"sessionid={client.cookies['sessionid'].value}"

        handler = WSGIHandler()
        statuses: list[str] = []

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            statuses.append(status)

        def run_block(make_environ: Callable[[int], dict[str, Any]]) -> float:
            environs = [make_environ(i) for i in range(args.block_size)]  # tokens signed before the clock starts
            statuses.clear()
            started = time.perf_counter()
            for env in environs:
                for _ in handler(env, start_response):
                    pass
            elapsed = time.perf_counter() - started
            if statuses != ["200 OK"] * args.block_size:
                raise SystemExit(f"a request was not authenticated: {sorted(set(statuses))}")
            return args.block_size / elapsed

        kinds: dict[str, Callable[[int], dict[str, Any]]] = {
            "JWTAuthentication": lambda i: environ("/jwt/", HTTP_AUTHORIZATION=Token("bench").create_auth_header(private_key)),
            "SessionAuthentication": lambda i: environ("/session/", HTTP_COOKIE=session_cookie),
        }
        for make in kinds.values():  # warm-up: imports, first queries, caches
            run_block(make)
        rates: dict[str, list[float]] = {name: [] for name in kinds}
        for _ in range(args.blocks):
            for name, make in kinds.items():
                rates[name].append(run_block(make))

    jwt_rate = statistics.median(rates["JWTAuthentication"])
    session_rate = statistics.median(rates["SessionAuthentication"])
    ratio = session_rate / jwt_rate
    print(f"DRF view, {args.blocks} alternating blocks of {args.block_size} requests each, median rate (WSGIHandler, SQLite):")
    for label, rate in (("SessionAuthentication (logged-in session)", session_rate), (f"JWTAuthentication ({args.key} key)", jwt_rate)):
        print(f"  {label:<42} {rate:9.0f} req/s  {1e6 / rate:7.1f} µs/request")
    print(f"  cost ratio JWT / session: {ratio:.2f}x (target <= 1.30x){'' if ratio <= 1.3 else '  -- above target'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
