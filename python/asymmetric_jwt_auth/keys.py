"""
Public and private keys: RSA, Ed25519 (as in asymmetric-jwt-auth 1.x), and EC (P-256/384/521) and Ed448.

Every class wraps a key parsed by libajwt (``asymmetric_jwt_auth._native.Key``). Loading, generating,
exporting, fingerprints and JWKs are native; ``cryptography`` is only needed to convert its own key
objects (``from_cryptography_pubkey`` / ``from_cryptography_privkey`` / ``to_cryptography``).
"""

from typing import Any, ClassVar, Generic, TypeVar, Union
import json
import os

from . import _native
from ._native import ExportFormat, KeyFormat, KeyType

FacadePrivateKey = Union["RSAPrivateKey", "Ed25519PrivateKey", "ECPrivateKey", "Ed448PrivateKey"]
FacadePublicKey = Union["RSAPublicKey", "Ed25519PublicKey", "ECPublicKey", "Ed448PublicKey"]

#: Type parameters of the key classes (upstream bound them to ``cryptography`` key types).
PrivateKeyType = TypeVar("PrivateKeyType")
PublicKeyType = TypeVar("PublicKeyType")

#: JWT signing algorithms accepted for RSA keys, most preferred first
RSA_ALGORITHMS = ("RS512", "RS384", "RS256")
#: JWT signing algorithms accepted for Ed25519 keys
ED25519_ALGORITHMS = ("EdDSA",)
#: JWT signing algorithms accepted for Ed448 keys
ED448_ALGORITHMS = ("EdDSA",)
#: JWT signing algorithm of each supported EC curve
EC_ALGORITHMS = {"P-256": ("ES256",), "P-384": ("ES384",), "P-521": ("ES512",)}
#: Every JWT signing algorithm that some supported key type can verify
SUPPORTED_ALGORITHMS = frozenset(RSA_ALGORITHMS + ED25519_ALGORITHMS + ("ES256", "ES384", "ES512"))

_EC_CURVES = {KeyType.EC_P256: "P-256", KeyType.EC_P384: "P-384", KeyType.EC_P521: "P-521"}
_EC_TYPES = {curve: key_type for key_type, curve in _EC_CURVES.items()}
_PEM_MARKER = b"-----BEGIN"


def _as_bytes(value: bytes | str) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"expected bytes or str, not {type(value).__name__}")


def _password_bytes(password: bytes | str | None) -> bytes | None:
    return None if password is None else _as_bytes(password)


def _public_facade(native: _native.Key) -> "FacadePublicKey":
    """The facade class for a native public key (a private key gives its public half)."""
    if native.is_private:
        native = native.public_key()
    cls = _PUBLIC_CLASSES.get(native.type)
    if cls is None:  # pragma: no cover - the library only returns the types above
        raise TypeError(f"Unknown key type: {native.type}")
    return cls(native)


def _private_facade(native: _native.Key) -> "FacadePrivateKey":
    cls = _PRIVATE_CLASSES.get(native.type)
    if cls is None:  # pragma: no cover
        raise TypeError(f"Unknown key type: {native.type}")
    return cls(native)


def _cryptography_public_pem(pubkey: Any) -> bytes | None:
    """SPKI PEM of a ``cryptography`` public key object, or None for anything else."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    except ImportError:
        return None
    if not isinstance(pubkey, rsa.RSAPublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey | ec.EllipticCurvePublicKey):
        return None
    return pubkey.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _cryptography_private_pem(privkey: Any) -> bytes | None:
    """Unencrypted PKCS#8 PEM of a ``cryptography`` private key object, or None for anything else."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    except ImportError:
        return None
    if not isinstance(privkey, rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey | ec.EllipticCurvePrivateKey):
        return None
    return privkey.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


class PublicKey(Generic[PublicKeyType]):
    """Represents a public key"""

    #: The native key this object wraps.
    _key: _native.Key
    #: Native key types a subclass accepts (empty for the base class).
    _native_types: ClassVar[tuple[KeyType, ...]] = ()

    def __init__(self, key: Any):
        if isinstance(key, PublicKey):
            key = key._key
        if not isinstance(key, _native.Key):
            pem = _cryptography_public_pem(key)
            if pem is None:
                raise TypeError(f"Unknown key type: {key!r}")
            key = _native.Key.load_public(pem, KeyFormat.PEM)
        if key.is_private:
            key = key.public_key()
        if self._native_types and key.type not in self._native_types:
            raise TypeError(f"{type(self).__name__} cannot hold a {key.type.name} key")
        self._key = key

    @staticmethod
    def from_cryptography_pubkey(pubkey: Any) -> FacadePublicKey:
        """
        Wrap a ``cryptography`` public key object. Raises ``TypeError`` for anything else (and for
        everything when ``cryptography`` is not installed).
        """
        pem = _cryptography_public_pem(pubkey)
        if pem is None:
            raise TypeError(f"Unknown key type: {pubkey}")
        return _public_facade(_native.Key.load_public(pem, KeyFormat.PEM))

    @classmethod
    def load_pem(cls, pem: bytes) -> FacadePublicKey:
        """
        Load a PEM-format public key (SubjectPublicKeyInfo, or PKCS#1 for RSA)
        """
        return _public_facade(_native.Key.load_public(_as_bytes(pem), KeyFormat.PEM))

    @classmethod
    def load_openssh(cls, key: bytes) -> FacadePublicKey:
        """
        Load a openssh-format public key
        """
        return _public_facade(_native.Key.load_public(_as_bytes(key), KeyFormat.OPENSSH))

    @classmethod
    def load_jwk(cls, jwk: bytes | str | dict[str, Any]) -> FacadePublicKey:
        """
        Load a public key from a JSON Web Key (text or dict). Private members are refused.
        """
        text = json.dumps(jwk) if isinstance(jwk, dict) else jwk
        return _public_facade(_native.Key.load_public(_as_bytes(text), KeyFormat.JWK))

    @classmethod
    def load_serialized_public_key(cls, key: bytes) -> tuple[Exception | None, FacadePublicKey | None]:
        """
        Load a PEM or openssh format public key
        """
        try:
            data = _as_bytes(key)
        except TypeError as e:
            return e, None
        # Text with a PEM marker is tried as PEM first, anything else as OpenSSH first, so that the
        # error reported is the one for the format the text looks like.
        loaders = (cls.load_pem, cls.load_openssh) if _PEM_MARKER in data else (cls.load_openssh, cls.load_pem)
        first_exc: Exception | None = None
        for loader in loaders:
            try:
                return None, loader(data)
            except Exception as e:  # noqa: BLE001
                first_exc = first_exc or e
        return first_exc, None

    @property
    def as_pem(self) -> bytes:
        """
        Get the public key as a PEM-formatted byte string
        """
        return self._key.export(ExportFormat.PUBLIC_PEM)

    @property
    def as_openssh(self) -> str:
        """
        The public key as one OpenSSH ``authorized_keys`` line (without a comment)
        """
        return self._key.export(ExportFormat.PUBLIC_OPENSSH).decode()

    @property
    def as_jwk(self) -> dict[str, str]:
        """
        Return the public key in JWK format
        """
        jwk: dict[str, str] = json.loads(self._key.export(ExportFormat.PUBLIC_JWK))
        return jwk

    @property
    def fingerprint(self) -> str:
        """
        Get a sha256 fingerprint of the key.
        """
        return self._key.fingerprint

    @property
    def allowed_algorithms(self) -> list[str]:
        """
        Return a list of allowed JWT algorithms for this key, in order of most to least preferred.
        """
        return list(self._key.algorithms)

    @property
    def key_size(self) -> int:
        """
        Size of the key in bits (RSA modulus, curve size)
        """
        return self._key.bits

    @property
    def comment(self) -> str:
        """
        Comment of an OpenSSH public key (its third field); "" for other formats
        """
        return self._key.comment

    def to_cryptography(self) -> Any:
        """
        The same key as a ``cryptography`` public key object (needs ``cryptography``).
        """
        from cryptography.hazmat.primitives import serialization

        return serialization.load_pem_public_key(self.as_pem)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self._key.same_public_key(other._key)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.fingerprint}>"

    # Keys are immutable, so copies (e.g. of settings holding keys) can share them.
    def __copy__(self) -> "PublicKey[PublicKeyType]":
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> "PublicKey[PublicKeyType]":
        return self


class RSAPublicKey(PublicKey[_native.Key]):
    """Represents an RSA public key"""

    _native_types = (KeyType.RSA,)

    def __init__(self, key: Any):
        super().__init__(key)


class Ed25519PublicKey(PublicKey[_native.Key]):
    """Represents an Ed25519 public key"""

    _native_types = (KeyType.ED25519,)

    def __init__(self, key: Any):
        super().__init__(key)


class Ed448PublicKey(PublicKey[_native.Key]):
    """Represents an Ed448 public key"""

    _native_types = (KeyType.ED448,)

    def __init__(self, key: Any):
        super().__init__(key)


class ECPublicKey(PublicKey[_native.Key]):
    """Represents an elliptic-curve (P-256, P-384 or P-521) public key"""

    _native_types = tuple(_EC_CURVES)

    def __init__(self, key: Any):
        super().__init__(key)

    @property
    def curve(self) -> str:
        """
        JOSE name of the curve: "P-256", "P-384" or "P-521"
        """
        return _EC_CURVES[self._key.type]


class PrivateKey(Generic[PrivateKeyType]):
    """Represents a private key"""

    _key: _native.Key
    _native_types: ClassVar[tuple[KeyType, ...]] = ()
    pubkey_cls: ClassVar[type[PublicKey[Any]]]

    def __init__(self, key: Any):
        if isinstance(key, PrivateKey):
            key = key._key
        if not isinstance(key, _native.Key):
            pem = _cryptography_private_pem(key)
            if pem is None:
                raise TypeError("Unknown key type")
            key = _native.Key.load_private(pem)
        if not key.is_private:
            raise TypeError(f"{type(self).__name__} needs a private key")
        if self._native_types and key.type not in self._native_types:
            raise TypeError(f"{type(self).__name__} cannot hold a {key.type.name} key")
        self._key = key

    @staticmethod
    def from_cryptography_privkey(privkey: Any) -> FacadePrivateKey:
        """
        Wrap a ``cryptography`` private key object. Raises ``TypeError`` for anything else (and for
        everything when ``cryptography`` is not installed).
        """
        pem = _cryptography_private_pem(privkey)
        if pem is None:
            raise TypeError("Unknown key type")
        return _private_facade(_native.Key.load_private(pem))

    @classmethod
    def load_pem_from_file(
        cls,
        filepath: "os.PathLike[Any] | str",
        password: bytes | None = None,
    ) -> FacadePrivateKey:
        """
        Load a PEM-format private key from disk (``~`` is expanded).
        """
        with open(os.path.expanduser(filepath), "rb") as fh:
            key_bytes = fh.read()
        return cls.load_pem(key_bytes, password=password)

    @classmethod
    def load_pem(cls, pem: bytes, password: bytes | None = None) -> FacadePrivateKey:
        """
        Load a private key: PKCS#8 PEM (optionally encrypted), traditional PEM (optionally encrypted)
        or an ``OPENSSH PRIVATE KEY`` as ``ssh-keygen`` writes it (its passphrase, if any, as the password).
        """
        return _private_facade(_native.Key.load_private(_as_bytes(pem), _password_bytes(password)))

    @property
    def as_pem(self) -> bytes:
        """
        The private key as unencrypted PKCS#8 PEM
        """
        return self._key.export(ExportFormat.PRIVATE_PKCS8)

    def as_encrypted_pem(self, password: bytes | str) -> bytes:
        """
        The private key as encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2)
        """
        return self._key.export(ExportFormat.PRIVATE_PKCS8, _as_bytes(password))

    @property
    def public_key(self) -> FacadePublicKey:
        return _public_facade(self._key.public_key())

    @property
    def key_size(self) -> int:
        return self._key.bits

    def to_cryptography(self) -> Any:
        """
        The same key as a ``cryptography`` private key object (needs ``cryptography``).
        """
        from cryptography.hazmat.primitives import serialization

        return serialization.load_pem_private_key(self.as_pem, password=None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._key.fingerprint}>"

    def __copy__(self) -> "PrivateKey[PrivateKeyType]":
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> "PrivateKey[PrivateKeyType]":
        return self


class RSAPrivateKey(PrivateKey[_native.Key]):
    """Represents an RSA private key"""

    _native_types = (KeyType.RSA,)
    pubkey_cls = RSAPublicKey

    @classmethod
    def generate(cls, size: int = 2048, public_exponent: int = 65537) -> "RSAPrivateKey":
        """
        Generate an RSA private key (2048 to 8192 bits).
        """
        return cls(_native.Key.generate(KeyType.RSA, size, public_exponent))

    def __init__(self, key: Any):
        super().__init__(key)


class Ed25519PrivateKey(PrivateKey[_native.Key]):
    """Represents an Ed25519 private key"""

    _native_types = (KeyType.ED25519,)
    pubkey_cls = Ed25519PublicKey

    @classmethod
    def generate(cls) -> "Ed25519PrivateKey":
        """
        Generate an Ed25519 private key.
        """
        return cls(_native.Key.generate(KeyType.ED25519))

    def __init__(self, key: Any):
        super().__init__(key)


class Ed448PrivateKey(PrivateKey[_native.Key]):
    """Represents an Ed448 private key"""

    _native_types = (KeyType.ED448,)
    pubkey_cls = Ed448PublicKey

    @classmethod
    def generate(cls) -> "Ed448PrivateKey":
        """
        Generate an Ed448 private key.
        """
        return cls(_native.Key.generate(KeyType.ED448))

    def __init__(self, key: Any):
        super().__init__(key)


class ECPrivateKey(PrivateKey[_native.Key]):
    """Represents an elliptic-curve (P-256, P-384 or P-521) private key"""

    _native_types = tuple(_EC_CURVES)
    pubkey_cls = ECPublicKey

    @classmethod
    def generate(cls, curve: str = "P-256") -> "ECPrivateKey":
        """
        Generate an EC private key on the curve "P-256", "P-384" or "P-521".
        """
        if curve not in _EC_TYPES:
            raise ValueError(f"Unsupported curve {curve!r}: use one of {', '.join(_EC_TYPES)}")
        return cls(_native.Key.generate(_EC_TYPES[curve]))

    def __init__(self, key: Any):
        super().__init__(key)

    @property
    def curve(self) -> str:
        return _EC_CURVES[self._key.type]


_PUBLIC_CLASSES: dict[KeyType, type[Any]] = {
    KeyType.RSA: RSAPublicKey,
    KeyType.ED25519: Ed25519PublicKey,
    KeyType.ED448: Ed448PublicKey,
    **{key_type: ECPublicKey for key_type in _EC_CURVES},
}
_PRIVATE_CLASSES: dict[KeyType, type[Any]] = {
    KeyType.RSA: RSAPrivateKey,
    KeyType.ED25519: Ed25519PrivateKey,
    KeyType.ED448: Ed448PrivateKey,
    **{key_type: ECPrivateKey for key_type in _EC_CURVES},
}
