//! Nonce stores: the built-in memory store and stores written in Rust.

use std::ffi::{c_char, c_void};
use std::fmt;
use std::ptr::NonNull;

use crate::callback::{arg_str, calling_back, host};
use crate::error::{check, BoxError, Error, Result};
use crate::{raw, sys};

/// A nonce store written in Rust (e.g. over Redis, shared by several servers).
///
/// `check_and_record` must atomically record `(username, time, nonce)` and say whether it
/// was new: `Ok(true)` new, `Ok(false)` seen before (the token is a replay), `Err` rejects the
/// token with [`Error::CallbackFailed`]. It runs on the verifying thread, concurrently when
/// verifications run concurrently.
pub trait NonceChecker: Send + Sync {
    fn check_and_record(
        &self,
        username: &str,
        time: i64,
        nonce: &str,
    ) -> std::result::Result<bool, BoxError>;
}

impl<F> NonceChecker for F
where
    F: Fn(&str, i64, &str) -> std::result::Result<bool, BoxError> + Send + Sync,
{
    fn check_and_record(
        &self,
        username: &str,
        time: i64,
        nonce: &str,
    ) -> std::result::Result<bool, BoxError> {
        self(username, time, nonce)
    }
}

/// A shared checker.
impl<C: NonceChecker + ?Sized> NonceChecker for std::sync::Arc<C> {
    fn check_and_record(
        &self,
        username: &str,
        time: i64,
        nonce: &str,
    ) -> std::result::Result<bool, BoxError> {
        (**self).check_and_record(username, time, nonce)
    }
}

/// Remembers `(username, time, nonce)` so each token is accepted once. A verifier given the
/// store keeps its own reference, so the store may be dropped afterwards.
pub struct NonceStore {
    ptr: NonNull<sys::ajwt_nonce_store>,
}

// SAFETY: the memory store is thread-safe and atomic; a callback store is as safe as its
// checker, which NonceChecker requires to be Send + Sync.
unsafe impl Send for NonceStore {}
unsafe impl Sync for NonceStore {}

impl Drop for NonceStore {
    fn drop(&mut self) {
        // SAFETY: we own this reference.
        unsafe { sys::ajwt_nonce_store_free(self.ptr.as_ptr()) }
    }
}

unsafe extern "C" fn check_trampoline<C: NonceChecker>(
    user_data: *mut c_void,
    username: *const c_char,
    username_len: usize,
    time: i64,
    nonce: *const c_char,
    nonce_len: usize,
) -> sys::ajwt_status {
    // SAFETY: user_data is the Box<C> the store owns; the strings live for the call.
    let checker = &*(user_data as *const C);
    host(|| {
        let fresh = checker.check_and_record(
            arg_str(username, username_len)?,
            time,
            arg_str(nonce, nonce_len)?,
        )?;
        Ok(if fresh {
            sys::AJWT_OK
        } else {
            sys::AJWT_ERR_NONCE_REPLAYED
        })
    })
}

unsafe extern "C" fn drop_trampoline<C>(user_data: *mut c_void) {
    // SAFETY: called once, when the last reference to the store goes away. Dropping host code
    // must not unwind into C.
    let boxed = Box::from_raw(user_data as *mut C);
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(boxed))).is_err() {
        // Nothing to report to; the checker's own Drop panicked.
    }
}

impl NonceStore {
    fn out(
        call: impl FnOnce(*mut *mut sys::ajwt_nonce_store, *mut sys::ajwt_error) -> sys::ajwt_status,
    ) -> Result<NonceStore> {
        let mut out = std::ptr::null_mut();
        check(|err| call(&mut out, err))?;
        NonNull::new(out)
            .map(|ptr| NonceStore { ptr })
            .ok_or_else(|| Error::Internal("the library returned no store".into()))
    }

    /// The built-in in-memory store: thread-safe, atomic check-and-record. An entry lives
    /// `ttl_seconds` after it is recorded (0 = 41, twice the default tolerance + 1); beyond
    /// `max_entries` live entries (0 = 1,000,000) new nonces are refused with
    /// [`Error::NonceStoreFull`]. Each entry takes about 80 bytes, whatever the lengths.
    pub fn memory(ttl_seconds: i64, max_entries: usize) -> Result<NonceStore> {
        NonceStore::memory_with_user_cap(ttl_seconds, max_entries, 0)
    }

    /// [`NonceStore::memory`] where one username may hold at most `max_entries_per_user` live
    /// entries (0 = no cap of its own; above `max_entries` is [`Error::InvalidArgument`]):
    /// beyond it that user's new nonces get [`Error::NonceStoreFull`] while other users'
    /// still pass, so one client cannot fill the store for everyone.
    pub fn memory_with_user_cap(
        ttl_seconds: i64,
        max_entries: usize,
        max_entries_per_user: usize,
    ) -> Result<NonceStore> {
        // SAFETY: plain values and valid out pointers.
        NonceStore::out(|out, err| unsafe {
            sys::ajwt_nonce_store_new_memory_with_user_cap(
                ttl_seconds,
                max_entries,
                max_entries_per_user,
                out,
                err,
            )
        })
    }

    /// A store backed by Rust code. The checker is dropped when the last reference to the
    /// store (this value, verifiers and authenticators using it) goes away.
    pub fn new<C: NonceChecker + 'static>(checker: C) -> Result<NonceStore> {
        let user_data = Box::into_raw(Box::new(checker)) as *mut c_void;
        // SAFETY: the trampolines match C; on success the store owns user_data.
        let result = NonceStore::out(|out, err| unsafe {
            sys::ajwt_nonce_store_new_callback(
                Some(check_trampoline::<C>),
                user_data,
                Some(drop_trampoline::<C>),
                out,
                err,
            )
        });
        if result.is_err() {
            // SAFETY: on failure the library did not take user_data (ajwt.h).
            drop(unsafe { Box::from_raw(user_data as *mut C) });
        }
        result
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::ajwt_nonce_store {
        self.ptr.as_ptr()
    }

    /// Records `(username, time, nonce)` at `now`: `Ok` if it was new,
    /// [`Error::NonceReplayed`] if it was already recorded.
    pub fn check_and_record(&self, username: &str, time: i64, nonce: &str, now: i64) -> Result<()> {
        let (u, u_len) = raw(username.as_bytes());
        let (n, n_len) = raw(nonce.as_bytes());
        // SAFETY: live handle, valid ranges. The store is internally synchronised.
        calling_back(|| {
            check(|err| unsafe {
                sys::ajwt_nonce_store_check_and_record(
                    self.as_ptr(),
                    u,
                    u_len,
                    time,
                    n,
                    n_len,
                    now,
                    err,
                )
            })
        })
    }

    /// Live entries of a memory store (0 for a Rust-backed store).
    pub fn len(&self) -> usize {
        // SAFETY: live handle.
        unsafe { sys::ajwt_nonce_store_size(self.as_ptr()) }
    }

    /// Whether a memory store holds no live entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for NonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NonceStore")
            .field("len", &self.len())
            .finish()
    }
}
