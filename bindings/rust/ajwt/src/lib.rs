//! Asymmetric-key JWT authentication for server-to-server HTTP requests: safe Rust bindings
//! to libajwt (the protocol of the Python package asymmetric-jwt-auth 1.x).
//!
//! A client signs a short token `{username, time, nonce}` with its private key and sends
//! `Authorization: JWT <token>`; the server looks the user up, verifies the signature with one
//! of the user's public keys, checks the time window and records the nonce, so each token is
//! accepted once. All of the protocol runs in libajwt (`ajwt-sys` links it through
//! pkg-config); this crate maps its C ABI onto Rust types:
//!
//! - [`Key`], [`KeySet`], [`Token`], [`NonceStore`], [`Verifier`], [`Authenticator`] own C
//!   handles and free them on drop. All are `Send + Sync`; setters take `&mut self`, so the
//!   "configure, then share" rule of the C ABI is enforced by the borrow checker.
//! - Every fallible call returns [`Result`] with an [`Error`] variant per libajwt status.
//! - Repositories and nonce stores written in Rust plug in through the [`Repository`] and
//!   [`NonceChecker`] traits. Their errors reach the caller as [`Error::CallbackFailed`] with
//!   the host error's text, and a panic inside one is resumed in the calling thread once the
//!   library has returned (it never unwinds through C).
//! - Async servers use [`AsyncAuthenticator`] (the two-phase ABI) with an async
//!   [`KeyRepository`] and [`AsyncNonceStore`]; the Cargo features `tower` (a tower layer for
//!   axum and hyper), `reqwest` (a request signer), `redis` (`RedisNonceStore`) and `jwks`
//!   (a reqwest fetcher for [`JwksCache`]) add the ecosystem adapters. Without features the
//!   crate depends on `ajwt-sys` only.
//!
//! ```
//! use ajwt::{Key, KeyType, NonceStore, Verifier};
//!
//! # fn main() -> ajwt::Result<()> {
//! // Client
//! let private = Key::generate(KeyType::Ed25519)?;
//! let header = private.sign_header("alice", ajwt::now())?; // "JWT eyJ..."
//!
//! // Server: one verifier, shared by all requests
//! let public = private.to_public()?;
//! let mut verifier = Verifier::new()?;
//! verifier.set_nonce_store(Some(&NonceStore::memory(0, 0)?))?;
//! let token = verifier.verify_token(&header["JWT ".len()..], &public, ajwt::now())?;
//! assert_eq!(token.username(), "alice");
//! # Ok(())
//! # }
//! ```

use std::ffi::{c_char, CStr};

pub use ajwt_sys as sys;

mod async_auth;
mod authenticator;
mod binding;
mod callback;
mod error;
mod jwks;
mod key;
mod keyset;
mod nonce;
mod pending;
mod token;
mod verifier;

#[cfg(feature = "redis")]
mod redis_store;
#[cfg(feature = "reqwest")]
pub mod reqwest;
#[cfg(feature = "tower")]
pub mod tower;

pub use async_auth::{AsyncAuthenticator, AsyncNonceStore, BoxFuture, KeyRepository, Refusal};
pub use authenticator::{Authenticated, Authenticator, Repository};
pub use binding::{body_digest, Binding, Request};
pub use error::{BoxError, Error, Result};
pub use jwks::{JwksAction, JwksCache};
#[cfg(feature = "jwks")]
pub use jwks::{JwksFetcher, ReqwestJwksFetcher};
pub use key::{Alg, ExportFormat, Key, KeyFormat, KeyRef, KeyType};
pub use keyset::{KeySet, KeySetRef};
pub use nonce::{NonceChecker, NonceStore};
pub use pending::{nonce_key, NonceOutcome, Pending};
#[cfg(feature = "redis")]
pub use redis_store::RedisNonceStore;
pub use token::{auth_header, new_nonce, Token};
pub use verifier::{Compat, Verifier};

/// The libajwt version this crate was compiled against (ajwt.h).
pub const HEADER_VERSION: &str = sys::AJWT_VERSION_STRING;

/// Default time tolerance in seconds.
pub const DEFAULT_TOLERANCE: i64 = sys::AJWT_DEFAULT_TOLERANCE;

/// Default maximum token size in bytes.
pub const DEFAULT_MAX_TOKEN_SIZE: usize = sys::AJWT_DEFAULT_MAX_TOKEN_SIZE;

/// Version string of the libajwt loaded at run time, e.g. "0.1.0".
pub fn version() -> &'static str {
    // SAFETY: static NUL-terminated text.
    unsafe { CStr::from_ptr(sys::ajwt_version()) }
        .to_str()
        .unwrap_or("")
}

/// The system clock in whole Unix seconds, as libajwt reads it.
pub fn now() -> i64 {
    // SAFETY: no arguments, no state.
    unsafe { sys::ajwt_now() }
}

// ---- helpers shared by the modules -------------------------------------------------------

/// A byte input as the (pointer, length) pair the C ABI takes. Rust never hands out a null
/// pointer for a slice, so empty inputs are (dangling, 0), which the library accepts.
pub(crate) fn raw(bytes: &[u8]) -> (*const c_char, usize) {
    (bytes.as_ptr().cast(), bytes.len())
}

/// Text the library allocated (`char **out, size_t *out_len`): copied, then ajwt_free'd.
pub(crate) fn take_text(
    call: impl FnOnce(*mut *mut c_char, *mut usize, *mut sys::ajwt_error) -> sys::ajwt_status,
) -> Result<String> {
    let mut out: *mut c_char = std::ptr::null_mut();
    let mut len = 0usize;
    error::check(|err| call(&mut out, &mut len, err))?;
    if out.is_null() {
        return Ok(String::new());
    }
    // SAFETY: on success out points to len bytes the caller now owns.
    let text = unsafe {
        let text =
            String::from_utf8_lossy(std::slice::from_raw_parts(out.cast::<u8>(), len)).into_owned();
        sys::ajwt_free(out.cast());
        text
    };
    Ok(text)
}

/// A (pointer, length) string the library owns, borrowed for the lifetime 'a.
///
/// # Safety
/// `ptr` must be NULL or point to `len` bytes valid for 'a.
pub(crate) unsafe fn borrowed_str<'a>(ptr: *const c_char, len: usize) -> Option<&'a str> {
    if ptr.is_null() {
        return None;
    }
    std::str::from_utf8(std::slice::from_raw_parts(ptr.cast::<u8>(), len)).ok()
}
