"""
Exceptions raised by the package. Each native failure carries libajwt's stable status code.

They derive from the built-in exceptions that asymmetric-jwt-auth 1.x raised in the same situations
(``ValueError`` for bad key text, ``TypeError`` for a missing password), so existing ``except`` clauses
keep working.
"""


class AJWTError(Exception):
    """A failure reported by libajwt. ``status`` is its ``ajwt_status`` code (0 when not native)."""

    status: int
    message: str

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class InvalidArgumentError(AJWTError, ValueError):
    """An argument libajwt cannot use (e.g. an RSA size outside 2048..8192 bits)."""


class KeyLoadError(AJWTError, ValueError):
    """The text is not a usable key."""


class UnsupportedKeyError(KeyLoadError):
    """A key of a type, curve or size that libajwt does not use."""


class PasswordRequiredError(KeyLoadError, TypeError):
    """An encrypted private key was given without a password."""


class WrongPasswordError(KeyLoadError):
    """The password does not decrypt the private key."""


class TokenError(AJWTError, ValueError):
    """A token could not be made or parsed."""


class JWKSError(AJWTError):
    """A JSON Web Key Set could not be fetched or used."""


class JWKSFetchError(JWKSError, OSError):
    """Downloading a JWKS failed: refused URL, network error, timeout, oversized or non-200 response."""


class SigningKeyNotFound(JWKSError, LookupError):
    """No trusted key of a JWKS endpoint has the token's key ID."""


_KEY_STATUSES = {10, 19}
_UNSUPPORTED_KEY_STATUSES = {11, 12, 13, 16}
# 30..49: structure and verification; 60..69: registered claims (exp, nbf, iat, aud, sub/jti types)
_TOKEN_STATUSES = set(range(30, 50)) | set(range(60, 70))


def exception_class_for_status(status: int) -> type[AJWTError]:
    """The exception class for a libajwt status code (used by the native module)."""
    if status == 1:
        return InvalidArgumentError
    if status == 14:
        return PasswordRequiredError
    if status == 15:
        return WrongPasswordError
    if status in _UNSUPPORTED_KEY_STATUSES:
        return UnsupportedKeyError
    if status in _KEY_STATUSES or status in (17, 18):
        return KeyLoadError
    if status in _TOKEN_STATUSES:
        return TokenError
    return AJWTError
