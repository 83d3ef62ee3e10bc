#!/usr/bin/env python3
"""
Does the middleware's response time reveal whether a username exists? Requests through Django's WSGIHandler
with JWTAuthMiddleware (default settings: SQLite in memory, both Django key repositories), each carrying a
forged token (a signature no key makes), for:

- ``bad signature``: a user who exists and has a registered key of the token's type;
- ``unknown user``: a username that matches no user (the decoy path).

The two alternate in short blocks; the figure is the median over blocks of the ratio of their times per
request, unknown user / bad signature: 1.0 means indistinguishable, the target is 0.9-1.1.

    .venv-test/bin/python bench/python/bench_decoy.py [--blocks 40] [--block-seconds 0.2]
"""

from typing import Any
import argparse
import base64
import io
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_python import configure_django, paired_rates  # noqa: E402

#: (algorithm, signature length in bytes, key type) per case
CASES = {"Ed25519": ("EdDSA", 64), "RSA-2048": ("RS512", 256)}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_header(username: str, alg: str, signature_length: int) -> str:
    head = _b64(json.dumps({"typ": "JWT", "alg": alg}).encode())
    payload = _b64(json.dumps({"username": username, "time": int(time.time()), "nonce": "forged"}).encode())
    return f"JWT {head}.{payload}.{_b64(bytes([1]) * signature_length)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blocks", type=int, default=40)
    parser.add_argument("--block-seconds", type=float, default=0.2)
    args = parser.parse_args()

    configure_django()
    from django.contrib.auth.models import User
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    from asymmetric_jwt_auth.keys import Ed25519PrivateKey, RSAPrivateKey
    from asymmetric_jwt_auth.models import PublicKey

    call_command("migrate", verbosity=0)
    private_keys: dict[str, Any] = {"Ed25519": Ed25519PrivateKey.generate(), "RSA-2048": RSAPrivateKey.generate(size=2048)}
    for name, key in private_keys.items():
        user = User.objects.create_user(username=f"svc-{name.lower()}")
        PublicKey.objects.create(user=user, key=key.public_key.as_pem.decode())
    handler = WSGIHandler()
    base_environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "bench",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }

    def requester(header: str) -> Any:
        def request(_: int) -> None:
            environ = dict(base_environ, HTTP_AUTHORIZATION=header)
            environ["wsgi.input"] = io.BytesIO(b"")
            response = handler(environ, lambda status, headers, exc_info=None: None)
            body = b"".join(response)
            response.close()
            assert body == b"", "a forged token authenticated"

        return request

    print(f"forged tokens through the middleware, {args.blocks} alternating blocks of ~{args.block_seconds} s")
    print(f"{'key type':<10} {'bad signature µs':>17} {'unknown user µs':>16} {'ratio unknown/bad':>18}")
    for name, (alg, signature_length) in CASES.items():
        methods = {
            "bad signature": requester(forged_header(f"svc-{name.lower()}", alg, signature_length)),
            "unknown user": requester(forged_header(f"nobody-{name.lower()}", alg, signature_length)),
        }
        rates = paired_rates(methods, args.blocks, args.block_seconds)
        blocks = rates["blocks"]
        # Times are the inverse of rates: unknown time / bad time = bad rate / unknown rate
        ratio = statistics.median(bad / unknown for bad, unknown in zip(blocks["bad signature"], blocks["unknown user"], strict=True))
        bad_us, unknown_us = (1e6 / rates["median"][key] for key in ("bad signature", "unknown user"))
        print(f"{name:<10} {bad_us:>17.1f} {unknown_us:>16.1f} {ratio:>18.3f}")


if __name__ == "__main__":
    main()
