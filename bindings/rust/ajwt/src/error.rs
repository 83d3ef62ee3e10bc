//! Errors: one enum variant per libajwt status, each with the library's message.

use std::ffi::CStr;
use std::fmt;

use ajwt_sys as sys;

/// An error a host callback (repository, nonce checker) may return. An [`Error`] inside it is
/// passed to the library as its status (so a repository can answer `Error::UnknownUser`);
/// anything else becomes [`Error::CallbackFailed`], with its text in the message.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

macro_rules! errors {
    ($($(#[$doc:meta])* $variant:ident = $status:ident,)*) => {
        /// A failed libajwt call: the status (as the variant) and the library's message.
        ///
        /// Every variant but `CallbackFailed`, `Internal`, `OutOfMemory`, `InvalidArgument` and
        /// `NonceStoreFull` means the request is not authenticated (see
        /// [`Error::is_client_error`]).
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Error {
            $($(#[$doc])* $variant(String),)*
            /// A status this version of the crate does not know (a newer libajwt).
            Other {
                /// The raw ajwt_status value.
                status: u32,
                /// The library's message.
                message: String,
            },
        }

        impl Error {
            /// Builds the error for a status and message.
            pub fn from_status(status: u32, message: impl Into<String>) -> Error {
                let message = message.into();
                match status {
                    $(sys::$status => Error::$variant(message),)*
                    _ => Error::Other { status, message },
                }
            }

            /// The numeric status (ajwt_status) of ajwt.h.
            pub fn status(&self) -> u32 {
                match self {
                    $(Error::$variant(_) => sys::$status,)*
                    Error::Other { status, .. } => *status,
                }
            }

            /// The library's message (detail beyond the status text, where it has any).
            pub fn message(&self) -> &str {
                match self {
                    $(Error::$variant(message) => message,)*
                    Error::Other { message, .. } => message,
                }
            }
        }
    };
}

errors! {
    /// NULL where a value is required, a bad enum value, an out-of-range setting.
    InvalidArgument = AJWT_ERR_INVALID_ARGUMENT,
    OutOfMemory = AJWT_ERR_OUT_OF_MEMORY,
    /// An OpenSSL or library failure that is not the input's fault.
    Internal = AJWT_ERR_INTERNAL,
    /// A host callback failed (or panicked; the panic is resumed after the call).
    CallbackFailed = AJWT_ERR_CALLBACK_FAILED,
    KeyParse = AJWT_ERR_KEY_PARSE,
    KeyUnsupported = AJWT_ERR_KEY_UNSUPPORTED,
    KeyTooSmall = AJWT_ERR_KEY_TOO_SMALL,
    KeyTooLarge = AJWT_ERR_KEY_TOO_LARGE,
    PasswordRequired = AJWT_ERR_PASSWORD_REQUIRED,
    WrongPassword = AJWT_ERR_WRONG_PASSWORD,
    /// An OPENSSH PRIVATE KEY encrypted with a cipher or KDF libajwt does not read: re-encrypt
    /// it with `ssh-keygen -p -Z aes256-ctr`.
    EncryptedOpensshKey = AJWT_ERR_ENCRYPTED_OPENSSH_KEY,
    NotPrivateKey = AJWT_ERR_NOT_PRIVATE_KEY,
    PrivateKeyGiven = AJWT_ERR_PRIVATE_KEY_GIVEN,
    JwksParse = AJWT_ERR_JWKS_PARSE,
    JwksFetch = AJWT_ERR_JWKS_FETCH,
    TokenTooLarge = AJWT_ERR_TOKEN_TOO_LARGE,
    TokenFormat = AJWT_ERR_TOKEN_FORMAT,
    TokenBase64 = AJWT_ERR_TOKEN_BASE64,
    TokenJson = AJWT_ERR_TOKEN_JSON,
    TokenHeader = AJWT_ERR_TOKEN_HEADER,
    TokenClaims = AJWT_ERR_TOKEN_CLAIMS,
    TokenTime = AJWT_ERR_TOKEN_TIME,
    AlgorithmNotAllowed = AJWT_ERR_ALGORITHM_NOT_ALLOWED,
    BadSignature = AJWT_ERR_BAD_SIGNATURE,
    TokenExpired = AJWT_ERR_TOKEN_EXPIRED,
    TokenFromFuture = AJWT_ERR_TOKEN_FROM_FUTURE,
    NonceReplayed = AJWT_ERR_NONCE_REPLAYED,
    NonceStoreFull = AJWT_ERR_NONCE_STORE_FULL,
    NoAuthHeader = AJWT_ERR_NO_AUTH_HEADER,
    WrongAuthMethod = AJWT_ERR_WRONG_AUTH_METHOD,
    UnknownUser = AJWT_ERR_UNKNOWN_USER,
    NoMatchingKey = AJWT_ERR_NO_MATCHING_KEY,
    /// `exp` <= now - leeway.
    TokenExpPassed = AJWT_ERR_TOKEN_EXP_PASSED,
    /// `nbf` > now + leeway.
    TokenNotYetValid = AJWT_ERR_TOKEN_NOT_YET_VALID,
    /// `iat` > now + leeway.
    TokenIatFuture = AJWT_ERR_TOKEN_IAT_FUTURE,
    /// `aud` present and not empty (no audience is configured).
    TokenAudience = AJWT_ERR_TOKEN_AUDIENCE,
    /// exp/nbf/iat not a number, or sub/jti not a string.
    TokenRegisteredClaim = AJWT_ERR_TOKEN_REGISTERED_CLAIM,
    /// The token is bound to another HTTP method.
    BindingMethod = AJWT_ERR_BINDING_METHOD,
    /// The token is bound to another request target (path and query).
    BindingTarget = AJWT_ERR_BINDING_TARGET,
    /// The token is bound to another body, or the body's digest was not supplied.
    BindingBody = AJWT_ERR_BINDING_BODY,
    /// The token names another audience, or none is configured.
    BindingAudience = AJWT_ERR_BINDING_AUDIENCE,
    /// The policy requires a binding the token lacks.
    BindingRequired = AJWT_ERR_BINDING_REQUIRED,
}

impl Error {
    /// The library's static text for the status ("bad signature").
    pub fn status_text(&self) -> &'static str {
        status_text(self.status())
    }

    /// True when the error means "this request is not authenticated" (answer 401), false
    /// when it is the server's own failure (answer 500).
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            Error::CallbackFailed(_)
                | Error::Internal(_)
                | Error::OutOfMemory(_)
                | Error::InvalidArgument(_)
                | Error::NonceStoreFull(_)
                | Error::Other { .. }
        )
    }

    /// The error of a failed call from its status and error struct.
    pub(crate) fn from_raw(status: sys::ajwt_status, err: &sys::ajwt_error) -> Error {
        // SAFETY: the library NUL-terminates message; a zeroed struct is an empty string.
        let bytes: &[u8] =
            unsafe { std::slice::from_raw_parts(err.message.as_ptr().cast(), err.message.len()) };
        let message = CStr::from_bytes_until_nul(bytes)
            .map(|m| m.to_string_lossy().into_owned())
            .unwrap_or_default();
        Error::from_status(status, message)
    }
}

/// Static text of a status (ajwt_status_str).
pub(crate) fn status_text(status: u32) -> &'static str {
    // SAFETY: ajwt_status_str returns static NUL-terminated text for any value.
    unsafe { CStr::from_ptr(sys::ajwt_status_str(status)) }
        .to_str()
        .unwrap_or("unknown status")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.status_text();
        let message = self.message();
        if message.is_empty() || message == text {
            f.write_str(text)
        } else {
            write!(f, "{text}: {message}")
        }
    }
}

impl std::error::Error for Error {}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Runs a fallible C call with a fresh error struct and turns its status into a Result.
pub(crate) fn check(call: impl FnOnce(*mut sys::ajwt_error) -> sys::ajwt_status) -> Result<()> {
    let mut err = sys::ajwt_error::new();
    let status = call(&mut err);
    if status == sys::AJWT_OK {
        Ok(())
    } else {
        Err(Error::from_raw(status, &err))
    }
}
