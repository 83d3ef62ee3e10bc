//! Key sets: a user's keys, JWK Sets.

use std::ffi::CStr;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use crate::error::{check, Error, Result};
use crate::key::{KeyFormat, KeyRef};
use crate::{raw, sys, take_text};

/// An owned set of public keys. Dereferences to [`KeySetRef`], where its methods are.
pub struct KeySet {
    ptr: NonNull<sys::ajwt_keyset>,
}

// SAFETY: reading is safe from many threads; adding needs &mut (ajwt.h: adding is not
// synchronised with readers, which the borrow checker rules out).
unsafe impl Send for KeySet {}
unsafe impl Sync for KeySet {}

impl Drop for KeySet {
    fn drop(&mut self) {
        // SAFETY: we own the handle.
        unsafe { sys::ajwt_keyset_free(self.ptr.as_ptr()) }
    }
}

impl Deref for KeySet {
    type Target = KeySetRef;
    fn deref(&self) -> &KeySetRef {
        // SAFETY: the handle lives as long as self.
        unsafe { KeySetRef::from_ptr(self.ptr.as_ptr()) }
    }
}

impl DerefMut for KeySet {
    fn deref_mut(&mut self) -> &mut KeySetRef {
        // SAFETY: as above, and &mut self is exclusive.
        unsafe { KeySetRef::from_ptr_mut(self.ptr.as_ptr()) }
    }
}

impl KeySet {
    fn out(
        call: impl FnOnce(*mut *mut sys::ajwt_keyset, *mut sys::ajwt_error) -> sys::ajwt_status,
    ) -> Result<KeySet> {
        let mut out = std::ptr::null_mut();
        check(|err| call(&mut out, err))?;
        NonNull::new(out)
            .map(|ptr| KeySet { ptr })
            .ok_or_else(|| Error::Internal("the library returned no key set".into()))
    }

    /// An empty set.
    pub fn new() -> Result<KeySet> {
        // SAFETY: valid out pointers.
        KeySet::out(|out, err| unsafe { sys::ajwt_keyset_new(out, err) })
    }

    /// Parses a JWK Set document (`{"keys": [...]}`). Members libajwt cannot use are skipped
    /// (see [`KeySetRef::skipped`]) without failing the set.
    pub fn from_jwks(json: impl AsRef<[u8]>) -> Result<KeySet> {
        let (ptr, len) = raw(json.as_ref());
        // SAFETY: valid input range and out pointers.
        KeySet::out(|out, err| unsafe { sys::ajwt_keyset_parse_jwks(ptr, len, out, err) })
    }
}

/// A key set borrowed from its owner: a [`KeySet`], or the set the library lends a
/// [`Repository`](crate::Repository) to fill (valid only during that call).
#[repr(transparent)]
pub struct KeySetRef(sys::ajwt_keyset);

// SAFETY: see KeySet.
unsafe impl Send for KeySetRef {}
unsafe impl Sync for KeySetRef {}

impl KeySetRef {
    /// # Safety
    /// `ptr` must be a live key set handle for 'a.
    pub(crate) unsafe fn from_ptr<'a>(ptr: *const sys::ajwt_keyset) -> &'a KeySetRef {
        &*(ptr as *const KeySetRef)
    }

    /// # Safety
    /// `ptr` must be a live key set handle, used exclusively through the result for 'a.
    pub(crate) unsafe fn from_ptr_mut<'a>(ptr: *mut sys::ajwt_keyset) -> &'a mut KeySetRef {
        &mut *(ptr as *mut KeySetRef)
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ajwt_keyset {
        self as *const KeySetRef as *const sys::ajwt_keyset
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut sys::ajwt_keyset {
        self as *mut KeySetRef as *mut sys::ajwt_keyset
    }

    /// Adds a public key (a private key gives [`Error::PrivateKeyGiven`]: add its
    /// [`to_public`](KeyRef::to_public)).
    pub fn add(&mut self, key: &KeyRef) -> Result<()> {
        let set = self.as_mut_ptr();
        // SAFETY: live handles.
        check(|err| unsafe { sys::ajwt_keyset_add(set, key.as_ptr(), err) })
    }

    /// Parses public key text (as [`Key::load_public_as`](crate::Key::load_public_as),
    /// cached) and adds it.
    pub fn add_text(&mut self, text: impl AsRef<[u8]>, format: KeyFormat) -> Result<()> {
        let set = self.as_mut_ptr();
        let (ptr, len) = raw(text.as_ref());
        // SAFETY: live handle, valid input range.
        check(|err| unsafe { sys::ajwt_keyset_add_text(set, ptr, len, format.raw(), err) })
    }

    /// Parses a JWK Set document and adds its usable members.
    pub fn add_jwks(&mut self, json: impl AsRef<[u8]>) -> Result<()> {
        let set = self.as_mut_ptr();
        let (ptr, len) = raw(json.as_ref());
        // SAFETY: live handle, valid input range.
        check(|err| unsafe { sys::ajwt_keyset_add_jwks(set, ptr, len, err) })
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        // SAFETY: live handle.
        unsafe { sys::ajwt_keyset_count(self.as_ptr()) }
    }

    /// Whether the set has no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Member `index`.
    pub fn get(&self, index: usize) -> Option<&KeyRef> {
        // SAFETY: members live as long as the set; the borrow of self keeps it.
        let key = unsafe { sys::ajwt_keyset_get(self.as_ptr(), index) };
        (!key.is_null()).then(|| unsafe { KeyRef::from_ptr(key) })
    }

    /// The member whose kid (JWK "kid", else fingerprint) is `kid`.
    pub fn find(&self, kid: &str) -> Option<&KeyRef> {
        let (ptr, len) = raw(kid.as_bytes());
        // SAFETY: as for get.
        let key = unsafe { sys::ajwt_keyset_find(self.as_ptr(), ptr, len) };
        (!key.is_null()).then(|| unsafe { KeyRef::from_ptr(key) })
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = &KeyRef> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    /// Why each JWKS member skipped so far was skipped.
    pub fn skipped(&self) -> Vec<String> {
        // SAFETY: live handle; reasons are NUL-terminated and live as long as the set.
        let count = unsafe { sys::ajwt_keyset_skipped_count(self.as_ptr()) };
        (0..count)
            .filter_map(|i| {
                let reason = unsafe { sys::ajwt_keyset_skipped_reason(self.as_ptr(), i) };
                (!reason.is_null()).then(|| {
                    unsafe { CStr::from_ptr(reason) }
                        .to_string_lossy()
                        .into_owned()
                })
            })
            .collect()
    }

    /// The set as a JWK Set document.
    pub fn to_jwks(&self) -> Result<String> {
        // SAFETY: live handle, valid out pointers.
        take_text(|out, len, err| unsafe { sys::ajwt_keyset_to_jwks(self.as_ptr(), out, len, err) })
    }
}

impl fmt::Debug for KeySetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
