"""
System checks: settings that would silently weaken authentication.

``manage.py check`` (always):

- ``asymmetric_jwt_auth.W001``: an ``ASYMMETRIC_JWT_AUTH`` key this package does not know (a typo keeps the
  default).
- ``asymmetric_jwt_auth.E002``: a numeric setting that is not a non-negative integer.
- ``asymmetric_jwt_auth.E003``: ``NONCE_BACKEND`` cannot be imported.

``manage.py check --deploy`` (settings fine for development, not for a deployment):

- ``asymmetric_jwt_auth.W004``: replay protection is off (``NullNonceBackend``) or does nothing (the cache nonce
  backend on ``DummyCache``).
- ``asymmetric_jwt_auth.W005``: the cache nonce backend on a per-process cache (``LocMemCache``, Django's
  default): a token can be replayed against another worker process.
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


def _default_cache_backend() -> str:
    return str(getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", "django.core.cache.backends.locmem.LocMemCache"))


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
    return messages


@register(Tags.security, deploy=True)
def check_deployment(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from .nonce.django import DjangoCacheNonceBackend
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
    elif isinstance(nonce_backend, type) and issubclass(nonce_backend, DjangoCacheNonceBackend):
        if cache_backend.endswith(".DummyCache"):
            messages.append(
                Warning(
                    "Replay protection does nothing: the nonce backend records nonces in CACHES['default'], which is a DummyCache.",
                    hint="Use a shared cache such as django.core.cache.backends.redis.RedisCache.",
                    id="asymmetric_jwt_auth.W004",
                )
            )
        elif per_process:
            messages.append(
                Warning(
                    f"Replay protection holds within one process only: nonces are recorded in CACHES['default'] ({cache_backend}), which worker processes don't share.",
                    hint="With more than one worker process, use a shared cache such as django.core.cache.backends.redis.RedisCache.",
                    id="asymmetric_jwt_auth.W005",
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
