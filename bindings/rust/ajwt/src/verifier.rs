//! The verifier: policy, parse, verify with a key or a key set.

use std::fmt;
use std::ptr::NonNull;

use crate::callback::calling_back;
use crate::error::{check, Error, Result};
use crate::key::{Alg, KeyRef};
use crate::keyset::KeySetRef;
use crate::nonce::NonceStore;
use crate::token::Token;
use crate::{raw, sys};

/// Token policy (ajwt_compat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compat {
    /// Only what libajwt signs (the default).
    Strict,
    /// Also what asymmetric-jwt-auth 1.x accepts.
    V1x,
}

/// The verification policy: time tolerance, algorithms, token size cap, nonce store.
/// Configure it (setters take `&mut self`), then share it: verification takes `&self` and is
/// safe from many threads.
pub struct Verifier {
    ptr: NonNull<sys::ajwt_verifier>,
    // The policy set with set_binding, remembered so that hosts know whether to read the body.
    pub(crate) binding: crate::Binding,
}

// SAFETY: a configured verifier is safe to share (ajwt.h); configuring needs &mut.
unsafe impl Send for Verifier {}
unsafe impl Sync for Verifier {}

impl Drop for Verifier {
    fn drop(&mut self) {
        // SAFETY: we own the handle. Dropping may release a Rust nonce checker, whose drop
        // trampoline never unwinds.
        unsafe { sys::ajwt_verifier_free(self.ptr.as_ptr()) }
    }
}

impl Verifier {
    /// A verifier with the defaults: tolerance 20 s, every key's default algorithms (no PS*),
    /// 8192-byte tokens, no nonce store.
    pub fn new() -> Result<Verifier> {
        let mut out = std::ptr::null_mut();
        // SAFETY: valid out pointers.
        check(|err| unsafe { sys::ajwt_verifier_new(&mut out, err) })?;
        NonNull::new(out)
            .map(|ptr| Verifier {
                ptr,
                binding: crate::Binding::Off,
            })
            .ok_or_else(|| Error::Internal("the library returned no verifier".into()))
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ajwt_verifier {
        self.ptr.as_ptr()
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::ajwt_verifier {
        self.ptr.as_ptr()
    }

    /// `|time - now| <= seconds` passes (0..86400).
    pub fn set_tolerance(&mut self, seconds: i64) -> Result<()> {
        // SAFETY: exclusive access to a live handle.
        check(|err| unsafe { sys::ajwt_verifier_set_tolerance(self.ptr.as_ptr(), seconds, err) })
    }

    /// Tolerance for the registered claims exp, nbf and iat (0..86400; default 0).
    pub fn set_leeway(&mut self, seconds: i64) -> Result<()> {
        // SAFETY: exclusive access to a live handle.
        check(|err| unsafe { sys::ajwt_verifier_set_leeway(self.ptr.as_ptr(), seconds, err) })
    }

    /// The token policy: [`Compat::Strict`] (default) or [`Compat::V1x`] (what
    /// asymmetric-jwt-auth 1.x accepts: any typ, a fractional time, a non-zero integer nonce).
    pub fn set_compat(&mut self, compat: Compat) -> Result<()> {
        let raw = match compat {
            Compat::Strict => sys::AJWT_COMPAT_STRICT,
            Compat::V1x => sys::AJWT_COMPAT_1X,
        };
        // SAFETY: exclusive access to a live handle.
        check(|err| unsafe { sys::ajwt_verifier_set_compat(self.ptr.as_ptr(), raw, err) })
    }

    /// Replaces the accepted algorithms (non-empty). A token passes only when its alg is
    /// listed and usable with the verifying key.
    pub fn set_algorithms(&mut self, algs: &[Alg]) -> Result<()> {
        let raw: Vec<sys::ajwt_alg> = algs.iter().map(|a| a.raw()).collect();
        // SAFETY: exclusive access; raw outlives the call.
        check(|err| unsafe {
            sys::ajwt_verifier_set_algorithms(self.ptr.as_ptr(), raw.as_ptr(), raw.len(), err)
        })
    }

    /// The token size cap in bytes (64..1,048,576).
    pub fn set_max_token_size(&mut self, max_size: usize) -> Result<()> {
        // SAFETY: exclusive access to a live handle.
        check(|err| unsafe {
            sys::ajwt_verifier_set_max_token_size(self.ptr.as_ptr(), max_size, err)
        })
    }

    /// Checks and records each token's nonce in `store` (None removes the store). The
    /// verifier keeps its own reference to the store.
    pub fn set_nonce_store(&mut self, store: Option<&NonceStore>) -> Result<()> {
        let store = store.map_or(std::ptr::null_mut(), NonceStore::as_ptr);
        // SAFETY: exclusive access; the library takes its own reference.
        check(|err| unsafe { sys::ajwt_verifier_set_nonce_store(self.ptr.as_ptr(), store, err) })
    }

    /// Parses a token with this verifier's size cap.
    pub fn parse(&self, token: impl AsRef<[u8]>) -> Result<Token> {
        let (ptr, len) = raw(token.as_ref());
        let mut out = std::ptr::null_mut();
        // SAFETY: live handle, valid range and out pointers.
        check(|err| unsafe { sys::ajwt_verifier_parse(self.as_ptr(), ptr, len, &mut out, err) })?;
        unsafe { Token::from_raw(out) }
    }

    /// Checks the signature with `key`, then the time window against `now` (Unix seconds),
    /// then records the nonce when the verifier has a store.
    pub fn verify(&self, token: &Token, key: &KeyRef, now: i64) -> Result<()> {
        // SAFETY: live handles; verification is safe concurrently.
        calling_back(|| {
            check(|err| unsafe {
                sys::ajwt_verify(self.as_ptr(), token.as_ptr(), key.as_ptr(), now, err)
            })
        })
    }

    /// As [`verify`](Self::verify) with a key set: the member matching the token's kid first,
    /// then the others. Returns the member that verified.
    pub fn verify_keyset<'k>(
        &self,
        token: &Token,
        keys: &'k KeySetRef,
        now: i64,
    ) -> Result<&'k KeyRef> {
        let mut used = std::ptr::null();
        // SAFETY: live handles; `used` borrows from `keys`, which outlives 'k.
        calling_back(|| {
            check(|err| unsafe {
                sys::ajwt_verify_keyset(
                    self.as_ptr(),
                    token.as_ptr(),
                    keys.as_ptr(),
                    now,
                    &mut used,
                    err,
                )
            })
        })?;
        if used.is_null() {
            return Err(Error::Internal("verified, but no key reported".into()));
        }
        Ok(unsafe { KeyRef::from_ptr(used) })
    }

    /// Parses and verifies in one step; returns the verified token.
    pub fn verify_token(&self, token: impl AsRef<[u8]>, key: &KeyRef, now: i64) -> Result<Token> {
        let token = self.parse(token)?;
        self.verify(&token, key, now)?;
        Ok(token)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").finish_non_exhaustive()
    }
}
