//! Parsed tokens, the Authorization header, nonces.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::ptr::NonNull;
use std::sync::OnceLock;

use crate::error::{check, Error, Result};
use crate::key::Alg;
use crate::{borrowed_str, raw, sys, take_text};

/// A parsed, not yet trusted token: header and claims decoded once, for the claimed username
/// and for verification. Immutable; freed on drop.
pub struct Token {
    ptr: NonNull<sys::ajwt_token>,
}

// SAFETY: ajwt_token is immutable once created (ajwt.h).
unsafe impl Send for Token {}
unsafe impl Sync for Token {}

impl Drop for Token {
    fn drop(&mut self) {
        // SAFETY: we own the handle.
        unsafe { sys::ajwt_token_free(self.ptr.as_ptr()) }
    }
}

impl Token {
    /// # Safety
    /// `ptr` must be a live token handle nobody else frees.
    pub(crate) unsafe fn from_raw(ptr: *mut sys::ajwt_token) -> Result<Token> {
        NonNull::new(ptr)
            .map(|ptr| Token { ptr })
            .ok_or_else(|| Error::Internal("the library returned no token".into()))
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ajwt_token {
        self.ptr.as_ptr()
    }

    /// Decodes a compact token with the default size cap. Checks structure and claim types,
    /// not the signature or the time: the claims are claims until a [`Verifier`](crate::Verifier)
    /// has verified them.
    pub fn parse(token: impl AsRef<[u8]>) -> Result<Token> {
        let (ptr, len) = raw(token.as_ref());
        let mut out = std::ptr::null_mut();
        // SAFETY: valid input range and out pointers.
        check(|err| unsafe { sys::ajwt_token_parse(ptr, len, 0, &mut out, err) })?;
        unsafe { Token::from_raw(out) }
    }

    fn text(
        &self,
        accessor: unsafe extern "C" fn(
            *const sys::ajwt_token,
            *mut usize,
        ) -> *const std::ffi::c_char,
    ) -> Option<&str> {
        let mut len = 0;
        // SAFETY: claim strings live as long as the token; libajwt only accepts UTF-8 JSON.
        unsafe { borrowed_str(accessor(self.as_ptr(), &mut len), len) }
    }

    /// The username claim (claimed, until verified).
    pub fn username(&self) -> &str {
        self.text(sys::ajwt_token_username).unwrap_or("")
    }

    /// The nonce claim.
    pub fn nonce(&self) -> &str {
        self.text(sys::ajwt_token_nonce).unwrap_or("")
    }

    /// The time claim, Unix seconds.
    pub fn time(&self) -> i64 {
        // SAFETY: live handle.
        unsafe { sys::ajwt_token_time(self.as_ptr()) }
    }

    /// The time claim as sent, fraction included (only [`crate::Compat::V1x`] accepts one).
    pub fn exact_time(&self) -> f64 {
        // SAFETY: live handle.
        unsafe { sys::ajwt_token_time_exact(self.as_ptr()) }
    }

    /// The header's algorithm (None for one libajwt does not know).
    pub fn alg(&self) -> Option<Alg> {
        // SAFETY: live handle.
        Alg::from_raw(unsafe { sys::ajwt_token_alg(self.as_ptr()) })
    }

    /// The header's key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.text(sys::ajwt_token_kid)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("username", &self.username())
            .field("time", &self.time())
            .field("nonce", &self.nonce())
            .field("alg", &self.alg())
            .field("kid", &self.kid())
            .finish()
    }
}

/// The Authorization header value "<method> <token>"; method None = "JWT".
pub fn auth_header(method: Option<&str>, token: &str) -> Result<String> {
    let (m, m_len) = method.map_or((std::ptr::null(), 0), |m| raw(m.as_bytes()));
    let (t, t_len) = raw(token.as_bytes());
    // SAFETY: valid ranges (NULL method = default) and out pointers.
    take_text(|out, len, err| unsafe { sys::ajwt_auth_header(m, m_len, t, t_len, out, len, err) })
}

/// A random nonce in the format asymmetric-jwt-auth 1.x uses: 8 random bytes, base64url
/// without padding (11 characters).
pub fn new_nonce() -> Result<String> {
    static URANDOM: OnceLock<std::io::Result<File>> = OnceLock::new();
    let mut bytes = [0u8; 8];
    let file = URANDOM.get_or_init(|| File::open("/dev/urandom"));
    file.as_ref()
        .map_err(|e| e.to_string())
        .and_then(|mut f| f.read_exact(&mut bytes).map_err(|e| e.to_string()))
        .map_err(|e| Error::Internal(format!("no randomness for a nonce: {e}")))?;
    Ok(base64url(&bytes))
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_matches_rfc4648() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(base64url(&[0u8; 8]).len(), 11);
    }
}
