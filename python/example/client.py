#!/usr/bin/env python3
"""
Example client: signs requests with asymmetric_jwt_auth and sends them with ``requests``.

    python client.py http://127.0.0.1:8000 --user demo-user --key private.pem

Checks, against the example service's /whoami, that a signed request is authenticated as the user
and that a replayed token, a tampered token and a token signed by an unregistered key are all
rejected. Prints one line per check and exits 0 when every check passed, 1 otherwise.
"""

from collections.abc import Callable
import argparse
import base64
import json
import sys

import requests

# No Django settings needed: a client that only signs runs with the package's defaults
from asymmetric_jwt_auth.client import RequestsAuth
from asymmetric_jwt_auth.keys import Ed25519PrivateKey, FacadePrivateKey, PrivateKey
from asymmetric_jwt_auth.tokens import Token
from server_log import ServerLog  # (beside this file)

TIMEOUT = 10  # seconds per request


# ---- the checks --------------------------------------------------------------------------------------


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tamper(auth_header: str) -> str:
    """The same token with its payload changed after signing (a different nonce); the signature is kept."""
    method, token = auth_header.split(" ", 1)
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["nonce"] = claims["nonce"] + "x"
    return f"{method} {header}.{b64url_encode(json.dumps(claims, separators=(',', ':')).encode())}.{signature}"


class Demo:
    def __init__(self, base_url: str, username: str, private_key: FacadePrivateKey, server_log: ServerLog):
        self.url = base_url.rstrip("/") + "/whoami"
        self.username = username
        self.private_key = private_key
        self.log = server_log
        self.session = requests.Session()
        self.failures = 0

    def get(self, auth: requests.auth.AuthBase | None = None, header: str | None = None) -> requests.Response:
        headers = {"Authorization": header} if header is not None else {}
        return self.session.get(self.url, auth=auth, headers=headers, timeout=TIMEOUT)

    def report(self, ok: bool, label: str, detail: str) -> None:
        self.failures += not ok
        print(f"  {'✔' if ok else '✘'} {label:<48} {detail}", flush=True)

    def rejected(self, response: requests.Response) -> tuple[bool, str]:
        reason = self.log.reason()
        detail = f"{response.status_code}" + (f" (server: {reason})" if reason else "")
        return response.status_code == 401, detail

    def check_no_token(self) -> None:
        ok, detail = self.rejected(self.get())
        self.report(ok, "request without a token → rejected", detail)

    def check_authenticated(self) -> str:
        """Returns the Authorization header that was sent, for the replay check."""
        response = self.get(auth=RequestsAuth(self.private_key, self.username))
        self.log.reason()
        ok = response.status_code == 200 and response.json().get("username") == self.username
        self.report(ok, f"authenticated as {self.username}", f"{response.status_code} {response.text}")
        return str(response.request.headers["Authorization"])

    def check_replay(self, used_header: str) -> None:
        ok, detail = self.rejected(self.get(header=used_header))
        self.report(ok, "same token replayed → rejected", detail)

    def check_tampered(self) -> None:
        original = Token(self.username).create_auth_header(self.private_key)
        ok, detail = self.rejected(self.get(header=tamper(original)))
        # The untouched token still passes: the rejection was the tampering, not the token.
        still_valid = self.get(header=original).status_code == 200
        self.log.reason()
        if not still_valid:
            detail += "; the untampered token failed too"
        self.report(ok and still_valid, "tampered token → rejected", detail)

    def check_unregistered_key(self) -> None:
        stranger = Ed25519PrivateKey.generate()
        ok, detail = self.rejected(self.get(auth=RequestsAuth(stranger, self.username)))
        self.report(ok, "token signed by an unregistered key → rejected", detail)

    def run(self) -> int:
        checks: list[tuple[str, Callable[[], object]]] = [
            ("request without a token", self.check_no_token),
            ("authenticated request, then its replay", lambda: self.check_replay(self.check_authenticated())),
            ("tampered token", self.check_tampered),
            ("unregistered key", self.check_unregistered_key),
        ]
        for name, check in checks:
            try:
                check()
            except (requests.RequestException, ValueError, KeyError) as e:
                self.report(False, name, f"error: {e}")
        return 1 if self.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("url", help="base URL of the example service, e.g. http://127.0.0.1:8000")
    parser.add_argument("--user", required=True, help="the username the key is registered for")
    parser.add_argument("--key", required=True, help="private key file (PKCS#8 or traditional PEM, OpenSSH)")
    parser.add_argument("--server-log", help="the service's log file, to show why it rejected requests")
    args = parser.parse_args()

    private_key = PrivateKey.load_pem_from_file(args.key)
    return Demo(args.url, args.user, private_key, ServerLog(args.server_log)).run()


if __name__ == "__main__":
    sys.exit(main())
