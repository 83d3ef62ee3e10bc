"""
System checks: settings that would silently weaken authentication.

``manage.py check`` (always):

- ``asymmetric_jwt_auth.W001``: an ``ASYMMETRIC_JWT_AUTH`` key this package does not know (a typo keeps the
  default).
- ``asymmetric_jwt_auth.E002``: a numeric setting that is not a non-negative integer.
- ``asymmetric_jwt_auth.E003``: ``NONCE_BACKEND`` cannot be imported.
- ``asymmetric_jwt_auth.E008``: the cache nonce backend on a cache that drops live entries: ``DummyCache`` (stores
  nothing), ``FileBasedCache`` and ``DatabaseCache`` (cull at ``MAX_ENTRIES``): a token could be replayed.
- ``asymmetric_jwt_auth.E009``: ``NONCE_CACHE_ALIAS`` names no cache of ``CACHES``.
- ``asymmetric_jwt_auth.W012``: ``JWTAuthMiddleware`` comes before Django's ``AuthenticationMiddleware`` in
  ``MIDDLEWARE``, which then replaces the user it authenticated with the session's (anonymous) user.

``manage.py check --deploy`` (settings fine for development, not for a deployment):

- ``asymmetric_jwt_auth.W004``: replay protection is off (``NullNonceBackend``).
- ``asymmetric_jwt_auth.W005``: the cache nonce backend on ``LocMemCache`` (Django's default): nonces are kept in
  libajwt's in-process store, exact within a process, so a token can be replayed to another worker process.
- ``asymmetric_jwt_auth.W007``: the cache nonce backend on Redis or Memcached: they must be configured never to
  evict an entry before it expires.
- ``asymmetric_jwt_auth.W006``: ``AUTH_CACHE_TTL`` on a per-process cache: a deleted key keeps working in
  the other processes until the TTL runs out.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

from . import default_settings, get_setting

_NUMERIC = (
    "TIMESTAMP_TOLERANCE",
    "JWKS_VIEW_TTL",
    "JWKS_CACHE_TTL",
    "JWKS_CACHE_MAX_AGE",
    "JWKS_REFRESH_COOLDOWN",
    "JWKS_MAX_RESPONSE_BYTES",
    "AUTH_CACHE_TTL",
    "LAST_USED_UPDATE_INTERVAL",
)


def _cache_backend(alias: str) -> str | None:
    """The dotted path of the backend of ``CACHES[alias]`` (Django's default for an unset ``CACHES``), or None."""
    configured = getattr(settings, "CACHES", {"default": {}})
    if alias not in configured:
        return None
    return str(configured[alias].get("BACKEND", "django.core.cache.backends.locmem.LocMemCache"))


def _default_cache_backend() -> str:
    return _cache_backend("default") or "django.core.cache.backends.locmem.LocMemCache"


def _cache_backend_is(path: str, *kinds: str) -> bool:
    """Whether the cache backend class at ``path`` is (a subclass of) one of Django's ``kinds``."""
    try:
        backend = import_string(path)
    except ImportError:
        return False  # Django's own check reports it
    classes = [import_string(kind) for kind in kinds]
    return isinstance(backend, type) and issubclass(backend, tuple(classes))


_DUMMY = "django.core.cache.backends.dummy.DummyCache"
_CULLING = ("django.core.cache.backends.filebased.FileBasedCache", "django.core.cache.backends.db.DatabaseCache")
_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_EVICTING = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.BaseMemcachedCache",
)
_NO_EVICTION_HINT = (
    "Make sure that it never evicts an entry before it expires: Redis with maxmemory-policy noeviction (or no "
    "maxmemory limit; the volatile-* policies evict keys that have a TTL, which nonces have), Memcached started "
    "with -M (return an error rather than evict). Then silence this warning with SILENCED_SYSTEM_CHECKS."
)
_NONCE_CACHE_HINT = (
    "Record nonces in Redis or Memcached, e.g. an alias of CACHES with django.core.cache.backends.redis.RedisCache "
    "named by ASYMMETRIC_JWT_AUTH['NONCE_CACHE_ALIAS']; for a single process, a LocMemCache alias, which keeps "
    "nonces in libajwt's exact in-process store."
)


def _uses_cache_nonce_backend() -> bool:
    from .nonce.django import DjangoCacheNonceBackend

    try:
        nonce_backend = import_string(get_setting("NONCE_BACKEND"))
    except ImportError:
        return False  # E003
    return isinstance(nonce_backend, type) and issubclass(nonce_backend, DjangoCacheNonceBackend)


def _nonce_cache_messages() -> list[Any]:
    """E008 and E009: what would let the cache nonce backend accept a replay."""
    if not _uses_cache_nonce_backend():
        return []
    alias = get_setting("NONCE_CACHE_ALIAS")
    backend = _cache_backend(alias) if isinstance(alias, str) else None
    if backend is None:
        return [Error(f"ASYMMETRIC_JWT_AUTH['NONCE_CACHE_ALIAS'] is {alias!r}, which is not an alias of CACHES.", id="asymmetric_jwt_auth.E009")]
    if _cache_backend_is(backend, _DUMMY):
        return [
            Error(
                f"Replay protection cannot use CACHES[{alias!r}]: it is a DummyCache, which stores nothing. Used nonces are "
                "kept in this process's memory instead, which other worker processes don't share.",
                hint=_NONCE_CACHE_HINT,
                id="asymmetric_jwt_auth.E008",
            )
        ]
    if _cache_backend_is(backend, *_CULLING):
        return [
            Error(
                f"Replay protection cannot rely on CACHES[{alias!r}] ({backend}): it culls entries once it holds MAX_ENTRIES, "
                "used nonces included, so a token could be replayed after enough other requests.",
                hint=_NONCE_CACHE_HINT,
                id="asymmetric_jwt_auth.E008",
            )
        ]
    return []


@register(Tags.security)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    messages: list[Any] = []
    configured = getattr(settings, "ASYMMETRIC_JWT_AUTH", {})
    for name in sorted(set(configured) - set(default_settings)):
        messages.append(
            Warning(
                f"ASYMMETRIC_JWT_AUTH[{name!r}] is not a setting of asymmetric_jwt_auth; it is ignored.",
                hint=f"The settings are: {', '.join(sorted(default_settings))}.",
                id="asymmetric_jwt_auth.W001",
            )
        )
    for name in _NUMERIC:
        value = get_setting(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            messages.append(Error(f"ASYMMETRIC_JWT_AUTH[{name!r}] must be a non-negative integer, not {value!r}.", id="asymmetric_jwt_auth.E002"))
    try:
        import_string(get_setting("NONCE_BACKEND"))
    except ImportError as e:
        messages.append(Error(f"ASYMMETRIC_JWT_AUTH['NONCE_BACKEND'] cannot be imported: {e}", id="asymmetric_jwt_auth.E003"))
    messages += _nonce_cache_messages()
    messages += _binding_messages()
    return messages


def _binding_messages() -> list[Any]:
    """REQUEST_BINDING and AUDIENCE: a value libajwt would refuse makes every JWT request anonymous."""
    messages: list[Any] = []
    policy = get_setting("REQUEST_BINDING")
    if policy not in ("off", "when-present", "required"):
        messages.append(
            Error(
                f"ASYMMETRIC_JWT_AUTH['REQUEST_BINDING'] must be 'off', 'when-present' or 'required', not {policy!r}.",
                id="asymmetric_jwt_auth.E012",
            )
        )
    audience = get_setting("AUDIENCE")
    if audience is not None and (not isinstance(audience, str) or not audience or len(audience.encode()) > 1024 or "\0" in audience):
        messages.append(
            Error(
                f"ASYMMETRIC_JWT_AUTH['AUDIENCE'] must be None or a string of 1 to 1024 bytes without NUL, not {audience!r}.",
                id="asymmetric_jwt_auth.E012",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def check_deployment(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from .nonce.null import NullNonceBackend

    messages: list[Any] = []
    cache_backend = _default_cache_backend()
    per_process = cache_backend.endswith((".LocMemCache", ".FileBasedCache"))
    try:
        nonce_backend = import_string(get_setting("NONCE_BACKEND"))
    except ImportError:
        return []  # E003
    if isinstance(nonce_backend, type) and issubclass(nonce_backend, NullNonceBackend):
        messages.append(
            Warning(
                "Replay protection is off (NONCE_BACKEND is NullNonceBackend): a captured token can be used again for as long as its time is in the window.",
                id="asymmetric_jwt_auth.W004",
            )
        )
    elif _uses_cache_nonce_backend():
        alias = get_setting("NONCE_CACHE_ALIAS")
        nonce_cache_backend = _cache_backend(alias) if isinstance(alias, str) else None
        if nonce_cache_backend is not None and _cache_backend_is(nonce_cache_backend, _LOCMEM):
            messages.append(
                Warning(
                    f"Used nonces are kept in this process's memory (CACHES[{alias!r}] is a LocMemCache, so libajwt's in-process "
                    "nonce store is used): a token is accepted once per worker process, so it can be replayed to another one.",
                    hint="With more than one worker process or host, record nonces in a shared cache such as "
                    "django.core.cache.backends.redis.RedisCache (see ASYMMETRIC_JWT_AUTH['NONCE_CACHE_ALIAS']).",
                    id="asymmetric_jwt_auth.W005",
                )
            )
        elif nonce_cache_backend is not None and _cache_backend_is(nonce_cache_backend, *_EVICTING):
            messages.append(
                Warning(
                    f"Replay protection relies on CACHES[{alias!r}] ({nonce_cache_backend}) keeping every used nonce until it "
                    "expires: a nonce evicted under memory pressure makes its token replayable.",
                    hint=_NO_EVICTION_HINT,
                    id="asymmetric_jwt_auth.W007",
                )
            )
    ttl = get_setting("AUTH_CACHE_TTL")
    if isinstance(ttl, int) and ttl > 0 and per_process:
        messages.append(
            Warning(
                f"AUTH_CACHE_TTL is on with a per-process CACHES['default'] ({cache_backend}): a key deleted in one process keeps working in the others for up to {ttl} s.",
                hint="Use a shared cache such as django.core.cache.backends.redis.RedisCache, or set AUTH_CACHE_TTL to 0.",
                id="asymmetric_jwt_auth.W006",
            )
        )
    return messages


@register(Tags.security)
def check_jwks_fetch_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """JWKS_ALLOWED_NETWORKS and JWKS_CA_BUNDLE: a bad value would make every JWKS fetch fail."""
    import ipaddress
    import os

    messages: list[Any] = []
    networks = get_setting("JWKS_ALLOWED_NETWORKS")
    try:
        if isinstance(networks, str):
            raise TypeError("a list of CIDR strings, not one string")
        for network in networks or ():
            ipaddress.ip_network(network, strict=False)
    except (TypeError, ValueError) as e:
        messages.append(Error(f"ASYMMETRIC_JWT_AUTH['JWKS_ALLOWED_NETWORKS'] must be a list of networks such as '10.0.0.0/8': {e}", id="asymmetric_jwt_auth.E010"))
    bundle = get_setting("JWKS_CA_BUNDLE")
    if bundle is not None and not (isinstance(bundle, str | os.PathLike) and os.path.exists(bundle)):
        messages.append(Error(f"ASYMMETRIC_JWT_AUTH['JWKS_CA_BUNDLE'] is not an existing file or directory: {bundle!r}", id="asymmetric_jwt_auth.E011"))
    return messages


_JWT_MIDDLEWARE = "asymmetric_jwt_auth.middleware.JWTAuthMiddleware"
_AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def _middleware_position(middleware: list[str], path: str) -> int | None:
    """Index of the first entry of ``middleware`` that is (a subclass of) the class at ``path``, or None."""
    wanted = import_string(path)
    for index, entry in enumerate(middleware):
        try:
            cls = import_string(entry)
        except ImportError:
            continue  # Django reports it when it loads the middleware
        if isinstance(cls, type) and issubclass(cls, wanted):
            return index
    return None


@register(Tags.security)
def check_middleware_order(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """W012: AuthenticationMiddleware after JWTAuthMiddleware overwrites the user that a token authenticated."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or ())
    jwt_index = _middleware_position(middleware, _JWT_MIDDLEWARE)
    auth_index = _middleware_position(middleware, _AUTH_MIDDLEWARE)
    if jwt_index is None or auth_index is None or jwt_index > auth_index:
        return []
    return [
        Warning(
            f"{middleware[jwt_index]} comes before {middleware[auth_index]} in MIDDLEWARE: the user a token authenticated "
            "is replaced by the session's, so signed requests stay anonymous.",
            hint=f"Move {middleware[jwt_index]} after {middleware[auth_index]}.",
            id="asymmetric_jwt_auth.W012",
        )
    ]
