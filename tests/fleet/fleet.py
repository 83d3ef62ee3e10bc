#!/usr/bin/env python3
"""
The fleet test (tests/fleet/README.md): one private Redis server and one service per language on loopback, all
sharing that Redis for nonces and one key registry, then

  a. every service calls every other through its client adapter (caller x callee matrix);
  b. a token accepted by one service is replayed to every service: refused by all, in each of several rounds;
  c. a JWKS-trusting user: its keys served by one service's JWKS endpoint, rotated mid-test, picked up by
     every verifier within the TTL (and the old key refused once the new set is in);
  d. Redis stopped: every service refuses (401, still healthy); Redis restarted on the same port: every
     service accepts again, and replays are refused again.

Prints each check, the matrix and `N passed, M failed`; exits 1 on any failure. Runs with the test
virtualenv's Python (asymmetric_jwt_auth generates the keys and signs the orchestrator's own tokens; requests).

    python tests/fleet/fleet.py [--service NAME[=SCRIPT]]... [--rounds N] [--jwks-ttl S] [--keep]

A service NAME runs tests/fleet/servers/NAME.sh; NAME=SCRIPT runs tests/fleet/servers/SCRIPT.sh under another
name (e.g. django2=django: a second Django instance). A missing script is reported as MISSING, a failure.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
import argparse
import base64
import concurrent.futures
import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import requests

from asymmetric_jwt_auth import keys
from asymmetric_jwt_auth.tokens import Token

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_SERVICES = ["go", "rust", "node", "java", "django"]
#: The orchestrator's own registry user (signs the replayed and outage tokens).
CLIENT_USER = "fleet-client"
#: The registry user whose keys come from one service's JWKS endpoint only.
JWKS_USER = "jwks-user"
#: Key types handed out in turn: every service, the orchestrator and the JWKS keys.
KEY_TYPES: list[tuple[str, Callable[[], Any]]] = [
    ("Ed25519", lambda: keys.Ed25519PrivateKey.generate()),
    ("RSA-2048", lambda: keys.RSAPrivateKey.generate(2048)),
    ("P-256", lambda: keys.ECPrivateKey.generate("P-256")),
]
#: Seconds one HTTP request of the orchestrator may take (a /call includes the service's own request).
HTTP_TIMEOUT = 15.0
#: Seconds, beyond the JWKS TTL, that a verifier may take to pick up a rotated key set.
JWKS_MARGIN = 5.0
#: Seconds that every service gets to accept tokens again once Redis is back.
RECOVERY_TIMEOUT = 30.0
POLL_INTERVAL = 0.2
#: ajwt_verifier_nonce_ttl of the default policy (tolerance 20 s): 2 * 20 + 1.
NONCE_TTL = 41
LOG_TAIL_LINES = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Reply:
    status: int  # 0: no HTTP answer
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive from http_get
    error: str = ""

    def describe(self) -> str:
        if self.status == 0:
            return f"no answer ({self.error})"
        return f"{self.status} {self.body.strip()[:160]!r}"


def nonce_key(header: dict[str, str]) -> str:
    """
    The contract's Redis key for the nonce of the token in an Authorization header: ajwt_nonce_key, "ajwt-nonce-" and
    the hex SHA-256 over (u64 big-endian length, bytes) of the username, the decimal time and the nonce.
    """
    payload = header["Authorization"].split(" ", 1)[1].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    digest = hashlib.sha256()
    for part in (claims["username"], str(int(claims["time"])), claims["nonce"]):
        encoded = part.encode()
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return f"ajwt-nonce-{digest.hexdigest()}"


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = HTTP_TIMEOUT) -> Reply:
    try:
        response = requests.get(url, headers=headers or {}, timeout=timeout)
    except requests.RequestException as e:
        return Reply(0, error=f"{type(e).__name__}: {e}")
    return Reply(response.status_code, response.text, response.headers)


def poll(attempt: Callable[[], tuple[bool, str]], deadline: float) -> tuple[bool, str, int]:
    """Runs attempt until it succeeds or the monotonic deadline passes: (succeeded, last detail, attempts)."""
    attempts = 0
    while True:
        attempts += 1
        ok, detail = attempt()
        if ok or time.monotonic() >= deadline:
            return ok, detail, attempts
        time.sleep(POLL_INTERVAL)


class Redis:
    """A private redis-server on loopback (no persistence), in the foreground as our child process."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.dir = workdir / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30.0) -> None:
        self.starts += 1
        log = open(self.dir / f"redis-{self.starts}.log", "wb")
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not self.ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port} (see {self.dir})")
            time.sleep(0.05)

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def command(self, *words: str) -> bytes:
        """One command over RESP; the raw first line of the reply (e.g. b":1")."""
        request = f"*{len(words)}\r\n".encode() + b"".join(f"${len(w.encode())}\r\n{w}\r\n".encode() for w in words)
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(request)
            reply = b""
            while not reply.endswith(b"\r\n"):
                chunk = s.recv(256)
                if not chunk:
                    break
                reply += chunk
        return reply.split(b"\r\n", 1)[0]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass
class Service:
    name: str
    script: Path
    port: int
    key_file: Path
    log_file: Path
    key_type: str
    state: str = "new"  # MISSING, STARTING, UP, DIED, TIMEOUT
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def up(self) -> bool:
        return self.state == "UP"

    def start(self, redis_url: str, registry: Path, jwks_file: Path | None, jwks_ttl: int) -> None:
        if not self.script.is_file():
            self.state = "MISSING"
            return
        args = [str(self.script), "--name", self.name, "--port", str(self.port), "--redis-url", redis_url,
                "--registry", str(registry), "--key", str(self.key_file), "--jwks-ttl", str(jwks_ttl)]
        if jwks_file is not None:
            args += ["--jwks-file", str(jwks_file)]
        log = open(self.log_file, "wb")
        # Own session: stop() ends the script and whatever it started (a build tool, the server), and nothing else.
        self.process = subprocess.Popen(["bash", *args], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=ROOT, start_new_session=True)
        log.close()
        self.state = "STARTING"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        reply = http_get(f"{self.url}/health", timeout=2)
        return reply.status == 200 and reply.body.strip() == "ok"

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_file.read_text(errors="replace").splitlines()
        except OSError as e:
            return f"(no log: {e})"
        return "\n".join(text[-lines:])


class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []
        self.blamed: set[str] = set()

    def check(self, name: str, ok: bool, detail: str = "", services: Iterable[str] = ()) -> bool:
        if ok:
            self.passed += 1
            print(f"  PASS {name}" + (f" ({detail})" if detail else ""), flush=True)
        else:
            self.failed.append(name)
            self.blamed.update(services)
            print(f"  FAIL {name}: {detail}", flush=True)
        return ok


class Fleet:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.results = Results()
        self.redis = Redis(args.redis_server, workdir)
        self.registry_file = workdir / "REGISTRY.json"
        self.jwks_file = workdir / "jwks.json"
        self.services: list[Service] = []
        #: Every token the orchestrator signed: none may show up in a service's log.
        self.sent_tokens: list[str] = []
        key_types = iter(KEY_TYPES * 10)
        (workdir / "logs").mkdir()
        self.private_keys: dict[str, Any] = {}
        for spec in args.service or DEFAULT_SERVICES:
            name, _, script = spec.partition("=")
            key_type, generate = next(key_types)
            key_file = workdir / f"{name}.pem"
            self.private_keys[name] = self._write_key(generate(), key_file)
            self.services.append(Service(name, Path(args.servers_dir) / f"{script or name}.sh", free_port(), key_file,
                                         workdir / "logs" / f"{name}.log", key_type))
        self.client_key_type, generate = next(key_types)
        self.private_keys[CLIENT_USER] = generate()
        (self.jwks_key_type_a, generate_a), (self.jwks_key_type_b, generate_b) = next(key_types), next(key_types)
        self.jwks_key_a, self.jwks_key_b = generate_a(), generate_b()
        # The service whose /.well-known/jwks.json serves JWKS_USER's keys: --jwks-host, else the first that can start
        scripts_present = [s for s in self.services if s.script.is_file()]
        named = [s for s in self.services if s.name == args.jwks_host]
        self.jwks_host = (named or scripts_present or self.services)[0]

    @staticmethod
    def _write_key(private_key: Any, path: Path) -> Any:
        path.write_bytes(private_key.as_pem)
        path.chmod(0o600)
        return private_key

    # ---- setup -------------------------------------------------------------------------------------------

    def write_registry(self) -> None:
        users: list[dict[str, Any]] = []
        for name, private_key in self.private_keys.items():
            users.append({"username": name, "public_keys": [private_key.public_key.as_pem.decode()], "jwks_urls": []})
        users.append({"username": JWKS_USER, "public_keys": [], "jwks_urls": [f"{self.jwks_host.url}/.well-known/jwks.json"]})
        self.registry_file.write_text(json.dumps({"users": users}, indent=2))
        self.publish_jwks(self.jwks_key_a)

    def publish_jwks(self, private_key: Any) -> None:
        """Rewrites the JWKS file with private_key's public JWK (the host re-reads it on every request)."""
        jwk = dict(private_key.public_key.as_jwk)
        jwk.setdefault("kid", private_key.public_key.fingerprint)  # the kid libajwt signs with
        self.write_jwks_file(json.dumps({"keys": [jwk]}))

    def write_jwks_file(self, raw: str) -> None:
        temporary = self.jwks_file.with_suffix(".tmp")
        temporary.write_text(raw)
        temporary.replace(self.jwks_file)  # atomic: a request never reads half a file

    def start(self) -> None:
        print(f"== starting redis-server and {len(self.services)} services (work directory {self.workdir})", flush=True)
        self.redis.start()
        for service in self.services:
            jwks_file = self.jwks_file if service is self.jwks_host else None
            service.start(self.redis.url, self.registry_file, jwks_file, self.args.jwks_ttl)
        deadline = time.monotonic() + self.args.start_timeout
        started = time.monotonic()
        while any(s.state == "STARTING" for s in self.services):
            for service in self.services:
                if service.state != "STARTING":
                    continue
                if not service.alive():
                    service.state = "DIED"
                elif service.healthy():
                    service.state = "UP"
                    print(f"  {service.name} up on port {service.port} after {time.monotonic() - started:.1f} s", flush=True)
            if time.monotonic() > deadline:
                for service in self.services:
                    if service.state == "STARTING":
                        service.state = "TIMEOUT"
            time.sleep(POLL_INTERVAL)
        for service in self.services:
            detail = {"MISSING": f"no {service.script.relative_to(ROOT) if service.script.is_relative_to(ROOT) else service.script}",
                      "DIED": f"exited with {service.process.returncode if service.process else '?'} before /health answered",
                      "TIMEOUT": f"no /health 200 within {self.args.start_timeout} s"}.get(service.state, f"{service.key_type} key")
            self.results.check(f"start {service.name}: {service.state}", service.up, detail, [service.name])

    def stop(self) -> None:
        for service in self.services:
            service.stop()
        self.redis.stop()

    # ---- helpers -----------------------------------------------------------------------------------------

    def up_services(self) -> list[Service]:
        return [s for s in self.services if s.up]

    def signed_header(self, username: str, private_key: Any | None = None) -> dict[str, str]:
        key = private_key if private_key is not None else self.private_keys[username]
        header = Token(username).create_auth_header(key)
        self.sent_tokens.append(header.split(" ", 1)[1])
        return {"Authorization": header}

    @staticmethod
    def accepted(reply: Reply, service: Service, username: str) -> tuple[bool, str]:
        if reply.status != 200:
            return False, reply.describe()
        try:
            document = json.loads(reply.body)
        except ValueError:
            return False, f"200 but not JSON: {reply.body[:120]!r}"
        expected = {"service": service.name, "user": username}
        if not isinstance(document, dict) or {k: document.get(k) for k in expected} != expected:
            return False, f"200 but {document!r}, expected {expected!r}"
        return True, "200"

    @staticmethod
    def refused(reply: Reply) -> tuple[bool, str]:
        if reply.status != 401:
            return False, f"expected 401, got {reply.describe()}"
        if reply.headers.get("WWW-Authenticate", "").split(" ")[0].upper() != "JWT":
            return False, f"401 without 'WWW-Authenticate: JWT' (got {reply.headers.get('WWW-Authenticate')!r})"
        return True, "401"

    def whoami(self, service: Service, username: str, private_key: Any | None = None) -> Reply:
        return http_get(f"{service.url}/whoami", self.signed_header(username, private_key))

    def accepts(self, service: Service, username: str, private_key: Any | None = None) -> tuple[bool, str]:
        """Whether the service accepts a fresh token of the user (signed with private_key, default the user's)."""
        return self.accepted(self.whoami(service, username, private_key), service, username)

    # ---- a. every pair -----------------------------------------------------------------------------------

    def test_pairs(self) -> None:
        print("== a. every service calls every other (/call -> /whoami)", flush=True)
        cells: dict[tuple[str, str], str] = {}
        jobs = [(caller, callee) for caller in self.services for callee in self.services if caller is not callee]

        def call(pair: tuple[Service, Service]) -> tuple[bool, str, str]:
            caller, callee = pair
            if not caller.up or not callee.up:
                down = caller if not caller.up else callee
                return False, down.state[:4], f"{down.name} is {down.state}"
            url = f"{caller.url}/call?url={urllib.parse.quote(callee.url + '/whoami', safe='')}"
            reply = http_get(url)
            if reply.status != 200:
                return False, "ERR" if reply.status == 0 else str(reply.status), f"/call: {reply.describe()}"
            try:
                outcome = json.loads(reply.body)
                status = int(outcome["status"])
            except (ValueError, KeyError, TypeError):
                return False, "BAD", f"/call answered {reply.body[:160]!r}"
            if status == 0:
                return False, "ERR", f"{caller.name}'s client: {outcome.get('error')!r}"
            ok, detail = self.accepted(Reply(status, str(outcome.get("body", ""))), callee, caller.name)
            return ok, "ok" if ok else str(status), detail

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(call, jobs))
        for (caller, callee), (ok, cell, detail) in zip(jobs, outcomes, strict=True):
            cells[(caller.name, callee.name)] = cell
            # A pair with a service that is not up is that service's failure alone
            blamed = [s.name for s in (caller, callee) if not s.up] or [caller.name, callee.name]
            self.results.check(f"pair {caller.name} -> {callee.name}", ok, "" if ok else detail, blamed)
        self.print_matrix(cells)

    def print_matrix(self, cells: dict[tuple[str, str], str]) -> None:
        names = [s.name for s in self.services]
        width = max(8, *(len(n) + 2 for n in names))
        print("\n" + "caller \\ callee".ljust(16) + "".join(n.ljust(width) for n in names))
        for caller in names:
            row = "".join(("--" if caller == callee else cells[(caller, callee)]).ljust(width) for callee in names)
            print(caller.ljust(16) + row)
        print(flush=True)

    # ---- b. replays --------------------------------------------------------------------------------------

    def test_direct(self) -> None:
        print(f"== the orchestrator as {CLIENT_USER} ({self.client_key_type}) -> each service", flush=True)
        for service in self.up_services():
            ok, detail = self.accepts(service, CLIENT_USER)
            self.results.check(f"direct {CLIENT_USER} -> {service.name}", ok, detail, [service.name])

    def test_replays(self) -> None:
        up = self.up_services()
        print(f"== b. replays: {self.args.rounds} rounds, each token accepted once then replayed to all {len(up)} services", flush=True)
        if not up:
            self.results.check("replays", False, "no service is up")
            return
        for round_number in range(self.args.rounds):
            first = up[round_number % len(up)]
            header = self.signed_header(CLIENT_USER)
            ok, detail = self.accepted(http_get(f"{first.url}/whoami", header), first, CLIENT_USER)
            if not self.results.check(f"replay round {round_number + 1}: accepted by {first.name}", ok, detail, [first.name]):
                continue
            self.check_nonce_recorded(first, header, f"replay round {round_number + 1}")
            for target in up:
                ok, detail = self.refused(http_get(f"{target.url}/whoami", header))
                self.results.check(f"replay round {round_number + 1}: {first.name}'s token replayed to {target.name} refused", ok,
                                   "" if ok else detail, [target.name])

    def test_concurrent_replays(self) -> None:
        """One token sent to every service at the same moment: exactly one accepts it (SET NX is atomic across them)."""
        up = self.up_services()
        if len(up) < 2:
            return
        print(f"== b. concurrent replays: {self.args.rounds} tokens, each sent to all {len(up)} services at once", flush=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(up)) as pool:
            for round_number in range(self.args.rounds):
                header = self.signed_header(CLIENT_USER)
                replies = list(pool.map(http_get, [f"{s.url}/whoami" for s in up], [header] * len(up)))
                accepted = [s.name for s, r in zip(up, replies, strict=True) if self.accepted(r, s, CLIENT_USER)[0]]
                others = [f"{s.name}: {self.refused(r)[1]}" for s, r in zip(up, replies, strict=True)
                          if s.name not in accepted and not self.refused(r)[0]]
                ok = len(accepted) == 1 and not others
                detail = f"accepted by {accepted[0]}" if ok else f"accepted by {accepted or 'none'}" + (f"; {'; '.join(others)}" if others else "")
                self.results.check(f"concurrent round {round_number + 1}: exactly one of {len(up)} services accepts", ok, detail,
                                   [s.name for s in up] if not ok else [])

    def check_nonce_recorded(self, service: Service, header: dict[str, str], label: str) -> None:
        """The service recorded the accepted token's nonce in Redis under the shared key, expiring within the TTL."""
        key = nonce_key(header)
        try:
            ttl = int(self.redis.command("TTL", key).lstrip(b":"))
        except (OSError, ValueError) as e:
            self.results.check(f"{label}: {service.name}'s nonce key in Redis", False, f"TTL {key}: {e}", [service.name])
            return
        ok = 0 < ttl <= NONCE_TTL
        detail = f"{key[:24]}... TTL {ttl} s" if ok else (f"no key {key} (-2)" if ttl == -2 else f"TTL {ttl} (expected 1..{NONCE_TTL})")
        self.results.check(f"{label}: {service.name} recorded the nonce as ajwt_nonce_key with a TTL", ok, detail, [service.name])

    # ---- c. JWKS rotation --------------------------------------------------------------------------------

    def test_jwks(self) -> None:
        up = self.up_services()
        host = self.jwks_host
        ttl = self.args.jwks_ttl
        print(f"== c. JWKS: {JWKS_USER}'s keys served by {host.name}; key A ({self.jwks_key_type_a}) then B ({self.jwks_key_type_b}), TTL {ttl} s", flush=True)
        if not host.up:
            self.results.check(f"jwks: host {host.name} up", False, f"{host.name} is {host.state}", [host.name])
            return
        served = http_get(f"{host.url}/.well-known/jwks.json")
        self.results.check(f"jwks: {host.name} serves the JWKS file", served.status == 200 and self.jwks_key_a.public_key.fingerprint in served.body,
                           "" if served.status == 200 else served.describe(), [host.name])
        # Key A is served from the start: the first use of the URL fetches it (no key set cached yet).
        for service in up:
            ok, detail, attempts = poll(functools.partial(self.accepts, service, JWKS_USER, self.jwks_key_a),
                                        time.monotonic() + ttl + JWKS_MARGIN)
            self.results.check(f"jwks: key A accepted by {service.name}", ok, detail if not ok else f"attempt {attempts}", [service.name])

        self.publish_jwks(self.jwks_key_b)
        rotated = time.monotonic()
        deadline = rotated + ttl + JWKS_MARGIN
        print(f"  rotated {host.name}'s JWKS file to key B only; every verifier must take B within {ttl + JWKS_MARGIN:.0f} s", flush=True)
        for service in up:
            ok, detail, attempts = poll(functools.partial(self.accepts, service, JWKS_USER, self.jwks_key_b), deadline)
            self.results.check(f"jwks: key B accepted by {service.name} after rotation", ok,
                               detail if not ok else f"{time.monotonic() - rotated:.1f} s after rotation, attempt {attempts}", [service.name])
            if ok:
                # The verifier holds the new set, fetched from an endpoint that answered: A is no longer the user's.
                refused, detail = self.refused(self.whoami(service, JWKS_USER, self.jwks_key_a))
                self.results.check(f"jwks: key A refused by {service.name} once B is in", refused, "" if refused else detail, [service.name])

        # The endpoint now fails (a body that is no key set): the last good set stays in use (until its max age).
        # Tokens keep coming for two TTLs, so every verifier finds its set stale and tries (and fails) to refresh
        # at least once meanwhile (the refresh cooldown is one TTL); each of these tokens must be accepted.
        self.write_jwks_file("not a JWK Set")
        window_end = time.monotonic() + 2 * ttl + 1
        print(f"  {host.name}'s JWKS endpoint now serves junk for {2 * ttl + 1} s; every verifier must keep key B", flush=True)
        refusals: dict[str, str] = {}
        sent = 0
        while time.monotonic() < window_end:
            for service in up:
                ok, detail = self.accepts(service, JWKS_USER, self.jwks_key_b)
                sent += 1
                if not ok:
                    refusals.setdefault(service.name, detail)
            time.sleep(0.5)
        for service in up:
            self.results.check(f"jwks: key B still accepted by {service.name} while the endpoint fails", service.name not in refusals,
                               refusals.get(service.name, f"{sent // len(up)} tokens"), [service.name])
        self.publish_jwks(self.jwks_key_b)

    # ---- d. Redis outage ---------------------------------------------------------------------------------

    def test_redis_outage(self) -> None:
        up = self.up_services()
        print(f"== d. Redis stopped: every service fails closed; restarted on port {self.redis.port}: every service recovers", flush=True)
        self.redis.stop()
        for service in up:
            ok, detail = self.refused(self.whoami(service, CLIENT_USER))
            self.results.check(f"redis down: {service.name} refuses a fresh token", ok, detail, [service.name])
            healthy = service.healthy()
            self.results.check(f"redis down: {service.name} /health still 200", healthy, "" if healthy else "no 200 from /health",
                               [service.name])
        self.redis.start()
        restarted = time.monotonic()
        deadline = restarted + RECOVERY_TIMEOUT
        for service in up:
            ok, detail, attempts = poll(functools.partial(self.accepts, service, CLIENT_USER), deadline)
            self.results.check(f"redis back: {service.name} accepts again", ok,
                               detail if not ok else f"{time.monotonic() - restarted:.1f} s after the restart", [service.name])
        # The restarted Redis is the shared nonce store again: a replay across services is refused.
        if len(up) >= 2:
            header = self.signed_header(CLIENT_USER)
            first, second = up[-1], up[0]
            ok, detail = self.accepted(http_get(f"{first.url}/whoami", header), first, CLIENT_USER)
            if self.results.check(f"redis back: {first.name} accepts a token", ok, detail, [first.name]):
                ok, detail = self.refused(http_get(f"{second.url}/whoami", header))
                self.results.check(f"redis back: its replay to {second.name} refused", ok, detail, [second.name])

    def test_still_running(self) -> None:
        for service in self.up_services():
            running = service.alive() and service.healthy()
            self.results.check(f"{service.name} still running at the end", running, "" if running else "process exited or /health failed",
                               [service.name])

    def test_no_token_logged(self) -> None:
        """No service logged a token the orchestrator sent (its payload or signature segment), refused ones included."""
        for service in self.services:
            if service.state == "MISSING":
                continue
            try:
                log = service.log_file.read_text(errors="replace")
            except OSError as e:
                self.results.check(f"{service.name}'s log has no token", False, str(e), [service.name])
                continue
            leaked = sum(1 for token in self.sent_tokens if any(part in log for part in token.split(".")[1:]))
            self.results.check(f"{service.name}'s log holds none of the {len(self.sent_tokens)} tokens sent", leaked == 0,
                               f"{leaked} tokens (payload or signature) found in {service.log_file}" if leaked else "", [service.name])

    # ---- report ------------------------------------------------------------------------------------------

    def report(self, seconds: float) -> int:
        results = self.results
        for service in self.services:
            if service.name in results.blamed and service.state != "MISSING":
                print(f"\n---- last {LOG_TAIL_LINES} lines of {service.name}'s log ({service.log_file})")
                print(service.log_tail())
        print(f"\nfleet: {len(self.services)} services ({', '.join(f'{s.name}={s.state}' for s in self.services)}), {seconds:.0f} s")
        if results.failed:
            print("failed: " + "; ".join(results.failed))
        print(f"{results.passed} passed, {len(results.failed)} failed", flush=True)
        return 1 if results.failed else 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--service", action="append", metavar="NAME[=SCRIPT]",
                        help=f"a service to run (repeatable; default: {' '.join(DEFAULT_SERVICES)})")
    parser.add_argument("--servers-dir", default=str(HERE / "servers"), help="where the NAME.sh start scripts are")
    parser.add_argument("--redis-server", default=os.environ.get("AJWT_REDIS_SERVER") or shutil.which("redis-server"))
    parser.add_argument("--start-timeout", type=float, default=float(os.environ.get("AJWT_FLEET_START_TIMEOUT", "600")),
                        help="seconds the services get to answer /health (their scripts may build them)")
    parser.add_argument("--jwks-ttl", type=int, default=2)
    parser.add_argument("--jwks-host", metavar="NAME", help="the service serving jwks-user's keys (default: the first one)")
    parser.add_argument("--rounds", type=int, default=5, help="replay rounds")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (kept anyway on failure)")
    args = parser.parse_args(argv)
    if not args.redis_server:
        parser.error("redis-server not found (PATH, AJWT_REDIS_SERVER or --redis-server)")
    names = [spec.partition("=")[0] for spec in args.service or DEFAULT_SERVICES]
    if args.jwks_host is not None and args.jwks_host not in names:
        parser.error(f"--jwks-host {args.jwks_host}: not one of the services ({', '.join(names)})")
    if len(set(names)) != len(names) or any(not n or n in (CLIENT_USER, JWKS_USER) for n in names):
        parser.error(f"service names must be distinct, non-empty and not {CLIENT_USER} or {JWKS_USER}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ajwt-fleet-"))
    fleet = Fleet(args, workdir)
    # A signal ends the run through the finally below, so no service or Redis outlives it.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(128 + number))
    try:
        fleet.write_registry()
        fleet.start()
        if fleet.up_services():
            fleet.test_pairs()
            fleet.test_direct()
            fleet.test_replays()
            fleet.test_concurrent_replays()
            fleet.test_jwks()
            fleet.test_redis_outage()
            fleet.test_still_running()
    finally:
        fleet.stop()
    fleet.test_no_token_logged()
    status = fleet.report(time.monotonic() - began)
    if status == 0 and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"work directory kept: {workdir}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
