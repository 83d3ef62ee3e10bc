//! Two-phase authentication (ajwt_authenticate_begin / ajwt_pending_verify /
//! ajwt_pending_finish): the library parses and verifies, the host looks keys up and records
//! the nonce with its own (asynchronous) clients in between.

use std::ptr::NonNull;

use crate::authenticator::{Authenticated, Authenticator};
use crate::binding::{digest_of, optional, Request};
use crate::error::{check, Error, Result};
use crate::key::Key;
use crate::keyset::KeySetRef;
use crate::token::Token;
use crate::verifier::Verifier;
use crate::{borrowed_str, raw, sys};

/// What the host's nonce store did with a verified token's nonce key (ajwt_nonce_outcome).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceOutcome {
    /// Recorded; it was new.
    Recorded,
    /// Found recorded: a replay.
    AlreadyRecorded,
    /// The store failed: the request is refused (fail closed).
    StoreFailed,
    /// The host has no store: the verifier's own nonce store records it.
    UseVerifierStore,
}

impl NonceOutcome {
    fn raw(self) -> sys::ajwt_nonce_outcome {
        match self {
            NonceOutcome::Recorded => sys::AJWT_NONCE_RECORDED,
            NonceOutcome::AlreadyRecorded => sys::AJWT_NONCE_ALREADY_RECORDED,
            NonceOutcome::StoreFailed => sys::AJWT_NONCE_STORE_FAILED,
            NonceOutcome::UseVerifierStore => sys::AJWT_NONCE_USE_VERIFIER_STORE,
        }
    }
}

/// One authentication in progress: parsed, its claimed username and kid known, not verified.
/// Owned by one task at a time (it may move between threads).
pub struct Pending {
    ptr: NonNull<sys::ajwt_pending>,
}

// SAFETY: a pending authentication belongs to no thread (ajwt.h); advancing it needs &mut,
// and the &self getters only read what phase 1 and 2 stored.
unsafe impl Send for Pending {}
unsafe impl Sync for Pending {}

impl Drop for Pending {
    fn drop(&mut self) {
        // SAFETY: we own the handle.
        unsafe { sys::ajwt_pending_free(self.ptr.as_ptr()) }
    }
}

impl Authenticator {
    /// Phase 1 (no callbacks): the header's method word, the token's parse under the
    /// verifier's size cap and policy, the claimed username. An empty header is "no header".
    pub fn begin(&self, header: &str) -> Result<Pending> {
        let (h, h_len) = if header.is_empty() {
            (std::ptr::null(), 0)
        } else {
            raw(header.as_bytes())
        };
        let mut out = std::ptr::null_mut();
        // SAFETY: live handle, valid range and out pointer; the call is thread-safe.
        check(|err| unsafe {
            sys::ajwt_authenticate_begin(self.as_ptr(), h, h_len, &mut out, err)
        })?;
        NonNull::new(out)
            .map(|ptr| Pending { ptr })
            .ok_or_else(|| Error::Internal("the library returned no pending authentication".into()))
    }
}

impl Pending {
    /// The claimed (not yet verified) username: whose keys to look up.
    pub fn username(&self) -> &str {
        let mut len = 0;
        // SAFETY: live handle; the text lives as long as it.
        unsafe { borrowed_str(sys::ajwt_pending_username(self.ptr.as_ptr(), &mut len), len) }
            .unwrap_or("")
    }

    /// The token's key id, if any: a lookup hint.
    pub fn kid(&self) -> Option<&str> {
        let mut len = 0;
        // SAFETY: as above; NULL when the token has none.
        unsafe { borrowed_str(sys::ajwt_pending_kid(self.ptr.as_ptr(), &mut len), len) }
    }

    /// Phase 2 (CPU only, no callbacks): signature with `keys` (None: the user does not
    /// exist; an equal-time decoy check runs, then [`Error::UnknownUser`]), registered claims,
    /// time window at `now`, and the request binding with `request`'s method, target and body.
    pub fn verify(&mut self, keys: Option<&KeySetRef>, now: i64, request: &Request) -> Result<()> {
        let (m, m_len) = optional(request.method);
        let (t, t_len) = optional(request.target);
        let digest = digest_of(request.body)?;
        let d = digest.as_ref().map_or(std::ptr::null(), |d| d.as_ptr());
        let keys = keys.map_or(std::ptr::null(), KeySetRef::as_ptr);
        // SAFETY: exclusive access to a live handle; valid ranges or (NULL, 0).
        check(|err| unsafe {
            sys::ajwt_pending_verify(self.ptr.as_ptr(), keys, now, m, m_len, t, t_len, d, err)
        })
    }

    /// After [`verify`](Self::verify) succeeded: the key under which the host records the
    /// nonce (as [`nonce_key`]).
    pub fn nonce_key(&self) -> &str {
        let mut len = 0;
        // SAFETY: live handle; the text lives as long as it.
        unsafe {
            borrowed_str(
                sys::ajwt_pending_nonce_key(self.ptr.as_ptr(), &mut len),
                len,
            )
        }
        .unwrap_or("")
    }

    /// How long (seconds) the host keeps the nonce key (the verifier's nonce TTL).
    pub fn nonce_ttl(&self) -> i64 {
        // SAFETY: live handle.
        unsafe { sys::ajwt_pending_nonce_ttl(self.ptr.as_ptr()) }
    }

    /// Phase 3: the final answer given what the host's nonce store did.
    pub fn finish(mut self, outcome: NonceOutcome) -> Result<Authenticated> {
        let mut token = std::ptr::null_mut();
        let mut key = std::ptr::null_mut();
        // SAFETY: exclusive access to a live handle (freed by our Drop), valid out pointers.
        check(|err| unsafe {
            sys::ajwt_pending_finish(self.ptr.as_mut(), outcome.raw(), &mut token, &mut key, err)
        })?;
        // SAFETY: on success both are new references we own.
        unsafe {
            Ok(Authenticated::new(
                Token::from_raw(token)?,
                Key::from_raw(key)?,
            ))
        }
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("username", &self.username())
            .field("kid", &self.kid())
            .finish()
    }
}

/// The nonce key every language and Django share for one token (ajwt_nonce_key):
/// "ajwt-nonce-" and 64 hex digits.
pub fn nonce_key(username: &str, time: i64, nonce: &str) -> Result<String> {
    let mut out = [0u8; sys::AJWT_NONCE_KEY_SIZE + 1];
    let (u, u_len) = raw(username.as_bytes());
    let (n, n_len) = raw(nonce.as_bytes());
    // SAFETY: valid ranges and a caller-owned buffer of the size given.
    check(|err| unsafe {
        sys::ajwt_nonce_key(
            u,
            u_len,
            time,
            n,
            n_len,
            out.as_mut_ptr().cast(),
            out.len(),
            err,
        )
    })?;
    let len = out.iter().position(|&b| b == 0).unwrap_or(out.len());
    Ok(String::from_utf8_lossy(&out[..len]).into_owned())
}

impl Verifier {
    /// How long (seconds) a shared store must keep a nonce for this verifier's tolerance
    /// (ajwt_verifier_nonce_ttl).
    pub fn nonce_ttl(&self) -> i64 {
        // SAFETY: live handle.
        unsafe { sys::ajwt_verifier_nonce_ttl(self.as_ptr()) }
    }
}
