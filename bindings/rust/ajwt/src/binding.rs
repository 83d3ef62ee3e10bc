//! Request binding (docs/request-binding.md): tokens bound to one request's
//! method, target and body and to one service, and the verifier's policy.

use std::ptr;

use crate::callback::calling_back;
use crate::error::{check, Result};
use crate::key::{Alg, Key, KeyRef};
use crate::token::Token;
use crate::verifier::Verifier;
use crate::{raw, sys, take_text};

/// The verifier's request-binding policy (ajwt_binding_policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Binding claims are ignored, as asymmetric-jwt-auth 1.x does (the default).
    Off,
    /// Each binding claim a token carries must match the request and the audience.
    WhenPresent,
    /// As `WhenPresent`, and method, target and body (and the audience, when one is set) must be bound.
    Required,
}

/// A request as a token binds it (signing) or as the server received it (verifying). `None`
/// is "not bound" / "unknown"; `body: Some(b"")` is the empty body. `audience` is used when
/// signing only.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub method: Option<&'a str>,
    pub target: Option<&'a str>,
    pub body: Option<&'a [u8]>,
    pub audience: Option<&'a str>,
}

/// SHA-256 of the body (what the `ajwt_body` claim carries).
pub fn body_digest(body: &[u8]) -> Result<[u8; sys::AJWT_BODY_DIGEST_SIZE]> {
    let mut out = [0u8; sys::AJWT_BODY_DIGEST_SIZE];
    // SAFETY: valid input range and a 32-byte output buffer.
    check(|err| unsafe {
        sys::ajwt_body_digest(body.as_ptr(), body.len(), out.as_mut_ptr(), err)
    })?;
    Ok(out)
}

pub(crate) fn optional(text: Option<&str>) -> (*const std::ffi::c_char, usize) {
    text.map_or((ptr::null(), 0), |t| raw(t.as_bytes()))
}

pub(crate) fn digest_of(body: Option<&[u8]>) -> Result<Option<[u8; sys::AJWT_BODY_DIGEST_SIZE]>> {
    body.map(body_digest).transpose()
}

impl Key {
    /// Signs a token bound to `request` (ajwt_sign_request) with a fresh nonce and the key's
    /// preferred algorithm (`alg` None).
    pub fn sign_request(
        &self,
        username: &str,
        time: i64,
        alg: Option<Alg>,
        request: &Request,
    ) -> Result<String> {
        let nonce = crate::new_nonce()?;
        let (user, user_len) = raw(username.as_bytes());
        let (n, n_len) = raw(nonce.as_bytes());
        let (m, m_len) = optional(request.method);
        let (t, t_len) = optional(request.target);
        let (a, a_len) = optional(request.audience);
        let digest = digest_of(request.body)?;
        let d = digest.as_ref().map_or(ptr::null(), |d| d.as_ptr());
        let alg = alg.map_or(sys::AJWT_ALG_UNKNOWN, Alg::raw);
        // SAFETY: live handle, valid ranges (or NULL, 0) and out pointers.
        take_text(|out, len, err| unsafe {
            sys::ajwt_sign_request(
                self.as_ptr(),
                user,
                user_len,
                time,
                n,
                n_len,
                alg,
                m,
                m_len,
                t,
                t_len,
                d,
                a,
                a_len,
                out,
                len,
                err,
            )
        })
    }
}

impl Verifier {
    /// The request-binding policy (default [`Binding::Off`]).
    pub fn set_binding(&mut self, policy: Binding) -> Result<()> {
        let raw = match policy {
            Binding::Off => sys::AJWT_BINDING_OFF,
            Binding::WhenPresent => sys::AJWT_BINDING_WHEN_PRESENT,
            Binding::Required => sys::AJWT_BINDING_REQUIRED,
        };
        // SAFETY: exclusive access to a live handle.
        check(|err| unsafe { sys::ajwt_verifier_set_binding(self.as_mut_ptr(), raw, err) })?;
        self.binding = policy;
        Ok(())
    }

    /// The request-binding policy set with [`set_binding`](Self::set_binding): whether a
    /// server must give the verifier the request's method, target and body.
    pub fn binding(&self) -> Binding {
        self.binding
    }

    /// The audience this service answers to (None: no audience).
    pub fn set_audience(&mut self, audience: Option<&str>) -> Result<()> {
        let (a, a_len) = optional(audience);
        // SAFETY: exclusive access to a live handle; valid range or (NULL, 0).
        check(|err| unsafe { sys::ajwt_verifier_set_audience(self.as_mut_ptr(), a, a_len, err) })
    }

    /// As [`verify`](Self::verify), with the request's method, target and body for the
    /// binding policy (ajwt_verify_request); `request.audience` is not used.
    pub fn verify_request(
        &self,
        token: &Token,
        key: &KeyRef,
        now: i64,
        request: &Request,
    ) -> Result<()> {
        let (m, m_len) = optional(request.method);
        let (t, t_len) = optional(request.target);
        let digest = digest_of(request.body)?;
        let d = digest.as_ref().map_or(ptr::null(), |d| d.as_ptr());
        // SAFETY: live handles; valid ranges or (NULL, 0); verification is safe concurrently.
        calling_back(|| {
            check(|err| unsafe {
                sys::ajwt_verify_request(
                    self.as_ptr(),
                    token.as_ptr(),
                    key.as_ptr(),
                    now as f64,
                    m,
                    m_len,
                    t,
                    t_len,
                    d,
                    err,
                )
            })
        })
    }
}
