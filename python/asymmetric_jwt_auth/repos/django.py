from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple
import functools
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

from .. import get_setting, get_settings, jwks, keys, models
from ..exceptions import JWKSError
from ..tokens import Token, UntrustedToken
from ..utils import printable
from .base import BasePublicKeyRepository, BaseUserRepository
from .auth_rows import joinable, load_user_with_rows
from .cache import auth_cache_enabled, record_use, rows_for_unknown_user, rows_for_user, user_by
from .lookups import instances_lookup

if TYPE_CHECKING:
    from django.contrib.auth.models import User
else:
    User = Any

logger = logging.getLogger(__name__)

#: Sizes in bits of the RSA decoy keys. Users whose RSA keys have other sizes can still be told apart by timing.
_DECOY_RSA_KEY_SIZES = (2048, 3072, 4096)
#: Decoy EC curve for each ECDSA algorithm.
_DECOY_EC_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}


class _Decoy(NamedTuple):
    key: keys.FacadePublicKey
    pem: bytes


def _decoy(private_key: keys.FacadePrivateKey) -> _Decoy:
    public_key = private_key.public_key
    return _Decoy(public_key, public_key.as_pem)


@functools.cache
def _generate_decoys() -> tuple[dict[int, _Decoy], _Decoy, dict[str, _Decoy]]:
    """
    Public keys whose private halves are thrown away, so no token can ever verify against them: RSA keys by the
    length in bytes of their signatures, an Ed25519 key, and an EC key per ECDSA algorithm. They're generated
    once per process, before any request needs them, because generating one while a request waits would show
    in that request's response time.
    """
    rsa_decoys = {size // 8: _decoy(keys.RSAPrivateKey.generate(size=size)) for size in _DECOY_RSA_KEY_SIZES}
    ed25519_decoy = _decoy(keys.Ed25519PrivateKey.generate())
    ec_decoys = {alg: _decoy(keys.ECPrivateKey.generate(curve)) for alg, curve in _DECOY_EC_CURVES.items()}
    return rsa_decoys, ed25519_decoy, ec_decoys


def _get_decoys(signature_length: int, untrusted_token: UntrustedToken | None = None) -> list[_Decoy]:
    """
    One decoy of each key type, for a token whose signature is ``signature_length`` bytes long. Checking a forged
    token against these costs the same as checking it against a real key of the same type, as long as a real RSA
    key is of a size in ``_DECOY_RSA_KEY_SIZES``.

    An RSA signature of the wrong length is rejected before any math. So the RSA decoy is the one whose signatures
    are as long as the token's, or the smallest when none are, which rejects it just as early. A real RSA key of
    the wrong size is swapped for this decoy (see :func:`_is_wrong_size`), so it costs the same.
    """
    rsa_decoys, ed25519_decoy, ec_decoys = _generate_decoys()
    smallest = rsa_decoys[_DECOY_RSA_KEY_SIZES[0] // 8]
    alg = untrusted_token._parsed.alg if untrusted_token is not None and untrusted_token._parsed is not None else None
    ec_decoy = ec_decoys.get(alg or "", ec_decoys["ES256"])
    return [rsa_decoys.get(signature_length, smallest), ed25519_decoy, ec_decoy]


@functools.cache
def _decoy_public_key_rows() -> dict[bytes, models.PublicKey]:
    """A PublicKey row (never saved) holding each decoy key's text, by that text."""
    rsa_decoys, ed25519_decoy, ec_decoys = _generate_decoys()
    return {decoy.pem: models.PublicKey(key=decoy.pem.decode()) for decoy in (*rsa_decoys.values(), ed25519_decoy, *ec_decoys.values())}


def _decoy_public_key_row(signature_length: int, untrusted_token: UntrustedToken) -> models.PublicKey:
    """The PublicKey row of the decoy that a token of this signature length and algorithm would be checked with."""
    decoys = _get_decoys(signature_length, untrusted_token)
    matching = [decoy for decoy in decoys if untrusted_token.has_supported_algorithm(decoy.key.allowed_algorithms)]
    return _decoy_public_key_rows()[(matching or decoys)[0].pem]


def _get_signature_length(untrusted_token: UntrustedToken) -> int:
    """Length in bytes of the token's signature, from its (unpadded base64url) text alone."""
    token = untrusted_token.token
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else str(token)
    encoded = text.rpartition(".")[2]
    return len(encoded) * 3 // 4


def _is_wrong_size(public_key: keys.FacadePublicKey, signature_length: int) -> bool:
    """
    Whether ``public_key`` is an RSA key that would reject a signature ``signature_length`` bytes long before doing any
    math, so it can't verify the token.
    """
    return isinstance(public_key, keys.RSAPublicKey) and (public_key.key_size + 7) // 8 != signature_length


def _user_lookup_field(user_model: Any) -> str:
    configured = get_setting("USER_LOOKUP_FIELD")
    if configured:
        return str(configured)
    try:
        user_model._meta.get_field("username")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: a custom model without a username field
        return str(user_model.USERNAME_FIELD)
    return "username"


@functools.lru_cache(maxsize=16)
def _joined_key_models(repository_paths: tuple[str, ...]) -> tuple[type[Any], ...]:
    """The models whose rows the configured key repositories read through ``rows_for_user``, to load with the user."""
    classes = [import_string(path) for path in repository_paths]
    joined = {models.JWKSEndpointTrust: DjangoJWKSRepository, models.PublicKey: DjangoPublicKeyListRepository}
    return tuple(model for model, repository in joined.items() if any(isinstance(cls, type) and issubclass(cls, repository) for cls in classes))


@functools.lru_cache(maxsize=16)
def _joined_by_user_repository(user_repository: str, repository_paths: tuple[str, ...], user_model_label: str) -> tuple[type[Any], tuple[type[Any], ...]]:
    """The user model, and the models the configured user repository loads with the user when the auth cache is off."""
    user_repository_class = import_string(user_repository)
    if not (isinstance(user_repository_class, type) and issubclass(user_repository_class, DjangoUserRepository)):
        return get_user_model(), ()
    return get_user_model(), _joined_key_models(repository_paths)


def _rows_for_unknown_user(model: type[Any]) -> list[Any]:
    """
    ``rows_for_unknown_user(model)``, unless the user lookup already read ``model``'s table: the configured user
    repository is Django's, the auth cache is off and ``model`` is joined with the user (see
    ``DjangoUserRepository.get_user``). Then the lookup that found no user found no rows of ``model`` either.
    """
    user_repository, repositories, ttl = get_settings("USER_REPOSITORY", "PUBLIC_KEY_REPOSITORIES", "AUTH_CACHE_TTL")
    user_model, joined = _joined_by_user_repository(user_repository, tuple(repositories), settings.AUTH_USER_MODEL)
    if int(ttl or 0) <= 0 and model in joined and joinable(user_model, (model,)):
        return []
    return rows_for_unknown_user(model)


class DjangoUserRepository(BaseUserRepository):
    def __init__(self) -> None:
        self.User = get_user_model()

    def get_user(self, username: str) -> "None | User":
        """
        Get a Django user by username (the ``username`` field, as 1.x did; see the ``USER_LOOKUP_FIELD`` setting)
        """
        field = _user_lookup_field(self.User)
        if not auth_cache_enabled():
            # With the rows the configured Django key repositories will read: one query instead of three
            # An unknown username costs what a user with one public key costs (the typical user; see the key
            # repository's simulate_attempt_to_verify_token)
            related = _joined_key_models(tuple(get_setting("PUBLIC_KEY_REPOSITORIES")))
            return load_user_with_rows(self.User, field, username, related, decoy_models=(models.PublicKey,))

        def load() -> "None | User":
            # As User.objects.get(), with None for no match and for more than one
            users = instances_lookup(self.User, field)(username, limit=2)
            return users[0] if len(users) == 1 else None

        return user_by(self.User, field, username, load)


class DjangoPublicKeyListRepository(BasePublicKeyRepository):
    supported_algorithms = keys.SUPPORTED_ALGORITHMS

    def __init__(self) -> None:
        _generate_decoys()

    def attempt_to_verify_token(
        self,
        user: "User",
        untrusted_token: UntrustedToken,
    ) -> Token | None:
        """
        Attempt to verify a JWT for the given user using public keys from the PublicKey model.
        """
        match = self._verify(rows_for_user(models.PublicKey, user), untrusted_token)
        if match is None:
            return None
        token, user_key = match
        record_use(user_key)
        return token

    def simulate_attempt_to_verify_token(self, username: str, untrusted_token: UntrustedToken) -> None:
        # As for a user with one key of the token's type: that key is a decoy, parsed from its text as a stored one
        decoy_row = _decoy_public_key_row(_get_signature_length(untrusted_token), untrusted_token)
        self._verify([*_rows_for_unknown_user(models.PublicKey), decoy_row], untrusted_token)

    def _load_keys(self, user_keys: Iterable[models.PublicKey], kid: str | None) -> list[tuple[models.PublicKey, keys.FacadePublicKey]]:
        """
        The user's keys, parsed (libajwt caches parsed keys by their text), the one the token's ``kid`` names
        first. A stored key that no longer parses is skipped, not fatal for the user's other keys.
        """
        loaded = []
        for user_key in user_keys:
            try:
                loaded.append((user_key, user_key.get_key()))
            except ValueError as e:
                logger.warning("Skipping unusable public key %s: %s", user_key.pk, printable(e))
        loaded.sort(key=lambda pair: pair[1].fingerprint != kid)
        return loaded

    def _verify(
        self,
        user_keys: Iterable[models.PublicKey],
        untrusted_token: UntrustedToken,
    ) -> tuple[Token, models.PublicKey] | None:
        # Users with no key of some type get checked against a decoy of that type instead, so the work done
        # doesn't depend on which keys (if any) the claimed user has.
        signature_length = _get_signature_length(untrusted_token)
        decoys = _get_decoys(signature_length, untrusted_token)
        key_types: set[type[Any]] = set()
        for user_key, public_key in self._load_keys(user_keys, untrusted_token.get_claimed_key_id()):
            key_types.add(type(public_key))
            if _is_wrong_size(public_key, signature_length):
                public_key = decoys[0].key
            token = untrusted_token.verify(public_key=public_key)
            if token:
                return token, user_key
        for decoy in decoys:
            if type(decoy.key) not in key_types:
                untrusted_token.verify(public_key=keys.PublicKey.load_pem(decoy.pem))
        return None


class DjangoJWKSRepository(BasePublicKeyRepository):
    supported_algorithms = keys.SUPPORTED_ALGORITHMS

    def __init__(self) -> None:
        _generate_decoys()

    def attempt_to_verify_token(
        self,
        user: "User",
        untrusted_token: UntrustedToken,
    ) -> Token | None:
        """
        Attempt to verify a JWT for the given user using public keys the user's JWKS endpoint.
        """
        match = self._verify(rows_for_user(models.JWKSEndpointTrust, user), untrusted_token)
        if match is None:
            return None
        token, jwks_endpoint = match
        record_use(jwks_endpoint)
        return token

    def simulate_attempt_to_verify_token(self, username: str, untrusted_token: UntrustedToken) -> None:
        self._verify(_rows_for_unknown_user(models.JWKSEndpointTrust), untrusted_token)

    def _verify(
        self,
        jwks_endpoints: Iterable[models.JWKSEndpointTrust],
        untrusted_token: UntrustedToken,
    ) -> tuple[Token, models.JWKSEndpointTrust] | None:
        # Every path does one cache read and one signature check, whether or not a matching key is found
        signature_length = _get_signature_length(untrusted_token)
        decoy_key = self._get_decoy_key(untrusted_token, signature_length)
        endpoints = list(jwks_endpoints)
        if not endpoints:
            jwks.read_decoy()
            untrusted_token.verify(public_key=decoy_key)
        for jwks_endpoint in endpoints:
            try:
                public_key = jwks_endpoint.get_signing_key(untrusted_token)
            except JWKSError:
                public_key = decoy_key
            else:
                # A key that can't verify the token's alg or signature length would reject it before any signature math
                if not untrusted_token.has_supported_algorithm(public_key.allowed_algorithms) or _is_wrong_size(public_key, signature_length):
                    public_key = decoy_key
            token = untrusted_token.verify(public_key=public_key)
            if token:
                return token, jwks_endpoint
        return None

    def _get_decoy_key(self, untrusted_token: UntrustedToken, signature_length: int) -> keys.FacadePublicKey:
        decoys = _get_decoys(signature_length, untrusted_token)
        for decoy in decoys:
            if untrusted_token.has_supported_algorithm(decoy.key.allowed_algorithms):
                return decoy.key
        return decoys[0].key
