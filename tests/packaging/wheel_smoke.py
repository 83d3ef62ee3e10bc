"""Smoke test of an installed libajwt-django wheel (scripts/test-wheel-debootstrap.sh runs it in a
bare Debian root): sign and verify with both key types, refuse tampered and stale tokens, and a
Django request through JWTAuthMiddleware on SQLite, accepted once and refused when replayed.
Prints one line per check; any failure raises."""

import os
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings

work = Path(tempfile.mkdtemp())
(work / "smoke_urls.py").write_text(
    "from django.http import HttpResponse\n"
    "from django.urls import path\n"
    "def whoami(request):\n"
    "    if not request.user.is_authenticated:\n"
    "        return HttpResponse('anonymous', status=401)\n"
    "    return HttpResponse(request.user.get_username())\n"
    "urlpatterns = [path('whoami', whoami)]\n"
)
sys.path.insert(0, str(work))
settings.configure(
    SECRET_KEY="smoke-test-only",
    ALLOWED_HOSTS=["testserver"],
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "asymmetric_jwt_auth"],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "asymmetric_jwt_auth.middleware.JWTAuthMiddleware",
    ],
    ROOT_URLCONF="smoke_urls",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(work / "db.sqlite3")}},
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

import asymmetric_jwt_auth  # noqa: E402
from asymmetric_jwt_auth import keys, tokens  # noqa: E402
from asymmetric_jwt_auth.models import PublicKey  # noqa: E402

native = Path(asymmetric_jwt_auth._native.__file__)
print(f"libajwt-django {metadata.version('libajwt-django')}: {native}")
# The extension runs on the copies the wheel carries (Python's own _ssl/_hashlib may load the
# system's libcrypto too: the wheel's copy has its own soname, so the two stay apart).
maps = Path(f"/proc/{os.getpid()}/maps").read_text()
for lib in ("libcrypto", "libsodium"):
    loaded = {line.split()[-1] for line in maps.splitlines() if f"/{lib}" in line}
    bundled = {path for path in loaded if "/libajwt_django.libs/" in path}
    assert bundled, f"{lib}: no copy from the wheel loaded ({loaded})"
    print(f"{lib}: {', '.join(sorted(loaded))}")

for private in (keys.Ed25519PrivateKey.generate(), keys.RSAPrivateKey.generate()):
    public = private.public_key
    token = tokens.Token("alice").sign(private)
    verified = tokens.UntrustedToken(token).verify(public)
    assert verified is not None and verified.username == "alice", verified
    head, body, signature = token.split(".")
    tampered = f"{head}.{body}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert tokens.UntrustedToken(tampered).verify(public) is None
    stale = tokens.Token("alice", int(time.time()) - 60).sign(private)
    assert tokens.UntrustedToken(stale).verify(public) is None
    print(f"{type(private).__name__}: signed, verified; tampered and stale tokens refused")

call_command("migrate", verbosity=0)
private = keys.Ed25519PrivateKey.generate()
user = User.objects.create_user("alice")
PublicKey.objects.create(user=user, key=private.public_key.as_pem.decode())
header = f"JWT {tokens.Token('alice').sign(private)}"
client = Client()
first = client.get("/whoami", HTTP_AUTHORIZATION=header)
assert first.status_code == 200 and first.content == b"alice", (first.status_code, first.content)
replayed = client.get("/whoami", HTTP_AUTHORIZATION=header)
assert replayed.status_code == 401, (replayed.status_code, replayed.content)
print("Django middleware on SQLite: request authenticated as alice, replay refused")
print("wheel smoke test passed")
