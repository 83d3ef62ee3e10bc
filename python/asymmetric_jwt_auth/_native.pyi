# Type stub of the pybind11 module asymmetric_jwt_auth._native (python/src/native.cpp) over libajwt's C ABI.
from collections.abc import Callable, Iterable
from typing import Literal
import enum

DEFAULT_TOLERANCE: int
DEFAULT_MAX_TOKEN_SIZE: int

def version() -> str: ...
def status_str(status: int) -> str: ...
def now() -> int: ...

class Status(enum.IntEnum):
    OK = 0
    INVALID_ARGUMENT = 1
    OUT_OF_MEMORY = 2
    INTERNAL = 3
    CALLBACK_FAILED = 4
    KEY_PARSE = 10
    KEY_UNSUPPORTED = 11
    KEY_TOO_SMALL = 12
    KEY_TOO_LARGE = 13
    PASSWORD_REQUIRED = 14
    WRONG_PASSWORD = 15
    ENCRYPTED_OPENSSH_KEY = 16
    NOT_PRIVATE_KEY = 17
    PRIVATE_KEY_GIVEN = 18
    JWKS_PARSE = 19
    JWKS_FETCH = 20
    TOKEN_TOO_LARGE = 30
    TOKEN_FORMAT = 31
    TOKEN_BASE64 = 32
    TOKEN_JSON = 33
    TOKEN_HEADER = 34
    TOKEN_CLAIMS = 35
    TOKEN_TIME = 36
    ALGORITHM_NOT_ALLOWED = 40
    BAD_SIGNATURE = 41
    TOKEN_EXPIRED = 42
    TOKEN_FROM_FUTURE = 43
    NONCE_REPLAYED = 44
    NONCE_STORE_FULL = 45
    NO_AUTH_HEADER = 50
    WRONG_AUTH_METHOD = 51
    UNKNOWN_USER = 52
    NO_MATCHING_KEY = 53
    TOKEN_EXP_PASSED = 60
    TOKEN_NOT_YET_VALID = 61
    TOKEN_IAT_FUTURE = 62
    TOKEN_AUDIENCE = 63
    TOKEN_REGISTERED_CLAIM = 64
    BINDING_METHOD = 80
    BINDING_TARGET = 81
    BINDING_BODY = 82
    BINDING_AUDIENCE = 83
    BINDING_REQUIRED = 84

class KeyType(enum.IntEnum):
    RSA = 1
    ED25519 = 2
    ED448 = 3
    EC_P256 = 4
    EC_P384 = 5
    EC_P521 = 6

class KeyFormat(enum.IntEnum):
    ANY = 0
    PEM = 1
    OPENSSH = 2
    JWK = 3

class ExportFormat(enum.IntEnum):
    PUBLIC_PEM = 1
    PUBLIC_OPENSSH = 2
    PUBLIC_JWK = 3
    PRIVATE_PKCS8 = 4

class Key:
    @staticmethod
    def load_public(text: bytes | str, format: KeyFormat = ...) -> Key: ...
    @staticmethod
    def load_private(text: bytes | str, password: bytes | None = None) -> Key: ...
    @staticmethod
    def generate(type: KeyType, rsa_bits: int = 0, rsa_exponent: int = 0) -> Key: ...
    def public_key(self) -> Key: ...
    @property
    def type(self) -> KeyType: ...
    @property
    def is_private(self) -> bool: ...
    @property
    def bits(self) -> int: ...
    @property
    def comment(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def algorithms(self) -> list[str]: ...
    def supports(self, alg: str) -> bool: ...
    def export(self, format: ExportFormat, password: bytes | None = None) -> bytes: ...
    def same_public_key(self, other: Key) -> bool: ...

class ParsedToken:
    @staticmethod
    def parse(text: bytes | str, max_size: int = 0) -> ParsedToken: ...
    @property
    def username(self) -> str: ...
    @property
    def nonce(self) -> str: ...
    @property
    def time(self) -> int: ...
    @property
    def exact_time(self) -> float: ...
    @property
    def alg(self) -> str | None: ...
    @property
    def kid(self) -> str | None: ...

class KeySet:
    def __init__(self) -> None: ...
    @staticmethod
    def parse_jwks(json: bytes | str) -> KeySet: ...
    def add(self, key: Key) -> None: ...
    def add_text(self, text: bytes | str, format: KeyFormat = ...) -> None: ...
    def add_jwks(self, json: bytes | str) -> None: ...
    def __len__(self) -> int: ...
    def get(self, index: int) -> Key: ...
    def find(self, kid: str) -> int | None: ...
    @property
    def skipped(self) -> list[str]: ...
    def to_jwks(self) -> str: ...

class Verifier:
    def __init__(
        self,
        tolerance: int = 20,
        nonce_callback: Callable[[str, int, str], bool] | None = None,
        algorithms: Iterable[str] | None = None,
        max_token_size: int = 0,
        compat: Literal["strict", "1.x"] = "strict",
        leeway: int = 0,
        binding: Literal["off", "when-present", "required"] = "off",
        audience: str | None = None,
    ) -> None: ...
    def parse(self, text: bytes | str) -> ParsedToken: ...
    def check_request_binding(
        self, token: ParsedToken, method: str | None, target: str | None, body_digest: bytes | None
    ) -> tuple[int, str]: ...
    def verify(self, token: ParsedToken, key: Key, now: int) -> tuple[int, str]: ...
    def verify_at(self, token: ParsedToken, key: Key, clock: float) -> tuple[int, str]: ...
    def parse_and_verify_at(self, text: bytes | str, key: Key, clock: float) -> tuple[int, str, ParsedToken | None]: ...
    def verify_keyset(self, token: ParsedToken, keys: KeySet, now: int) -> tuple[int, str, int | None]: ...

class MemoryNonceStore:
    def __init__(self, ttl_seconds: int = 0, max_entries: int = 0, max_entries_per_user: int = 0) -> None: ...
    def check_and_record(self, username: str, time: int, nonce: str, now: int) -> tuple[int, str]: ...
    def __len__(self) -> int: ...

def sign(key: Key, username: str, time: int, nonce: str, alg: str | None = None) -> str: ...
def sign_request(
    key: Key,
    username: str,
    time: int,
    nonce: str,
    alg: str | None = None,
    method: str | None = None,
    target: str | None = None,
    body_digest: bytes | None = None,
    audience: str | None = None,
) -> str: ...
def normalize_target(target: str) -> str: ...
def auth_header(method: str, token: str) -> str: ...
def nonce_key(username: str, time: int, nonce: str) -> str: ...
def nonce_ttl(tolerance: int) -> int: ...
