"""The example clients' token/verify commands, with the Python package asymmetric_jwt_auth."""
import argparse
import sys
from unittest import mock

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
django.setup()

from asymmetric_jwt_auth import keys, tokens  # noqa: E402


def verify(public_path: str, token: str, now: int) -> str | None:
    with open(public_path, "rb") as f:
        error, public = keys.PublicKey.load_serialized_public_key(f.read())
    if public is None:
        raise SystemExit(f"python: {public_path}: {error}")
    with mock.patch("time.time", return_value=float(now)):
        verified = tokens.UntrustedToken(token.strip()).verify(public)
    return None if verified is None else verified.username


parser = argparse.ArgumentParser()
parser.add_argument("command", choices=["token", "verify", "verify-batch"])
for flag in ("key", "password", "user", "nonce", "public", "token"):
    parser.add_argument("--" + flag)
parser.add_argument("--time", type=int)
parser.add_argument("--now", type=int)
args = parser.parse_args()
if args.command == "token":
    with open(args.key, "rb") as f:
        private = keys.PrivateKey.load_pem(f.read(), password=args.password.encode() if args.password else None)
    print(tokens.Token(args.user, args.time).sign(private))
    sys.exit(0)
if args.command == "verify-batch":  # one interpreter for many checks: lines "public now token"
    for line in sys.stdin:
        public_path, now, token = line.split()
        print(verify(public_path, token, int(now)) or "-")
    sys.exit(0)
username = verify(args.public, args.token, args.now)
if username is None:
    sys.exit("python: token rejected")
print(username)
