"""
Exceptions raised by the package. Each native failure carries libajwt's stable status code.

They derive from the built-in exceptions that asymmetric-jwt-auth 1.x raised in the same situations
(``ValueError`` for bad key text, ``TypeError`` for a missing password), so existing ``except`` clauses
keep working.
"""


try:
    # Custom key repositories written against 1.3.0 catch PyJWT's JWKS errors: with PyJWT installed, ours are those
    # too. PyJWT stays optional.
    from jwt.exceptions import PyJWKClientConnectionError as _PyJWKClientConnectionError
    from jwt.exceptions import PyJWKClientError as _PyJWKClientError
except ImportError:  # pragma: no cover - depends on the environment

    class _PyJWKClientError(Exception):  # type:ignore[no-redef]
        pass

    class _PyJWKClientConnectionError(_PyJWKClientError):  # type:ignore[no-redef]
        pass


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


class JWKSError(AJWTError, _PyJWKClientError):
    """A JSON Web Key Set could not be fetched or used. Also a ``jwt.PyJWKClientError`` when PyJWT is installed."""


class JWKSFetchError(JWKSError, _PyJWKClientConnectionError, OSError):
    """
    Downloading a JWKS failed: refused URL or address, network error, timeout, oversized, non-200 or non-JSON
    response. Also a ``jwt.PyJWKClientConnectionError`` when PyJWT is installed.
    """


class SigningKeyNotFound(JWKSError, LookupError):
    """No trusted key of a JWKS endpoint has the token's key ID."""


_KEY_STATUSES = {10, 19}
_UNSUPPORTED_KEY_STATUSES = {11, 12, 13, 16}
# 30..49: structure and verification; 60..69: registered claims (exp, nbf, iat, aud, sub/jti types)
_TOKEN_STATUSES = set(range(30, 50)) | set(range(60, 70)) | set(range(80, 90))


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
