"""
asymmetric_jwt_auth — asymmetric-key JWT authentication for server-to-server HTTP requests.

A drop-in replacement for the ``asymmetric-jwt-auth`` 1.x Django app whose cryptography, JWT and
JSON work is done by the native library libajwt (module ``asymmetric_jwt_auth._native``).
"""

from typing import Any
import os

from django.conf import ENVIRONMENT_VARIABLE, settings
from django.utils.functional import empty

#: Default settings. Override using a dictionary named ASYMMETRIC_JWT_AUTH in Django's settings.py.
default_settings: dict[str, Any] = {
    #: Auth method searched for in the prefix of the Authentication header. Similar to ``Bearer`` or ``Basic``.
    "AUTH_METHOD": "JWT",
    #: Number of seconds of clock-drift to tolerate when verifying the authenticity of a JWT.
    "TIMESTAMP_TOLERANCE": 20,  # Seconds
    #: Class used to store and validate nonces
    "NONCE_BACKEND": "asymmetric_jwt_auth.nonce.django.DjangoCacheNonceBackend",
    #: Alias of the cache in ``CACHES`` where ``DjangoCacheNonceBackend`` records used nonces. Where it is a
    #: ``LocMemCache`` (or ``DummyCache``), nonces are kept in libajwt's exact in-process store instead.
    "NONCE_CACHE_ALIAS": "default",
    #: Repository class used to fetch users by their username
    "USER_REPOSITORY": "asymmetric_jwt_auth.repos.django.DjangoUserRepository",
    #: List of repository classes used to fetch public keys for a user
    "PUBLIC_KEY_REPOSITORIES": [
        "asymmetric_jwt_auth.repos.django.DjangoJWKSRepository",
        "asymmetric_jwt_auth.repos.django.DjangoPublicKeyListRepository",
    ],
    #: List of public keys that should be advertised on our JWKS endpoint.
    "SIGNING_PUBLIC_KEYS": [],
    #: Cache TTL for the JWKS key view
    "JWKS_VIEW_TTL": (60 * 5),
    #: Age in seconds at which a key set fetched from a trusted JWKS endpoint is refreshed in the background.
    "JWKS_CACHE_TTL": (60 * 5),
    #: Seconds after its last successful fetch that a key set stops being trusted. Bounds how long a key removed
    #: from a JWKS endpoint keeps working while the endpoint fails.
    "JWKS_CACHE_MAX_AGE": (60 * 60),
    #: Minimum seconds between fetches of one JWKS endpoint (a stale set, an unknown key ID, a failing endpoint).
    "JWKS_REFRESH_COOLDOWN": 30,
    #: Seconds a whole JWKS download (connect, TLS, headers and body) may take.
    "JWKS_FETCH_TIMEOUT": 5,
    #: Largest JWKS response, in bytes and headers included, that is accepted.
    "JWKS_MAX_RESPONSE_BYTES": 1024 * 1024,
    #: JWKS URLs must be https, except to loopback addresses. True also allows plain http to any allowed address.
    "JWKS_ALLOW_INSECURE_HTTP": False,
    #: Networks (CIDR strings, e.g. ``["10.0.0.0/8"]``) that JWKS endpoints may resolve to although they are private,
    #: link-local or otherwise not global. Empty: only global and loopback addresses are fetched from.
    "JWKS_ALLOWED_NETWORKS": [],
    #: Path of a PEM file (or directory) of CA certificates that JWKS endpoints' certificates are checked against.
    #: None: the system's, as urllib would use.
    "JWKS_CA_BUNDLE": None,
    #: User model field that the token's ``username`` claim is matched against. ``None``: the field named
    #: ``username`` when the user model has one (as upstream), else the model's ``USERNAME_FIELD``.
    "USER_LOOKUP_FIELD": None,
    #: Seconds that what authentication reads from the database (the user, their public keys and JWKS endpoint)
    #: stays in Django's default cache. 0: read from the database on every request (as 1.x). ORM saves and deletes
    #: take effect at once in every process sharing the cache; QuerySet.update() and raw SQL within this time.
    "AUTH_CACHE_TTL": 0,
    #: Minimum age in seconds of a key's ``last_used_on`` before a use is written again. 0: on every request (as 1.x).
    "LAST_USED_UPDATE_INTERVAL": 60,
    #: Whether users whose ``is_active`` is False may authenticate with a token (as in 1.x). False: they are refused,
    #: as Django's ``ModelBackend`` refuses them (``user_can_authenticate``).
    "AUTHENTICATE_INACTIVE_USERS": False,
    #: Request binding (docs/request-binding.md): "off" (as 1.x: the ajwt_method, ajwt_target, ajwt_body and ajwt_aud
    #: claims are ignored), "when-present" (each bound claim a token carries must match the request and ``AUDIENCE``)
    #: or "required" (tokens must bind method, target and body, and name the audience when ``AUDIENCE`` is set).
    "REQUEST_BINDING": "off",
    #: This service's name, compared with a token's ``ajwt_aud`` claim. None: tokens naming an audience are refused
    #: unless ``REQUEST_BINDING`` is "off".
    "AUDIENCE": None,
}


def get_setting(name: str) -> Any:
    """
    The value of one setting: from ``settings.ASYMMETRIC_JWT_AUTH`` if it names it, else a copy of the default
    (a copy, so that callers can't change the defaults). Read on every call, so ``override_settings`` and
    assignments to ``settings.ASYMMETRIC_JWT_AUTH`` take effect at once.
    """
    return _setting_from(_overrides(), name)


def get_settings(*names: str) -> tuple[Any, ...]:
    """The values of several settings, as :func:`get_setting` gives them, reading Django's settings once."""
    overrides = _overrides()
    return tuple([_setting_from(overrides, name) for name in names])


def _setting_from(overrides: dict[str, Any], name: str) -> Any:
    if name in overrides:
        return overrides[name]
    value = default_settings[name]
    # The default containers hold only strings, so a shallow copy protects them
    return value.copy() if isinstance(value, (list, dict, set)) else value


# Django's LazySettings keeps every setting it has read in its own instance __dict__, and drops it there when the
# setting is assigned or deleted or the settings object is swapped (override_settings). A lookup in that dict costs
# ~0.05 µs; reading through LazySettings.__getattribute__ costs ~0.8 µs, and ~6 µs when the setting is absent (two
# exceptions inside Django) — which it is in a project on all defaults, several times per request.
_read_settings: dict[str, Any] = object.__getattribute__(settings, "__dict__")
_SETTING = "ASYMMETRIC_JWT_AUTH"
_MISSING = object()
# The settings object (LazySettings._wrapped) that ASYMMETRIC_JWT_AUTH was last found absent from
_absent_from: list[object] = [_MISSING]


def _overrides() -> dict[str, Any]:
    """``settings.ASYMMETRIC_JWT_AUTH``, or ``{}`` without it: exactly what Django's settings would say."""
    overrides = _read_settings.get(_SETTING, _MISSING)
    if overrides is not _MISSING:
        return overrides
    wrapped = _read_settings.get("_wrapped")
    if wrapped is empty and not os.environ.get(ENVIRONMENT_VARIABLE):
        # Not a Django project (a script or worker that only signs requests): the defaults. Django would raise
        # ImproperlyConfigured; a project that configures its settings later is read from then on.
        return {}
    # Still absent if the settings object is the one it was absent from and was not given it since (assignment
    # goes into the settings object's own __dict__; a new object is checked again).
    if wrapped is _absent_from[0] and _SETTING not in getattr(wrapped, "__dict__", (_SETTING,)):
        return {}
    overrides = getattr(settings, _SETTING, _MISSING)  # Django caches a present value in _read_settings
    if overrides is _MISSING:
        _absent_from[0] = _read_settings.get("_wrapped")
        return {}
    return overrides
