#!/usr/bin/env python3
"""
Benchmark of the Python package against upstream asymmetric-jwt-auth 1.x, in one run (bench/python/run.sh):

- ``UntrustedToken.verify`` per second, RSA-2048 (RS512) and Ed25519: ours, upstream 1.x, PyJWT's
  ``jwt.decode`` with a preloaded key object, and the raw signature primitive (``cryptography``'s
  ``verify`` on the same bytes with a preloaded key, in the same interpreter). For ours, also the parts of a
  verification: libajwt's parse, libajwt's verify alone and followed by the nonce backend, and the Python around
  them.
- middleware-authenticated requests per second: Django's WSGIHandler with JWTAuthMiddleware only, a trivial
  view, the same SQLite database (the same users and keys) and settings for both implementations; each a
  Django process kept running while the driver alternates blocks of requests between them.
- two threads against one thread verifying (ours releases the GIL in libajwt).
- RSS before and after 10^6 verifications (ours).

Each implementation runs in its own virtualenv and process (``worker`` subcommand). Timings alternate
between the things compared in short blocks, so that the noise of a shared machine hits them alike; a rate
is the median over the blocks, and the best of the rounds of a worker (upstream and ours alternate by round).

The file runs under both virtualenvs and imports no package of its own at module level.
"""

from collections.abc import Callable
from typing import Any
import argparse
import base64
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ALGS = ("RSA-2048", "Ed25519")
USERS = {"RSA-2048": "bench-rsa", "Ed25519": "bench-ed25519"}
NULL_NONCES = "asymmetric_jwt_auth.nonce.null.NullNonceBackend"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---- worker side -------------------------------------------------------------------------------------------------


def configure_django(
    db_path: str | None = None, nonce_backend: str | None = None, auth_settings: dict[str, Any] | None = None, conn_max_age: int = 0
) -> None:
    import django
    from django.conf import settings

    # Only when needed: upstream's cache nonce backend reads TIMESTAMP_TOLERANCE straight from this dict
    auth = dict(auth_settings or {}, **({"NONCE_BACKEND": nonce_backend} if nonce_backend else {}))
    extra = {"ASYMMETRIC_JWT_AUTH": auth} if auth else {}
    settings.configure(
        SECRET_KEY="bench",
        DEBUG=False,
        USE_TZ=True,
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "asymmetric_jwt_auth"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path or ":memory:", "CONN_MAX_AGE": conn_max_age}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        MIDDLEWARE=["asymmetric_jwt_auth.middleware.JWTAuthMiddleware"],
        ROOT_URLCONF=__name__,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        LOGGING_CONFIG=None,
        **extra,
    )
    django.setup()
    from django.urls import path

    # This module is the URLconf: one trivial view
    globals()["urlpatterns"] = [path("", trivial_view)]


def trivial_view(request: Any) -> Any:
    from django.http import HttpResponse

    user = getattr(request, "user", None)
    return HttpResponse(user.get_username() if user is not None else "")


def split_token(token: str) -> tuple[bytes, bytes]:
    """(signing input, signature bytes) of a compact JWS."""
    head, payload, signature = token.split(".")
    return f"{head}.{payload}".encode(), base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))


def calibrate(fn: Callable[[int], Any], block_seconds: float) -> int:
    """Iterations that take about ``block_seconds``."""
    n, elapsed = 1, 0.0
    while elapsed < 0.02:
        started = time.perf_counter()
        for i in range(n):
            fn(i)
        elapsed = time.perf_counter() - started
        if elapsed < 0.02:
            n *= 4
    return max(1, int(n * block_seconds / elapsed))


def paired_rates(methods: dict[str, Callable[[int], Any]], blocks: int, block_seconds: float) -> dict[str, Any]:
    """
    Runs the methods in alternating blocks; per method the median rate (per second) and per block the rates,
    so that ratios can be taken block by block (pairs that saw the same machine load).
    """
    sizes = {name: calibrate(fn, block_seconds) for name, fn in methods.items()}
    per_block: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(blocks):
        for name, fn in methods.items():
            n = sizes[name]
            started = time.perf_counter()
            for i in range(n):
                fn(i)
            per_block[name].append(n / (time.perf_counter() - started))
    return {"median": {name: statistics.median(rates) for name, rates in per_block.items()}, "blocks": per_block}


def median_ratio(blocks: dict[str, list[float]], numerator: str, denominator: str) -> float:
    return statistics.median(a / b for a, b in zip(blocks[numerator], blocks[denominator], strict=True))


def load_keys(key_dir: str) -> dict[str, Any]:
    """The benchmark's private keys (PKCS#8 PEM, the same for both implementations), loaded by this one."""
    from asymmetric_jwt_auth.keys import PrivateKey

    return {alg: PrivateKey.load_pem(open(os.path.join(key_dir, f"{alg}.pem"), "rb").read()) for alg in ALGS}


def make_tokens(private_key: Any, count: int, username: str = "bench") -> list[str]:
    """Fresh tokens signed by this implementation: made just before they are used, so always inside the window."""
    from asymmetric_jwt_auth.tokens import Token

    return [Token(username).sign(private_key) for _ in range(count)]


def raw_verifier(alg: str, public_pem: bytes, token: str) -> Callable[[int], Any]:
    """The signature primitive alone, through ``cryptography`` with a preloaded key."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key: Any = serialization.load_pem_public_key(public_pem)
    data, signature = split_token(token)
    if alg == "RSA-2048":
        pkcs1, sha512 = padding.PKCS1v15(), hashes.SHA512()
        return lambda i: key.verify(signature, data, pkcs1, sha512)
    return lambda i: key.verify(signature, data)


def task_verify(cfg: dict[str, Any]) -> dict[str, Any]:
    configure_django(nonce_backend=NULL_NONCES)
    from asymmetric_jwt_auth.tokens import UntrustedToken

    import cryptography

    raw_library = f"cryptography {cryptography.__version__}"  # the raw primitive's, compared across processes
    private_keys = load_keys(cfg["key_dir"])
    results: dict[str, Any] = {}
    for alg in ALGS:
        tokens = make_tokens(private_keys[alg], 64)
        count = len(tokens)
        public_key = private_keys[alg].public_key
        assert UntrustedToken(tokens[0]).verify(public_key) is not None, "token does not verify"
        methods: dict[str, Callable[[int], Any]] = {
            "verify": lambda i, t=tokens, k=public_key: UntrustedToken(t[i % count]).verify(k),
            "raw": raw_verifier(alg, public_key.as_pem, tokens[0]),
        }
        if cfg["impl"] == "upstream":
            import jwt
            from cryptography.hazmat.primitives import serialization

            preloaded = serialization.load_pem_public_key(public_key.as_pem)
            algorithms = ["RS512"] if alg == "RSA-2048" else ["EdDSA"]
            methods["pyjwt"] = lambda i, t=tokens: jwt.decode(t[i % count], key=preloaded, algorithms=algorithms)
        else:
            methods.update(native_parts(tokens, public_key))
        measured = paired_rates(methods, cfg["blocks"], cfg["block_seconds"])
        if cfg["impl"] == "ours":
            measured["glue_us"] = python_glue(tokens, public_key)
        # Every timed verification succeeded (no fast failure path was measured)
        assert all(UntrustedToken(t).verify(public_key) is not None for t in tokens[:5])
        measured["ratio_to_raw"] = {name: median_ratio(measured["blocks"], "raw", name) for name in methods if name != "raw"}
        measured["raw_library"] = raw_library
        results[alg] = measured
    return results


def native_parts(tokens: list[str], public_key: Any) -> dict[str, Callable[[int], Any]]:
    """Ours only: the native calls a verification is made of, to see where its time goes."""
    from asymmetric_jwt_auth import _native, tokens as token_module
    from asymmetric_jwt_auth.nonce import get_nonce_backend

    count = len(tokens)
    parsed = [_native.ParsedToken.parse(t) for t in tokens]
    verifier = token_module._get_verifier(20)
    now = int(time.time())
    native_key = public_key._key

    def verify_and_record(i: int) -> Any:
        token = parsed[i % count]
        status = verifier.verify(token, native_key, now)
        return status, get_nonce_backend().check_and_record_nonce(token.username, token.time, token.nonce)

    assert verifier.verify(parsed[0], native_key, now)[0] == 0 and verify_and_record(0)[0][0] == 0
    return {
        "native parse": lambda i: _native.ParsedToken.parse(tokens[i % count]),
        "native verify": lambda i: verifier.verify(parsed[i % count], native_key, now),
        "native verify + nonce backend": verify_and_record,
    }


def python_glue(tokens: list[str], public_key: Any) -> dict[str, float]:
    """
    Ours only: µs per call of each Python step of ``UntrustedToken.verify`` around the two native calls (best
    of several timeit repeats), to say where the time beyond the primitive goes.
    """
    import timeit

    from asymmetric_jwt_auth import _native, get_setting, tokens as token_module
    from asymmetric_jwt_auth.nonce import get_nonce_backend

    parsed = _native.ParsedToken.parse(tokens[0])
    backend = get_nonce_backend()

    steps: dict[str, Callable[[], Any]] = {
        "UntrustedToken() + native parse": lambda: token_module.UntrustedToken(tokens[0])._parsed,
        "get_setting('TIMESTAMP_TOLERANCE')": lambda: get_setting("TIMESTAMP_TOLERANCE"),
        "_get_verifier()": lambda: token_module._get_verifier(20),
        "get_nonce_backend() (cached class, new instance)": get_nonce_backend,
        "Token(username, time) incl. reading both": lambda: token_module.Token(parsed.username, parsed.time),
        "nonce backend check_and_record_nonce (null backend)": lambda: backend.check_and_record_nonce("u", 1, "n"),
    }
    number = 20_000
    return {name: min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6 for name, fn in steps.items()}


def task_threads(cfg: dict[str, Any]) -> dict[str, Any]:
    """
    Verifications per second with one thread and with two, in short adjacent runs whose order alternates: the
    ratio is the median of each pair's, so a change in the machine's speed between runs (a shared host) hits both
    sides of a pair alike; the rates are the best of each. Ours also gets the same for its one native call alone
    (what the GIL allows at most: the Python around it is the rest of the difference).
    """
    configure_django(nonce_backend=NULL_NONCES)
    from asymmetric_jwt_auth.tokens import UntrustedToken

    private_keys = load_keys(cfg["key_dir"])
    seconds = cfg["thread_seconds"]
    results: dict[str, Any] = {}
    for alg in ALGS:
        public_key = private_keys[alg].public_key
        tokens = make_tokens(private_keys[alg], 64)
        count = len(tokens)
        calls: dict[str, Callable[[str], Any]] = {"verify": lambda token: UntrustedToken(token).verify(public_key)}
        if cfg["impl"] == "ours":
            # The one native call a verification makes, without the Python around it: what the GIL allows at most
            calls["native"] = native_verify_call(public_key)
        # Every call timed succeeds (no fast failure path is measured)
        assert UntrustedToken(tokens[0]).verify(public_key) is not None
        assert "native" not in calls or calls["native"](tokens[0])[0] == 0

        def run(call: Callable[[str], Any], threads: int) -> float:
            done = [0] * threads
            stop = time.perf_counter() + seconds
            barrier = threading.Barrier(threads + 1)

            def worker(index: int) -> None:
                barrier.wait()
                n = 0
                while time.perf_counter() < stop:
                    for i in range(20):
                        call(tokens[(n + i) % count])
                    n += 20
                done[index] = n

            pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
            for thread in pool:
                thread.start()
            started = time.perf_counter()
            barrier.wait()
            for thread in pool:
                thread.join()
            return sum(done) / (time.perf_counter() - started)

        rates: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in calls}
        for round_number in range(cfg["thread_rounds"]):
            tokens[:] = make_tokens(private_keys[alg], 64)
            for name, call in calls.items():
                one, two = rates[name]
                for threads in (1, 2) if round_number % 2 == 0 else (2, 1):
                    (one if threads == 1 else two).append(run(call, threads))
        for name, (one, two) in rates.items():
            ratios = [t / o for o, t in zip(one, two, strict=True)]
            measured = {"one": max(one), "two": max(two), "ratio": statistics.median(ratios), "ratios": ratios}
            if name == "verify":
                results[alg] = measured
            else:
                results[alg][name] = measured
    results["control"] = parallelism_control(seconds, cfg["thread_rounds"])
    return results


def native_verify_call(public_key: Any) -> Callable[[str], Any]:
    """Ours only: ``verifier.parse_and_verify_at`` as ``UntrustedToken.verify`` calls it; returns (status, ...)."""
    from asymmetric_jwt_auth import tokens as token_module

    verifier = token_module._get_verifier(20)
    native_key = public_key._key

    def call(token: str) -> Any:
        return verifier.parse_and_verify_at(token, native_key, time.time())

    return call


def parallelism_control(seconds: float, rounds: int) -> float:
    """
    What two threads get on this machine at all: hashlib's SHA-256 of 1 MiB buffers, which runs without the
    GIL. Near 2 on two idle cores; near 1 when other processes take the second core (then no thread figure
    can show more).
    """
    import hashlib

    buffer = b"x" * (1 << 20)

    def run(threads: int) -> float:
        done = [0] * threads
        stop = time.perf_counter() + seconds

        def worker(index: int) -> None:
            n = 0
            while time.perf_counter() < stop:
                hashlib.sha256(buffer).digest()
                n += 1
            done[index] = n

        pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        started = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        return sum(done) / (time.perf_counter() - started)

    ratios = []
    for round_number in range(rounds):
        first, second = (1, 2) if round_number % 2 == 0 else (2, 1)
        rates = {first: run(first), second: run(second)}
        ratios.append(rates[2] / rates[1])
    return statistics.median(ratios)


def task_middleware(cfg: dict[str, Any]) -> dict[str, Any]:
    """
    A Django site kept running while the driver asks for blocks of requests over stdin (one JSON command per line,
    one JSON reply per line on stdout), so that blocks of the configurations under comparison, each in its own
    process, can run one right after the other: see :meth:`Driver.middleware`.
    """
    configure_django(db_path=cfg["db_path"], auth_settings=cfg.get("auth_settings"), conn_max_age=cfg.get("conn_max_age", 0))
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()  # builds the middleware (and its decoy keys) now, not in the timed part
    base_environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "bench",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": None,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    import io

    def request(header: str) -> bytes:
        environ = dict(base_environ, HTTP_AUTHORIZATION=header)
        environ["wsgi.input"] = io.BytesIO(b"")
        response = handler(environ, lambda status, headers, exc_info=None: None)
        body = b"".join(response)
        response.close()
        return body

    from asymmetric_jwt_auth.tokens import Token

    private_keys = load_keys(cfg["key_dir"])

    def headers_for(alg: str) -> Callable[[int], list[str]]:
        return lambda count: [Token(USERS[alg]).create_auth_header(private_keys[alg]) for _ in range(count)]

    def block(alg: str, count: int) -> float:
        """Requests per second over ``count`` authenticated requests."""
        headers, username = headers_for(alg), USERS[alg].encode()
        # Tokens are signed (untimed) in small batches just before they are sent, so that none is older than the
        # time window even when signing is slow (upstream's RSA) or the machine is busy
        elapsed, sent = 0.0, 0
        while sent < count:
            batch = headers(25)
            started = time.perf_counter()
            bodies = [request(header) for header in batch]
            elapsed += time.perf_counter() - started
            sent += len(batch)
            assert all(body == username for body in bodies), "a benchmark request was not authenticated"
        return sent / elapsed

    for alg in ALGS:
        assert request(headers_for(alg)(1)[0]) == USERS[alg].encode(), "warm-up request was not authenticated"
    out = sys.stdout
    sys.stdout = sys.stderr  # only replies go to the driver
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "block":
            reply: Any = {"rate": block(command["alg"], command["requests"])}
        elif command["cmd"] == "split":
            reply = split_request_time(request, headers_for(command["alg"]), USERS[command["alg"]], cfg)
        else:
            break
        out.write(json.dumps(reply) + "\n")
        out.flush()
    sys.stdout = out  # worker_main's closing line goes to the pipe, not into the log
    return {}


def split_request_time(request: Callable[[str], bytes], headers: Callable[[int], list[str]], username: str, cfg: dict[str, Any]) -> dict[str, float]:
    """
    µs per request with the real ``UntrustedToken.verify``, and with it replaced by a stub that accepts without
    any cryptography (everything else, the database work included, unchanged), in alternating blocks: the
    difference is what the token verifications cost inside a request.
    """
    from unittest import mock

    from asymmetric_jwt_auth.tokens import Token, UntrustedToken

    def accept(self: Any, public_key: Any) -> Any:
        return Token(username, int(time.time()))

    per_request: dict[str, list[float]] = {"request": [], "request, verification stubbed": []}
    for _ in range(cfg["blocks"]):
        for name in per_request:
            batch = headers(50)
            with mock.patch.object(UntrustedToken, "verify", accept) if "stubbed" in name else contextlib.nullcontext():
                started = time.perf_counter()
                bodies = [request(header) for header in batch]
                per_request[name].append((time.perf_counter() - started) / len(batch) * 1e6)
            assert all(body == username.encode() for body in bodies)
    split = {name: statistics.median(values) for name, values in per_request.items()}
    split["verification"] = statistics.median(a - b for a, b in zip(per_request["request"], per_request["request, verification stubbed"], strict=True))
    return split


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def task_rss(cfg: dict[str, Any]) -> dict[str, Any]:
    configure_django(nonce_backend=NULL_NONCES)
    from asymmetric_jwt_auth.tokens import UntrustedToken

    # A fixed clock, so that the same few thousand tokens stay inside the time window for the whole run and
    # every one of the 10^6 verifications succeeds (the path that allocates the most: a Token per call).
    frozen = time.time()
    time.time = lambda: frozen  # type: ignore[assignment]
    private_keys = load_keys(cfg["key_dir"])
    results: dict[str, Any] = {}
    for alg in cfg["rss_algs"]:
        public_key = private_keys[alg].public_key
        tokens = make_tokens(private_keys[alg], 1000)
        count = len(tokens)
        for i in range(20_000):  # warm-up: allocator arenas, caches
            UntrustedToken(tokens[i % count]).verify(public_key)
        before = rss_bytes()
        samples = []
        total = cfg["rss_verifications"]
        step = total // 10
        started = time.perf_counter()
        verified = 0
        for i in range(total):
            if UntrustedToken(tokens[i % count]).verify(public_key) is not None:
                verified += 1
            if (i + 1) % step == 0:
                samples.append(rss_bytes())
        results[alg] = {
            "verifications": total,
            "verified": verified,
            "before": before,
            "after": rss_bytes(),
            "samples": samples,
            "seconds": time.perf_counter() - started,
        }
        log(f"  rss {alg}: {before / 2**20:.1f} MiB -> {results[alg]['after'] / 2**20:.1f} MiB over {total} verifications")
    return results


def task_makedb(cfg: dict[str, Any]) -> dict[str, Any]:
    """The benchmark database: migrated, one user per key, each with that public key stored."""
    configure_django(db_path=cfg["db_path"])
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from asymmetric_jwt_auth.models import PublicKey

    call_command("migrate", verbosity=0)
    for alg in ALGS:
        user = User.objects.create_user(username=USERS[alg])
        PublicKey.objects.create(user=user, key=load_keys(cfg["key_dir"])[alg].public_key.as_pem.decode())
    return {"users": len(ALGS)}


def task_check_db(cfg: dict[str, Any]) -> dict[str, Any]:
    """Upstream can use the database ours created: its migrations are all applied, nothing to make."""
    configure_django(db_path=cfg["db_path"])
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", "--check", verbosity=0)
    call_command("makemigrations", "asymmetric_jwt_auth", "--check", "--dry-run", stdout=StringIO())
    return {"ok": True}


def plot(results_path: str, output: str) -> None:
    """The figures as a PNG (needs matplotlib: run.sh runs this in a bench-only virtualenv)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = json.load(open(results_path))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    colors = {"ours": "#2a7ab0", "upstream 1.x": "#c8553d", "PyJWT, preloaded key": "#8a8a8a", "raw primitive": "#4f9d69"}
    for ax, alg in zip(axes[:2], ALGS, strict=True):
        verify = results["verify"][alg]
        bars = {
            "ours": verify["ours"],
            "upstream 1.x": verify["upstream"],
            "PyJWT, preloaded key": verify["pyjwt"],
            "raw primitive": verify["raw"],
        }
        names = list(bars)
        ax.bar(names, [bars[n] for n in names], color=[colors[n] for n in names])
        for i, name in enumerate(names):
            ax.text(i, bars[name], f"{bars[name]:,.0f}", ha="center", va="bottom", fontsize=9)
        ax.set_ylim(top=max(bars.values()) * 1.15)
        ax.set_title(f"UntrustedToken.verify, {alg}")
        ax.set_ylabel("verifications per second")
        ax.tick_params(axis="x", labelrotation=15)
    ax = axes[2]
    middleware = results["middleware"]
    width = 0.27
    xs = range(len(ALGS))
    series = {"ours": "ours", "ours_auth_cache": "ours, auth cache", "upstream": "upstream 1.x"}
    bar_colors = {"ours": colors["ours"], "ours_auth_cache": "#7fb3d5", "upstream": colors["upstream 1.x"]}
    heights: list[float] = []
    for offset, (impl, label) in zip((-width, 0.0, width), series.items(), strict=True):
        values = [middleware[alg][impl] for alg in ALGS]
        heights += values
        ax.bar([x + offset for x in xs], values, width, label=label, color=bar_colors[impl])
        for x, value in zip(xs, values, strict=True):
            ax.text(x + offset, value, f"{value:,.0f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(xs), list(ALGS))
    ax.set_ylim(top=max(heights) * 1.45)  # room for the legend above the bars
    ax.set_title("JWTAuthMiddleware, authenticated requests")
    ax.set_ylabel("requests per second")
    ax.legend(loc="upper center", ncol=3, fontsize=8)
    fig.suptitle(f"asymmetric_jwt_auth on libajwt vs upstream 1.x — {results['machine']['cpu']}, {results['machine']['cores']} cores")
    fig.tight_layout()
    fig.savefig(output, dpi=110)


TASKS = {
    "verify": task_verify,
    "threads": task_threads,
    "middleware": task_middleware,
    "rss": task_rss,
    "makedb": task_makedb,
    "check_db": task_check_db,
}


def worker_main(task: str, config_path: str) -> None:
    with open(config_path) as fh:
        cfg = json.load(fh)
    result = TASKS[task](cfg)
    sys.stdout.write(json.dumps(result) + "\n")


# ---- driver side ---------------------------------------------------------------------------------------------------


class Driver:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.python = {"ours": args.ours_python, "upstream": args.upstream_python}
        self.work = tempfile.mkdtemp(prefix="ajwt-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.key_dir = os.path.join(self.work, "keys")
        os.makedirs(self.key_dir)
        self.quick = args.quick

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def worker(self, python: str, task: str, cfg: dict[str, Any], timeout: float = 1800) -> Any:
        config_path = os.path.join(self.work, f"{task}.json")
        with open(config_path, "w") as fh:
            json.dump(cfg, fh)
        proc = subprocess.run(
            [python, os.path.abspath(__file__), "worker", task, config_path],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.work,  # never the source tree: each interpreter imports its own installed package
        )
        if proc.returncode != 0:
            raise RuntimeError(f"worker {task} ({python}) failed:\n{proc.stderr[-4000:]}")
        if proc.stderr.strip():
            log(proc.stderr.rstrip())
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def middleware(self) -> dict[str, Any]:
        """
        Requests per second through the middleware of upstream, ours, and ours with the auth cache, each a Django
        process kept running (:func:`task_middleware`) on its own copy of one SQLite database. Blocks of the three
        run one right after the other, in an order that turns each time, and each ratio is the median over blocks
        of the adjacent blocks' ratio: the machine changing speed (a shared host does, for seconds at a time)
        hits both sides of each ratio alike.
        """
        db_path = os.path.join(self.work, "bench.sqlite3")
        self.worker(self.python["ours"], "makedb", {"db_path": db_path, "key_dir": self.key_dir})
        self.worker(self.python["upstream"], "check_db", {"db_path": db_path})
        # "ours, auth cache": the production setting the README recommends with a shared cache (AUTH_CACHE_TTL).
        # "..._persistent": Django keeps its database connection open between requests (CONN_MAX_AGE, common in
        # production), for both implementations alike: no reconnect and no reading of SQLite's schema per request.
        configurations: dict[str, tuple[str, dict[str, Any] | None, int]] = {
            "upstream": ("upstream", None, 0),
            "ours": ("ours", None, 0),
            "ours_auth_cache": ("ours", {"AUTH_CACHE_TTL": 60}, 0),
            "upstream_persistent": ("upstream", None, 60),
            "ours_persistent": ("ours", None, 60),
        }
        blocks, per_block = (6, 50) if self.quick else (24, 150)
        sites: dict[str, subprocess.Popen[str]] = {}
        try:
            for name, (python, auth_settings, conn_max_age) in configurations.items():
                copy = os.path.join(self.work, f"{name}.sqlite3")
                shutil.copyfile(db_path, copy)  # the same database for all, unchanged by the others' runs
                cfg = {
                    "db_path": copy,
                    "key_dir": self.key_dir,
                    "blocks": 4 if self.quick else 8,
                    "auth_settings": auth_settings,
                    "conn_max_age": conn_max_age,
                }
                config_path = os.path.join(self.work, f"middleware-{name}.json")
                with open(config_path, "w") as fh:
                    json.dump(cfg, fh)
                sites[name] = subprocess.Popen(
                    [self.python[python], os.path.abspath(__file__), "worker", "middleware", config_path],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=self.work,
                )
            for name in sites:
                self.ask(sites[name], None)  # {"ready": true}: set up and warmed up

            results: dict[str, Any] = {}
            names = list(configurations)
            for alg in ALGS:
                rates: dict[str, list[float]] = {name: [] for name in names}
                for block in range(blocks):
                    order = names[block % len(names) :] + names[: block % len(names)]
                    for name in order if block % 2 == 0 else reversed(order):
                        rates[name].append(self.ask(sites[name], {"cmd": "block", "alg": alg, "requests": per_block})["rate"])
                result: dict[str, Any] = {name: statistics.median(values) for name, values in rates.items()}
                result["blocks"] = rates
                for name, baseline, ratio in (
                    ("ours", "upstream", "ratio"),
                    ("ours_auth_cache", "upstream", "ratio_auth_cache"),
                    ("ours_persistent", "upstream_persistent", "ratio_persistent"),
                ):
                    result[ratio] = statistics.median(o / u for o, u in zip(rates[name], rates[baseline], strict=True))
                result["split_us"] = {name: self.ask(sites[name], {"cmd": "split", "alg": alg}) for name in names}
                log(
                    f"  {alg}: " + ", ".join(f"{name} {result[name]:,.0f}/s" for name in names)
                    + f"; ours x{result['ratio']:.2f}, with auth cache x{result['ratio_auth_cache']:.2f}, "
                    + f"both with persistent connections x{result['ratio_persistent']:.2f}"
                )
                results[alg] = result
            for site in sites.values():
                self.ask(site, {"cmd": "quit"}, reply=False)
            for name, site in sites.items():
                if site.wait(timeout=60) != 0:
                    raise RuntimeError(f"middleware site {name} exited with status {site.returncode}")
            return results
        finally:
            for site in sites.values():
                if site.poll() is None:
                    site.kill()

    @staticmethod
    def ask(site: "subprocess.Popen[str]", command: dict[str, Any] | None, reply: bool = True) -> Any:
        """Send one command to a middleware site (None: send nothing) and read its reply."""
        assert site.stdin is not None and site.stdout is not None
        if command is not None:
            site.stdin.write(json.dumps(command) + "\n")
            site.stdin.flush()
        if not reply:
            return None
        line = site.stdout.readline()
        if not line:
            raise RuntimeError(f"middleware site exited (status {site.wait()}); its errors are above")
        return json.loads(line)

    def make_keys(self) -> None:
        """The keys both implementations use, as unencrypted PKCS#8 PEM (made with ours; both read it)."""
        configure_django()
        from asymmetric_jwt_auth.keys import Ed25519PrivateKey, RSAPrivateKey

        for alg, key in {"RSA-2048": RSAPrivateKey.generate(size=2048), "Ed25519": Ed25519PrivateKey.generate()}.items():
            with open(os.path.join(self.key_dir, f"{alg}.pem"), "wb") as fh:
                fh.write(key.as_pem)

    def run(self) -> dict[str, Any]:
        args = self.args
        self.make_keys()
        blocks = 6 if self.quick else 16
        block_seconds = 0.05
        results: dict[str, Any] = {"machine": machine_info(), "command": args.command_line}

        log("== UntrustedToken.verify")
        verify_runs: dict[str, list[Any]] = {"ours": [], "upstream": []}
        for round_number in range(args.rounds):
            for impl in ("upstream", "ours"):
                cfg = {"impl": impl, "key_dir": self.key_dir, "blocks": blocks, "block_seconds": block_seconds}
                verify_runs[impl].append(self.worker(self.python[impl], "verify", cfg))
                log(f"  round {round_number + 1} {impl}: " + ", ".join(f"{alg} {verify_runs[impl][-1][alg]['median']['verify']:,.0f}/s" for alg in ALGS))
        results["verify"] = summarize_verify(verify_runs)

        log("== middleware, authenticated requests")
        results["middleware"] = self.middleware()

        log("== two threads vs one")
        results["threads"] = {}
        for impl in ("ours", "upstream"):
            cfg = {
                "impl": impl,
                "key_dir": self.key_dir,
                "thread_seconds": 0.25 if self.quick else 0.5,
                "thread_rounds": 4 if self.quick else 12,
            }
            results["threads"][impl] = self.worker(self.python[impl], "threads", cfg)
            log(f"  {impl}: " + ", ".join(f"{alg} x{results['threads'][impl][alg]['ratio']:.2f}" for alg in ALGS) + f" (control x{results['threads'][impl]['control']:.2f})")

        log(f"== RSS over {args.rss_verifications:,} verifications (ours)")
        cfg = {
            "impl": "ours",
            "key_dir": self.key_dir,
            "rss_verifications": args.rss_verifications,
            "rss_algs": ["Ed25519", "RSA-2048"] if args.rss_both else ["Ed25519"],
        }
        results["rss"] = self.worker(self.python["ours"], "rss", cfg, timeout=7200)
        results["openssl_speed"] = openssl_speed(2 if self.quick else 5)
        return results


def summarize_verify(runs: dict[str, list[Any]]) -> dict[str, Any]:
    """
    Per algorithm: the best round's median rate of each thing measured; ratios between implementations as the
    median over rounds of back-to-back pairs, ratios to the primitive from the paired blocks of the best round.
    """
    summary: dict[str, Any] = {}
    for alg in ALGS:
        pairs = list(zip(runs["ours"], runs["upstream"], strict=True))
        best_ours = max(runs["ours"], key=lambda run: run[alg]["median"]["verify"])[alg]
        best_upstream = max(runs["upstream"], key=lambda run: run[alg]["median"]["verify"])[alg]
        entry = {
            "ours": best_ours["median"]["verify"],
            "upstream": best_upstream["median"]["verify"],
            "pyjwt": best_upstream["median"]["pyjwt"],
            # the primitive as measured beside ours (paired blocks)
            "raw": best_ours["median"]["raw"],
            "raw_beside_upstream": best_upstream["median"]["raw"],
            "raw_library": best_ours.get("raw_library"),
            "ours_vs_raw": best_ours["ratio_to_raw"]["verify"],
            "upstream_vs_raw": best_upstream["ratio_to_raw"]["verify"],
            "pyjwt_vs_raw": best_upstream["ratio_to_raw"]["pyjwt"],
            "parts_us": {name: 1e6 / rate for name, rate in best_ours["median"].items()},
            "glue_us": best_ours.get("glue_us", {}),
        }
        entry["speedup_vs_upstream_pairs"] = statistics.median(o[alg]["median"]["verify"] / u[alg]["median"]["verify"] for o, u in pairs)
        entry["speedup_vs_pyjwt_pairs"] = statistics.median(o[alg]["median"]["verify"] / u[alg]["median"]["pyjwt"] for o, u in pairs)
        libraries = {run[alg].get("raw_library") for run in runs["ours"] + runs["upstream"]}
        if len(libraries) == 1 and None not in libraries:
            # The same primitive (same cryptography build) beside each implementation, in blocks alternating within
            # its process: each one's time over the primitive's is immune to the machine changing speed between
            # the two processes, and their quotient is the speed-up.
            ours_over_raw = statistics.median(run[alg]["ratio_to_raw"]["verify"] for run in runs["ours"])
            entry["speedup_vs_upstream"] = statistics.median(run[alg]["ratio_to_raw"]["verify"] for run in runs["upstream"]) / ours_over_raw
            entry["speedup_vs_pyjwt"] = statistics.median(run[alg]["ratio_to_raw"]["pyjwt"] for run in runs["upstream"]) / ours_over_raw
            entry["speedup_method"] = "over the primitive"
        else:
            entry["speedup_vs_upstream"] = entry["speedup_vs_upstream_pairs"]
            entry["speedup_vs_pyjwt"] = entry["speedup_vs_pyjwt_pairs"]
            entry["speedup_method"] = "back-to-back runs"
        summary[alg] = entry
    return summary


def speedup_method_note(verify: dict[str, Any]) -> str:
    """How *ours vs upstream* and *ours vs PyJWT* were computed, with the other estimate for comparison."""
    if all(verify[alg].get("speedup_method") == "over the primitive" for alg in ALGS):
        pairs = ", ".join(f"{alg} {verify[alg]['speedup_vs_upstream_pairs']:.1f}×" for alg in ALGS)
        return (
            "*Ours vs upstream* is (upstream's time ÷ the raw primitive's) ÷ (ours ÷ the raw primitive's), each the "
            "median of per-block ratios in its own process, with the same `cryptography` build as the primitive in "
            f"both ({verify[ALGS[0]]['raw_library']}): the machine "
            "changing speed between the two processes cancels out (likewise *vs PyJWT*). Whole runs back to back "
            f"give {pairs} (medians over rounds)."
        )
    return "The ratios between implementations are medians over rounds of back-to-back runs."


def openssl_speed(seconds: int) -> dict[str, float]:
    """The primitive in C, for reference: ``openssl speed`` verifications per second (one core)."""
    speeds: dict[str, float] = {}
    if not shutil.which("openssl"):
        return speeds
    try:
        out = subprocess.run(["openssl", "speed", "-seconds", str(seconds), "rsa2048", "ed25519"], capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return speeds
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("rsa 2048 bits") and len(parts) >= 7:
            speeds["RSA-2048"] = float(parts[-1])
        elif "Ed25519" in line and len(parts) >= 4:
            speeds["Ed25519"] = float(parts[-1])
    return speeds


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "loadavg_at_start": os.getloadavg()}


def render(results: dict[str, Any]) -> str:
    """The README section: tables, notes on method, the command."""
    verify, middleware, threads, rss = results["verify"], results["middleware"], results["threads"], results["rss"]
    machine = results["machine"]
    lines = [
        "### Python (Django): asymmetric_jwt_auth against upstream 1.x",
        "",
        f"Measured with `{results['command']}` on {machine['cpu']} ({machine['cores']} cores), Python {machine['python']}; "
        f"load average {machine['loadavg_at_start'][0]:.1f} at the start (a shared machine: rates are medians of short "
        "blocks, the best of rounds). Upstream is asymmetric-jwt-auth 1.3.0 from PyPI in its own virtualenv.",
        "",
        "**`UntrustedToken.verify`, verifications per second** (one thread, a new `UntrustedToken` per call, null nonce backend):",
        "",
        "| | ours | upstream 1.x | PyJWT, preloaded key | raw primitive | ours vs upstream | ours vs PyJWT | ours' time vs raw |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg in ALGS:
        v = verify[alg]
        lines.append(
            f"| {alg} | {v['ours']:,.0f} | {v['upstream']:,.0f} | {v['pyjwt']:,.0f} | {v['raw']:,.0f} | "
            f"{v['speedup_vs_upstream']:.1f}× | {v['speedup_vs_pyjwt']:.1f}× | {v['ours_vs_raw']:.2f} |"
        )
    lines += [
        "",
        "The raw primitive is `cryptography`'s `verify` on the token's signing input with a preloaded key, timed in the "
        "same process in blocks alternating with ours; *ours' time vs raw* is the median of the per-block ratios "
        "(1.00: nothing beyond the signature check itself). Rates are the best round's. "
        + speedup_method_note(verify)
        + (
            f" For reference, `openssl speed` gives {results['openssl_speed'].get('RSA-2048', 0):,.0f} RSA-2048 and "
            f"{results['openssl_speed'].get('Ed25519', 0):,.0f} Ed25519 verifications per second in C."
            if results.get("openssl_speed")
            else ""
        ),
        "",
        "Where the time of one verification goes (ours, µs per call, medians):",
        "",
        "| | full `verify` | native parse | native verify | + nonce backend | raw primitive |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg in ALGS:
        p = verify[alg]["parts_us"]
        lines.append(
            f"| {alg} | {p['verify']:.1f} | {p['native parse']:.1f} | {p['native verify']:.1f} | "
            f"{p['native verify + nonce backend']:.1f} | {p['raw']:.1f} |"
        )
    lines += [
        "",
        "**Middleware, authenticated requests per second** (Django `WSGIHandler`, `JWTAuthMiddleware` as the only "
        "middleware, a view that returns the username; the same SQLite database file on tmpfs with the same users and "
        "keys; local-memory cache for nonces, both key repositories; Django closes the database connection after each "
        "request, as by default). *ours* runs with the default settings; *ours, auth cache* with "
        "`AUTH_CACHE_TTL = 60`, the setting recommended with a shared cache (the user and their keys come from the "
        "cache: no SQL query for a known user). Each configuration (these and the two below) runs as its own Django "
        "process; blocks of requests of all five run right after one another, in an order that turns each time; rates "
        "are the medians over "
        f"{len(middleware[ALGS[0]].get('blocks', {}).get('ours', [])) or 'several'} blocks, ratios the medians of the "
        "adjacent blocks' ratios:",
        "",
        "| | ours | ours, auth cache | upstream 1.x | ours vs upstream | ours, auth cache vs upstream |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg in ALGS:
        m = middleware[alg]
        lines.append(
            f"| {alg} | {m['ours']:,.0f} | {m['ours_auth_cache']:,.0f} | {m['upstream']:,.0f} | {m['ratio']:.1f}× | {m['ratio_auth_cache']:.1f}× |"
        )
    if "ratio_persistent" in middleware[ALGS[0]]:
        lines += [
            "",
            "With persistent database connections (`CONN_MAX_AGE = 60` for both, as common in production: Django "
            "neither reconnects nor SQLite reads its schema again on each request), default settings otherwise:",
            "",
            "| | ours | upstream 1.x | ours vs upstream |",
            "| --- | ---: | ---: | ---: |",
        ]
        for alg in ALGS:
            m = middleware[alg]
            lines.append(f"| {alg} | {m['ours_persistent']:,.0f} | {m['upstream_persistent']:,.0f} | {m['ratio_persistent']:.1f}× |")
    lines += [
        "",
        "Where a request's time goes (µs per request, medians of alternating blocks; *verification* is the difference "
        "made by replacing `UntrustedToken.verify` with a stub that accepts without any cryptography):",
        "",
        "| | ours: request | ours: verification | upstream: request | upstream: verification | rest (Django, SQL), ours / upstream |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg in ALGS:
        o, u = middleware[alg]["split_us"]["ours"], middleware[alg]["split_us"]["upstream"]
        lines.append(
            f"| {alg} | {o['request']:,.0f} | {o['verification']:,.0f} | {u['request']:,.0f} | {u['verification']:,.0f} | "
            f"{o['request, verification stubbed']:,.0f} / {u['request, verification stubbed']:,.0f} |"
        )
    lines += [
        "",
        f"**Threads** (verifications per second, all threads together, the best run of each; the ratio is the median "
        f"over {len(threads['ours'][ALGS[0]].get('ratios', [])) or 'several'} pairs of adjacent half-second runs, one "
        f"thread and two in alternating order; measured the same way, two threads of GIL-free work (hashlib SHA-256) "
        f"ran {threads['ours']['control']:.2f}× as fast as one):",
        "",
        "| | ours, 1 thread | ours, 2 threads | ratio | ours' native call alone: ratio | upstream, 1 thread | upstream, 2 threads | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg in ALGS:
        o, u = threads["ours"][alg], threads["upstream"][alg]
        native = f"{o['native']['ratio']:.2f}×" if "native" in o else "n/a"
        lines.append(
            f"| {alg} | {o['one']:,.0f} | {o['two']:,.0f} | {o['ratio']:.2f}× | {native} | {u['one']:,.0f} | {u['two']:,.0f} | {u['ratio']:.2f}× |"
        )
    lines += ["", "**Memory** (ours, resident set size):", "", "| | verifications | RSS before | RSS after | change |", "| --- | ---: | ---: | ---: | ---: |"]
    for alg, r in rss.items():
        change = (r["after"] - r["before"]) / 2**20
        lines.append(f"| {alg} | {r['verifications']:,} | {r['before'] / 2**20:.1f} MiB | {r['after'] / 2**20:.1f} MiB | {change:+.1f} MiB |")
    lines += ["", "![benchmark](bench/python/results.png)", "", "Reproduce:", "", "```sh", results["command"], "```", ""]
    lines += ["", "Targets (issue 4):", "", "| target | measured | met |", "| --- | ---: | :---: |"]
    for name, value, goal, higher_is_better in targets(results):
        met = value >= goal if higher_is_better else value <= goal
        lines.append(f"| {name} | {value:.2f} | {'yes' if met else 'no'} |")
    lines.append("")
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> list[tuple[str, float, float, bool]]:
    """(what, measured, goal, whether higher is better) for the goals of issue 4."""
    verify, middleware, threads, rss = results["verify"], results["middleware"], results["threads"], results["rss"]
    rows = [
        ("verify RSA-2048 vs upstream ≥ 5×", verify["RSA-2048"]["speedup_vs_upstream"], 5.0, True),
        ("verify Ed25519 vs upstream ≥ 2×", verify["Ed25519"]["speedup_vs_upstream"], 2.0, True),
        ("verify RSA-2048 time vs raw primitive ≤ 1.25", verify["RSA-2048"]["ours_vs_raw"], 1.25, False),
        ("verify Ed25519 time vs raw primitive ≤ 1.25", verify["Ed25519"]["ours_vs_raw"], 1.25, False),
        ("middleware RSA-2048 vs upstream ≥ 3×, default settings", middleware["RSA-2048"]["ratio"], 3.0, True),
        ("middleware Ed25519 vs upstream ≥ 3×, default settings", middleware["Ed25519"]["ratio"], 3.0, True),
        ("middleware RSA-2048 vs upstream ≥ 3×, auth cache", middleware["RSA-2048"]["ratio_auth_cache"], 3.0, True),
        ("middleware Ed25519 vs upstream ≥ 3×, auth cache", middleware["Ed25519"]["ratio_auth_cache"], 3.0, True),
        *(
            (f"middleware {alg} vs upstream ≥ 3×, persistent connections", middleware[alg]["ratio_persistent"], 3.0, True)
            for alg in ALGS
            if "ratio_persistent" in middleware[alg]
        ),
        ("two threads vs one, RSA-2048 ≥ 1.8×", threads["ours"]["RSA-2048"]["ratio"], 1.8, True),
        ("two threads vs one, Ed25519 ≥ 1.8×", threads["ours"]["Ed25519"]["ratio"], 1.8, True),
        ("(control: two threads vs one, GIL-free hashing)", threads["ours"]["control"], 1.8, True),
    ]
    for alg, r in rss.items():
        rows.append((f"RSS change over {r['verifications']:,} {alg} verifications ≤ 1 MiB", (r["after"] - r["before"]) / 2**20, 1.0, False))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    run = sub.add_parser("run", help="the whole benchmark (bench/python/run.sh calls this)")
    run.add_argument("--ours-python", default=sys.executable)
    run.add_argument("--upstream-python", required=True)
    run.add_argument("--rounds", type=int, default=3)
    run.add_argument("--rss-verifications", type=int, default=1_000_000)
    run.add_argument("--rss-both", action="store_true", help="also 10^6 RSA-2048 verifications for the RSS figure")
    run.add_argument("--quick", action="store_true", help="short blocks and rounds: a smoke test, not figures")
    run.add_argument("--json", help="write the results here")
    run.add_argument("--markdown", help="write the README section here")
    run.add_argument("--command-line", default="bench/python/run.sh")
    worker = sub.add_parser("worker", help="one measurement in this interpreter (used by run)")
    worker.add_argument("task", choices=sorted(TASKS))
    worker.add_argument("config")
    render_cmd = sub.add_parser("render", help="print the README section of a results file")
    render_cmd.add_argument("results")
    plot_cmd = sub.add_parser("plot", help="draw a results file as a PNG (needs matplotlib)")
    plot_cmd.add_argument("results")
    plot_cmd.add_argument("output")
    args = parser.parse_args()

    if args.mode == "worker":
        worker_main(args.task, args.config)
        return
    if args.mode == "render":
        print(render(json.load(open(args.results))))
        return
    if args.mode == "plot":
        plot(args.results, args.output)
        return
    driver = Driver(args)
    try:
        results = driver.run()
    finally:
        driver.close()
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)
    text = render(results)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(text)
    print(text)


if __name__ == "__main__":
    main()
