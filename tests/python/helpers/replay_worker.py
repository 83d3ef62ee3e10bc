"""
A worker process of the cross-process replay tests (test_replay_multiprocess.py): one Django process of a
deployment with several, sharing the nonce cache (Redis) and, for requests, the database (PostgreSQL).

Started with multiprocessing's "spawn" method, so each worker is a fresh interpreter configured from the
settings the test hands it, as a separately started server process would be. Per command it waits at a
barrier with the other workers, so that all of them present the same token at the same moment, then
reports whether it accepted the token.
"""

from typing import Any
import multiprocessing
import queue
import threading
import traceback

#: Seconds a worker waits for its next command before it gives up and exits (the test died).
IDLE_TIMEOUT = 120
#: Seconds a worker waits at the barrier for the others.
BARRIER_TIMEOUT = 20


def _setup(django_settings: dict[str, Any]) -> None:
    import django
    from django.conf import settings

    settings.configure(**django_settings)
    django.setup()


def _verify(public_key_pem: bytes, token: str) -> bool:
    from asymmetric_jwt_auth.keys import PublicKey
    from asymmetric_jwt_auth.tokens import UntrustedToken

    return UntrustedToken(token).verify(PublicKey.load_pem(public_key_pem)) is not None


def _warm_up() -> bool:
    """
    Build the request handler and its middleware now, not inside the first timed round. The middleware makes
    its decoy keys when it is built; one RSA size is enough here (they equalise response times, which this
    test does not measure), and saves eight fresh processes from each generating RSA-3072 and -4096 keys.
    """
    from asymmetric_jwt_auth.repos import django as django_repos

    django_repos._DECOY_RSA_KEY_SIZES = (2048,)
    return _request(None)


def _request(header: str | None) -> bool:
    from django.test import Client

    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = Client().get("/whoami/", **extra)
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    return bool(response.json()["authenticated"])


def worker_main(
    worker_id: int,
    django_settings: dict[str, Any],
    barrier: threading.Barrier,
    commands: "multiprocessing.Queue[Any]",
    results: "multiprocessing.Queue[Any]",
) -> None:
    try:
        _setup(django_settings)
    except Exception:  # noqa: BLE001 - reported to the test, which fails with it
        results.put(("error", worker_id, traceback.format_exc()))
        return
    results.put(("ready", worker_id, None))
    from django.conf import settings
    from django.db import close_old_connections

    while True:
        try:
            command = commands.get(timeout=IDLE_TIMEOUT)
        except queue.Empty:
            return
        if command is None:
            close_old_connections()
            return
        kind, nonce_backend, args = command
        try:
            settings.ASYMMETRIC_JWT_AUTH = {"NONCE_BACKEND": nonce_backend}
            if kind == "warm":
                accepted = _warm_up()
            else:
                barrier.wait(BARRIER_TIMEOUT)
                accepted = _verify(*args) if kind == "verify" else _request(*args)
        except Exception:  # noqa: BLE001
            results.put(("error", worker_id, traceback.format_exc()))
        else:
            results.put(("result", worker_id, accepted))
