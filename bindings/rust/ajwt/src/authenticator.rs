//! The authenticator: the whole server-side flow over repositories written in Rust.

use std::ffi::{c_char, c_void};
use std::fmt;
use std::ptr::NonNull;

use crate::binding::{digest_of, optional, Request};
use crate::callback::{arg_str, calling_back, host};
use crate::error::{check, BoxError, Error, Result};
use crate::key::{Key, KeyRef};
use crate::keyset::KeySetRef;
use crate::token::Token;
use crate::verifier::Verifier;
use crate::{raw, sys};

/// Where the authenticator finds users and their keys. Only [`user_keys`](Self::user_keys)
/// is required. Methods run on the authenticating thread, concurrently when requests are
/// authenticated concurrently.
///
/// Returning an [`Error`] passes its status on (e.g. `Err(Error::UnknownUser(..).into())`);
/// any other error rejects the request with [`Error::CallbackFailed`] carrying its text.
pub trait Repository: Send + Sync {
    /// Does the user exist? `Ok(false)` rejects the request with [`Error::UnknownUser`].
    /// The default takes every claimed user to exist.
    fn user_exists(&self, _username: &str) -> std::result::Result<bool, BoxError> {
        Ok(true)
    }

    /// Adds the user's registered public keys to `keys` ([`KeySetRef::add`], `add_text`,
    /// `add_jwks`). `kid` is the token's key id, a hint: adding all keys is always correct.
    fn user_keys(
        &self,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError>;

    /// A second source, asked only when `user_keys` gave no key matching the token's kid:
    /// keys from the user's trusted JWKS endpoints (fetched by the host). Default: none.
    fn user_jwks(
        &self,
        _username: &str,
        _kid: Option<&str>,
        _keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError> {
        Ok(())
    }

    /// Told which key verified a request (e.g. to record "last used"). Default: nothing.
    fn key_used(&self, _username: &str, _key: &KeyRef) {}
}

/// A shared repository (e.g. also used by the rest of the service).
impl<R: Repository + ?Sized> Repository for std::sync::Arc<R> {
    fn user_exists(&self, username: &str) -> std::result::Result<bool, BoxError> {
        (**self).user_exists(username)
    }
    fn user_keys(
        &self,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError> {
        (**self).user_keys(username, kid, keys)
    }
    fn user_jwks(
        &self,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError> {
        (**self).user_jwks(username, kid, keys)
    }
    fn key_used(&self, username: &str, key: &KeyRef) {
        (**self).key_used(username, key)
    }
}

unsafe extern "C" fn user_exists_trampoline<R: Repository>(
    user_data: *mut c_void,
    username: *const c_char,
    username_len: usize,
) -> sys::ajwt_status {
    // SAFETY: user_data is the repository the authenticator owns; strings live for the call.
    let repo = &*(user_data as *const R);
    host(|| {
        let exists = repo.user_exists(arg_str(username, username_len)?)?;
        Ok(if exists {
            sys::AJWT_OK
        } else {
            sys::AJWT_ERR_UNKNOWN_USER
        })
    })
}

/// Which repository method a keys callback calls.
trait KeysSource {
    fn fill<R: Repository>(
        repo: &R,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError>;
}

struct UserKeys;
struct UserJwks;

impl KeysSource for UserKeys {
    fn fill<R: Repository>(
        repo: &R,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError> {
        repo.user_keys(username, kid, keys)
    }
}

impl KeysSource for UserJwks {
    fn fill<R: Repository>(
        repo: &R,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> std::result::Result<(), BoxError> {
        repo.user_jwks(username, kid, keys)
    }
}

unsafe extern "C" fn keys_trampoline<R: Repository, S: KeysSource>(
    user_data: *mut c_void,
    username: *const c_char,
    username_len: usize,
    kid: *const c_char,
    kid_len: usize,
    out: *mut sys::ajwt_keyset,
) -> sys::ajwt_status {
    // SAFETY: as above; `out` is lent to us, exclusively, for the duration of the call.
    let repo = &*(user_data as *const R);
    host(|| {
        let kid = if kid.is_null() {
            None
        } else {
            Some(arg_str(kid, kid_len)?)
        };
        let keys = KeySetRef::from_ptr_mut(out);
        S::fill(repo, arg_str(username, username_len)?, kid, keys)?;
        Ok(sys::AJWT_OK)
    })
}

unsafe extern "C" fn key_used_trampoline<R: Repository>(
    user_data: *mut c_void,
    username: *const c_char,
    username_len: usize,
    key: *const sys::ajwt_key,
) {
    // SAFETY: as above; the key is borrowed for the call.
    let repo = &*(user_data as *const R);
    host(|| {
        repo.key_used(arg_str(username, username_len)?, KeyRef::from_ptr(key));
        Ok(sys::AJWT_OK)
    });
}

/// Runs the whole server-side flow on an `Authorization` header: parse, method word, claimed
/// username, user exists, signature with the user's keys (kid first), time window, nonce,
/// key used. Configure it, then share it between threads.
pub struct Authenticator {
    ptr: NonNull<sys::ajwt_authenticator>,
    // Declared after ptr, dropped after the handle is freed: no callback can see it dangle.
    // None for the two-phase form (AsyncAuthenticator), which calls no callback.
    _repo: Option<Box<dyn Repository>>,
}

// SAFETY: a configured authenticator is safe to share (ajwt.h); Repository is Send + Sync;
// configuring needs &mut.
unsafe impl Send for Authenticator {}
unsafe impl Sync for Authenticator {}

impl Drop for Authenticator {
    fn drop(&mut self) {
        // SAFETY: we own the handle; _repo is dropped after this.
        unsafe { sys::ajwt_authenticator_free(self.ptr.as_ptr()) }
    }
}

/// A verified request: the token (username, time, nonce, kid) and the key that verified it.
#[derive(Debug)]
pub struct Authenticated {
    token: Token,
    key: Key,
}

impl Authenticated {
    pub(crate) fn new(token: Token, key: Key) -> Authenticated {
        Authenticated { token, key }
    }

    /// The verified username.
    pub fn username(&self) -> &str {
        self.token.username()
    }

    /// The verified token.
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// The user's key that verified the token.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The token and the key.
    pub fn into_parts(self) -> (Token, Key) {
        (self.token, self.key)
    }
}

impl Authenticator {
    /// Copies the verifier's policy (tolerance, algorithms, size cap), takes a reference to
    /// its nonce store, and plugs in the repository.
    pub fn new<R: Repository + 'static>(verifier: &Verifier, repo: R) -> Result<Authenticator> {
        let mut out = std::ptr::null_mut();
        // SAFETY: live verifier, valid out pointers.
        check(|err| unsafe { sys::ajwt_authenticator_new(verifier.as_ptr(), &mut out, err) })?;
        let ptr = NonNull::new(out)
            .ok_or_else(|| Error::Internal("the library returned no authenticator".into()))?;
        let repo = Box::new(repo);
        let user_data = &*repo as *const R as *mut c_void;
        let auth = Authenticator {
            ptr,
            _repo: Some(repo),
        };
        let handle = auth.ptr.as_ptr();
        // SAFETY: the trampolines match C and get back the repository auth owns (a Box keeps
        // its address when coerced to Box<dyn Repository>).
        unsafe {
            check(|err| {
                sys::ajwt_authenticator_set_user_keys(
                    handle,
                    Some(keys_trampoline::<R, UserKeys>),
                    user_data,
                    err,
                )
            })?;
            check(|err| {
                sys::ajwt_authenticator_set_user_jwks(
                    handle,
                    Some(keys_trampoline::<R, UserJwks>),
                    user_data,
                    err,
                )
            })?;
            check(|err| {
                sys::ajwt_authenticator_set_user_exists(
                    handle,
                    Some(user_exists_trampoline::<R>),
                    user_data,
                    err,
                )
            })?;
            check(|err| {
                sys::ajwt_authenticator_set_key_used(
                    handle,
                    Some(key_used_trampoline::<R>),
                    user_data,
                    err,
                )
            })?;
        }
        Ok(auth)
    }

    /// An authenticator with no repository, for the two-phase form (ajwt_authenticate_begin).
    pub(crate) fn without_repository(verifier: &Verifier) -> Result<Authenticator> {
        let mut out = std::ptr::null_mut();
        // SAFETY: live verifier, valid out pointers.
        check(|err| unsafe { sys::ajwt_authenticator_new(verifier.as_ptr(), &mut out, err) })?;
        let ptr = NonNull::new(out)
            .ok_or_else(|| Error::Internal("the library returned no authenticator".into()))?;
        Ok(Authenticator { ptr, _repo: None })
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ajwt_authenticator {
        self.ptr.as_ptr()
    }

    /// The word before the token in the header (default "JWT", compared case-insensitively).
    pub fn set_method(&mut self, method: &str) -> Result<()> {
        let (m, m_len) = raw(method.as_bytes());
        // SAFETY: exclusive access to a live handle.
        check(|err| unsafe { sys::ajwt_authenticator_set_method(self.ptr.as_ptr(), m, m_len, err) })
    }

    /// Authenticates an `Authorization` header value at `now` (Unix seconds). Every error
    /// means "not authenticated"; [`Error::is_client_error`] tells 401 from 500.
    pub fn authenticate(&self, header: &str, now: i64) -> Result<Authenticated> {
        self.authenticate_with(header, |h, h_len, token, key, err| unsafe {
            // SAFETY: live handle, valid range and out pointers; the call is thread-safe.
            sys::ajwt_authenticate(self.ptr.as_ptr(), h, h_len, now, token, key, err)
        })
    }

    /// As [`authenticate`](Self::authenticate), with the request the header came with for the
    /// verifier's binding policy ([`Verifier::set_binding`], [`Verifier::set_audience`];
    /// ajwt_authenticate_request). `None` parts are unknown; `request.audience` is not used.
    pub fn authenticate_request(
        &self,
        header: &str,
        now: i64,
        request: &Request,
    ) -> Result<Authenticated> {
        let (m, m_len) = optional(request.method);
        let (t, t_len) = optional(request.target);
        let digest = digest_of(request.body)?;
        let d = digest.as_ref().map_or(std::ptr::null(), |d| d.as_ptr());
        self.authenticate_with(header, |h, h_len, token, key, err| unsafe {
            // SAFETY: live handle; valid ranges or (NULL, 0) and out pointers; thread-safe.
            sys::ajwt_authenticate_request(
                self.ptr.as_ptr(),
                h,
                h_len,
                now,
                m,
                m_len,
                t,
                t_len,
                d,
                token,
                key,
                err,
            )
        })
    }

    /// Runs `call` (ajwt_authenticate or its request twin) on the header and wraps the result.
    fn authenticate_with(
        &self,
        header: &str,
        call: impl FnOnce(
            *const c_char,
            usize,
            *mut *mut sys::ajwt_token,
            *mut *mut sys::ajwt_key,
            *mut sys::ajwt_error,
        ) -> sys::ajwt_status,
    ) -> Result<Authenticated> {
        // An absent header is (NULL, 0): the library answers NoAuthHeader.
        let (h, h_len) = if header.is_empty() {
            (std::ptr::null(), 0)
        } else {
            raw(header.as_bytes())
        };
        let mut token = std::ptr::null_mut();
        let mut key = std::ptr::null_mut();
        calling_back(|| {
            check(|err| call(h, h_len, &mut token, &mut key, err))?;
            // SAFETY: on success both are new handles we own.
            unsafe {
                Ok(Authenticated {
                    token: Token::from_raw(token)?,
                    key: Key::from_raw(key)?,
                })
            }
        })
    }
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator").finish_non_exhaustive()
    }
}
