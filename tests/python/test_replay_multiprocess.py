"""
Replay protection under concurrency: N >= 8 workers present the same token at the same moment (they meet at
a barrier first), and exactly one of them may accept it, in every one of many rounds.

- processes (separate interpreters, as the workers of a deployment on several hosts) sharing Redis through
  Django's RedisCache: verifying the token directly, and — on PostgreSQL, where the processes share the
  database too — through the whole middleware stack;
- threads in one process, with the local-memory cache (Django's LocMemCache) and libajwt's in-memory store.

A control round with the null nonce backend shows that the harness does see several acceptances when nothing
stops them. Every wait is bounded (queue and barrier timeouts, process joins).
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
import copy
import multiprocessing
import queue
import threading
import time

from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import connection
import pytest

from asymmetric_jwt_auth import _native
from asymmetric_jwt_auth.models import PublicKey
from asymmetric_jwt_auth.nonce.base import BaseNonceBackend
from asymmetric_jwt_auth.tokens import Token, UntrustedToken
from conftest_services import redis_cache_settings, require_service
from helpers.replay_worker import worker_main

WORKERS = 8
ROUNDS = 40
ATOMIC = "asymmetric_jwt_auth.nonce.django.DjangoCacheNonceBackend"
NULL = "asymmetric_jwt_auth.nonce.null.NullNonceBackend"
#: Seconds the test waits for a worker to start (import Django, configure) or to answer one round.
START_TIMEOUT = 90
ROUND_TIMEOUT = 30


class WorkerPool:
    """N spawned worker processes (helpers/replay_worker.py) that act on one command together."""

    def __init__(self, count: int, settings: dict[str, Any]) -> None:
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(count)
        self.results: multiprocessing.Queue[Any] = context.Queue()
        self.commands: list[multiprocessing.Queue[Any]] = [context.Queue() for _ in range(count)]
        self.warm = False
        self.processes = [
            context.Process(target=worker_main, args=(i, settings, self.barrier, self.commands[i], self.results), daemon=True)
            for i in range(count)
        ]
        try:
            for process in self.processes:
                process.start()
            self._collect("ready", START_TIMEOUT)
        except BaseException:
            self.close()
            raise

    def _collect(self, expected: str, timeout: float) -> list[Any]:
        answers: dict[int, Any] = {}
        deadline = time.monotonic() + timeout
        while len(answers) < len(self.processes):
            try:
                kind, worker_id, value = self.results.get(timeout=0.5)
            except queue.Empty:
                dead = [i for i, process in enumerate(self.processes) if i not in answers and not process.is_alive()]
                if dead:
                    raise AssertionError(f"workers {dead} exited without answering") from None
                if time.monotonic() > deadline:
                    raise AssertionError(f"workers did not answer within {timeout} s ({len(answers)} of {len(self.processes)} did)") from None
                continue
            if kind == "error":
                raise AssertionError(f"worker {worker_id} failed:\n{value}")
            assert kind == expected, (kind, expected)
            answers[worker_id] = value
        return [answers[i] for i in range(len(self.processes))]

    def run(self, kind: str, nonce_backend: str, *args: Any) -> list[bool]:
        """Every worker does ``kind`` (verify / request) with ``args`` at the same moment; who accepted."""
        for commands in self.commands:
            commands.put((kind, nonce_backend, args))
        return [bool(value) for value in self._collect("result", ROUND_TIMEOUT)]

    def warm_up(self) -> None:
        """Have every worker build its request handler and middleware (outside the timed rounds)."""
        if not self.warm:
            for commands in self.commands:
                commands.put(("warm", ATOMIC, ()))
            self._collect("result", START_TIMEOUT)
            self.warm = True

    def close(self) -> None:
        for commands in self.commands:
            commands.put(None)
        started = [process for process in self.processes if process.pid is not None]
        deadline = time.monotonic() + 15
        for process in started:
            process.join(max(0.1, deadline - time.monotonic()))
        for process in started:
            if process.is_alive():
                process.kill()
                process.join(5)


def worker_settings(cache_url: str) -> dict[str, Any]:
    """The test project's settings, as a fresh process configures them: this database, Redis as the cache."""
    names = [
        "SECRET_KEY",
        "USE_TZ",
        "ALLOWED_HOSTS",
        "DEFAULT_AUTO_FIELD",
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "ROOT_URLCONF",
        "TEMPLATES",
        "PASSWORD_HASHERS",
        "AUTH_USER_MODEL",
    ]
    conf = {name: copy.deepcopy(getattr(django_settings, name)) for name in names}
    # After the test database was created, DATABASES names it (PostgreSQL: test_<name>, shared by processes)
    conf["DATABASES"] = copy.deepcopy(django_settings.DATABASES)
    conf["CACHES"] = redis_cache_settings(cache_url)
    conf["LOGGING_CONFIG"] = None
    return conf


@pytest.fixture(scope="session")
def pool(redis_url: str, django_db_setup: Any, django_db_blocker: Any) -> Iterator[WorkerPool]:
    with django_db_blocker.unblock():
        workers = WorkerPool(WORKERS, worker_settings(redis_url))
    try:
        yield workers
    finally:
        workers.close()


def test_processes_verifying_one_token_against_redis(pool: WorkerPool, redis_cache: str, ed25519_key: Any) -> None:
    public_pem = ed25519_key.public_key.as_pem
    for round_number in range(ROUNDS):
        token = Token("rusty").sign(ed25519_key)
        accepted = pool.run("verify", ATOMIC, public_pem, token)
        assert sum(accepted) == 1, f"round {round_number}: {accepted}"
        # and the token stays used for everyone afterwards
        assert UntrustedToken(token).verify(ed25519_key.public_key) is None


def test_processes_rsa_tokens_against_redis(pool: WorkerPool, redis_cache: str, rsa_key: Any) -> None:
    public_pem = rsa_key.public_key.as_pem
    for round_number in range(ROUNDS // 4):
        accepted = pool.run("verify", ATOMIC, public_pem, Token("rusty").sign(rsa_key))
        assert sum(accepted) == 1, f"round {round_number}: {accepted}"


def test_control_without_replay_protection_every_process_accepts(pool: WorkerPool, redis_cache: str, ed25519_key: Any) -> None:
    """The harness does count several acceptances: with the null nonce backend all workers accept."""
    token = Token("rusty").sign(ed25519_key)
    assert pool.run("verify", NULL, ed25519_key.public_key.as_pem, token) == [True] * WORKERS


@pytest.mark.django_db(transaction=True)
def test_processes_requesting_through_the_middleware(pool: WorkerPool, redis_cache: str, ed25519_key: Any, rsa_key: Any) -> None:
    """The deployment of the issue: processes share the key registry (PostgreSQL) and the nonces (Redis)."""
    if connection.vendor != "postgresql":
        require_service("worker processes share the database only on a database server (testproject.settings_postgres)")
    user = User.objects.create_user(username="alice")
    stored = [PublicKey.objects.create(user=user, key=key.public_key.as_pem.decode()) for key in (ed25519_key, rsa_key)]
    pool.warm_up()
    for round_number in range(ROUNDS // 2):
        key = (ed25519_key, rsa_key)[round_number % 2]
        accepted = pool.run("request", ATOMIC, Token("alice").create_auth_header(key))
        assert sum(accepted) == 1, f"round {round_number}: {accepted}"
    for public_key in stored:
        public_key.refresh_from_db()
        assert public_key.last_used_on is not None
    # A token signed by a key the registry does not hold is refused by every worker
    from asymmetric_jwt_auth.keys import Ed25519PrivateKey

    assert pool.run("request", ATOMIC, Token("alice").create_auth_header(Ed25519PrivateKey.generate())) == [False] * WORKERS


# ---- threads ---------------------------------------------------------------------------------------------------

#: One store for the whole process, as a deployment would keep it (nonce backends are made per verification)
_memory_store = _native.MemoryNonceStore(ttl_seconds=41)


class NativeMemoryNonceBackend(BaseNonceBackend):
    """libajwt's in-memory store (atomic, thread-safe) as a nonce backend."""

    def check_and_record_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        status, _ = _memory_store.check_and_record(username, timestamp, nonce, _native.now())
        return status == int(_native.Status.OK)


def race_in_threads(public_key: Any, token: str, threads: int = WORKERS) -> list[bool]:
    barrier = threading.Barrier(threads, timeout=10)

    def attempt(_: int) -> bool:
        untrusted = UntrustedToken(token)
        barrier.wait()
        return untrusted.verify(public_key) is not None

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(attempt, range(threads), timeout=30))


@pytest.mark.parametrize("store", ["locmem", "native memory"])
def test_threads_verifying_one_token(settings: Any, ed25519_key: Any, rsa_key: Any, store: str) -> None:
    if store == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "replay-threads"}}
        settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": ATOMIC}
    else:
        settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": f"{__name__}.NativeMemoryNonceBackend"}
    for round_number in range(ROUNDS * 2):
        key = ed25519_key if round_number % 4 else rsa_key
        accepted = race_in_threads(key.public_key, Token("rusty").sign(key))
        assert sum(accepted) == 1, f"round {round_number}: {accepted}"


def test_threads_verifying_one_token_against_redis(redis_cache: str, ed25519_key: Any) -> None:
    for round_number in range(ROUNDS):
        accepted = race_in_threads(ed25519_key.public_key, Token("rusty").sign(ed25519_key))
        assert sum(accepted) == 1, f"round {round_number}: {accepted}"


def test_threads_control_without_replay_protection(settings: Any, ed25519_key: Any) -> None:
    settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": NULL}
    assert race_in_threads(ed25519_key.public_key, Token("rusty").sign(ed25519_key)) == [True] * WORKERS
