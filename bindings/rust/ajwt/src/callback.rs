//! Host code called back from C: errors and panics become statuses at the boundary, and the
//! details come back to the caller once the C call has returned.
//!
//! The library calls callbacks synchronously, on the thread that made the call, so a
//! thread-local slot scoped to one call carries the host error's text and any panic payload
//! from the callback to the code that called into C. (The ABI has no per-call context the
//! detail could travel in instead.)

use std::any::Any;
use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use crate::error::{BoxError, Error, Result};
use crate::sys;

enum Outcome {
    Failed(String),
    Panicked(Box<dyn Any + Send + 'static>),
}

thread_local! {
    static OUTCOME: RefCell<Option<Outcome>> = const { RefCell::new(None) };
}

fn record(outcome: Outcome) {
    OUTCOME.with(|slot| {
        let mut slot = slot.borrow_mut();
        // Keep the first failure, but a panic wins: it must be resumed.
        if slot.is_none()
            || (matches!(outcome, Outcome::Panicked(_))
                && !matches!(*slot, Some(Outcome::Panicked(_))))
        {
            *slot = Some(outcome);
        }
    });
}

/// Runs host code inside a C callback. An [`Error`] returned by the host passes its status
/// through; any other error or a panic returns AJWT_ERR_CALLBACK_FAILED and is recorded.
pub(crate) fn host(
    f: impl FnOnce() -> std::result::Result<sys::ajwt_status, BoxError>,
) -> sys::ajwt_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(status)) => status,
        Ok(Err(error)) => {
            if let Some(ours) = error.downcast_ref::<Error>() {
                return ours.status();
            }
            record(Outcome::Failed(error.to_string()));
            sys::AJWT_ERR_CALLBACK_FAILED
        }
        Err(payload) => {
            record(Outcome::Panicked(payload));
            sys::AJWT_ERR_CALLBACK_FAILED
        }
    }
}

/// Runs a C call that may call back into Rust. Afterwards a host panic is resumed here, and a
/// host error's text is appended to the message of a CallbackFailed result.
pub(crate) fn calling_back<T>(call: impl FnOnce() -> Result<T>) -> Result<T> {
    let outer = OUTCOME.with(|slot| slot.borrow_mut().take()); // nested calls keep their own
    let result = call();
    let outcome = OUTCOME.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), outer));
    match (outcome, result) {
        (Some(Outcome::Panicked(payload)), _) => resume_unwind(payload),
        (Some(Outcome::Failed(text)), Err(Error::CallbackFailed(message))) => {
            Err(Error::CallbackFailed(format!("{message}: {text}")))
        }
        (_, result) => result,
    }
}

/// A string argument of a callback.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes for the duration of the callback.
pub(crate) unsafe fn arg_str<'a>(
    ptr: *const c_char,
    len: usize,
) -> std::result::Result<&'a str, BoxError> {
    if ptr.is_null() {
        return Ok("");
    }
    Ok(std::str::from_utf8(std::slice::from_raw_parts(
        ptr.cast::<u8>(),
        len,
    ))?)
}
