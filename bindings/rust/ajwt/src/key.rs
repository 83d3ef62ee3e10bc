//! Keys: load, generate, inspect, export, sign.

use std::ffi::CStr;
use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;
use std::str::FromStr;

use crate::error::{check, Error, Result};
use crate::{borrowed_str, raw, sys, take_text};

/// A JOSE signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Alg {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
}

const ALGS: [(Alg, sys::ajwt_alg); 10] = [
    (Alg::RS256, sys::AJWT_ALG_RS256),
    (Alg::RS384, sys::AJWT_ALG_RS384),
    (Alg::RS512, sys::AJWT_ALG_RS512),
    (Alg::PS256, sys::AJWT_ALG_PS256),
    (Alg::PS384, sys::AJWT_ALG_PS384),
    (Alg::PS512, sys::AJWT_ALG_PS512),
    (Alg::ES256, sys::AJWT_ALG_ES256),
    (Alg::ES384, sys::AJWT_ALG_ES384),
    (Alg::ES512, sys::AJWT_ALG_ES512),
    (Alg::EdDSA, sys::AJWT_ALG_EDDSA),
];

impl Alg {
    pub(crate) fn raw(self) -> sys::ajwt_alg {
        ALGS.iter()
            .find(|(a, _)| *a == self)
            .map(|(_, r)| *r)
            .unwrap_or(sys::AJWT_ALG_UNKNOWN)
    }

    pub(crate) fn from_raw(raw: sys::ajwt_alg) -> Option<Alg> {
        ALGS.iter().find(|(_, r)| *r == raw).map(|(a, _)| *a)
    }

    /// The JOSE name, e.g. "RS512" or "EdDSA".
    pub fn name(self) -> &'static str {
        // SAFETY: static text for every known algorithm.
        let name = unsafe { sys::ajwt_alg_name(self.raw()) };
        if name.is_null() {
            return "";
        }
        unsafe { CStr::from_ptr(name) }.to_str().unwrap_or("")
    }

    /// The algorithm of a JOSE name (exact, case-sensitive).
    pub fn from_name(name: &str) -> Option<Alg> {
        let (ptr, len) = raw(name.as_bytes());
        // SAFETY: (ptr, len) is a valid byte range.
        Alg::from_raw(unsafe { sys::ajwt_alg_from_name(ptr, len) })
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Alg {
    type Err = Error;
    fn from_str(s: &str) -> Result<Alg> {
        Alg::from_name(s)
            .ok_or_else(|| Error::AlgorithmNotAllowed(format!("unknown algorithm {s:?}")))
    }
}

/// The kind of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    Rsa,
    Ed25519,
    Ed448,
    EcP256,
    EcP384,
    EcP521,
}

const KEY_TYPES: [(KeyType, sys::ajwt_key_type); 6] = [
    (KeyType::Rsa, sys::AJWT_KEY_RSA),
    (KeyType::Ed25519, sys::AJWT_KEY_ED25519),
    (KeyType::Ed448, sys::AJWT_KEY_ED448),
    (KeyType::EcP256, sys::AJWT_KEY_EC_P256),
    (KeyType::EcP384, sys::AJWT_KEY_EC_P384),
    (KeyType::EcP521, sys::AJWT_KEY_EC_P521),
];

impl KeyType {
    fn raw(self) -> sys::ajwt_key_type {
        KEY_TYPES
            .iter()
            .find(|(t, _)| *t == self)
            .map(|(_, r)| *r)
            .unwrap_or(0)
    }
}

/// Text format of a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum KeyFormat {
    /// PEM SPKI, PEM PKCS#1, OpenSSH, then JWK.
    #[default]
    Any,
    /// "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1).
    Pem,
    /// One line: "ssh-ed25519 AAAA... comment".
    OpenSsh,
    /// One JSON Web Key; private members are refused.
    Jwk,
}

impl KeyFormat {
    pub(crate) fn raw(self) -> sys::ajwt_key_format {
        match self {
            KeyFormat::Any => sys::AJWT_FORMAT_ANY,
            KeyFormat::Pem => sys::AJWT_FORMAT_PEM,
            KeyFormat::OpenSsh => sys::AJWT_FORMAT_OPENSSH,
            KeyFormat::Jwk => sys::AJWT_FORMAT_JWK,
        }
    }
}

/// What [`KeyRef::export`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Canonical PEM SubjectPublicKeyInfo (the fingerprinted text).
    PublicPem,
    /// "ssh-... AAAA... comment", one line.
    PublicOpenSsh,
    /// Compact JWK JSON, members as in asymmetric-jwt-auth 1.x.
    PublicJwk,
    /// PEM PKCS#8 private key, encrypted when a password is given.
    PrivatePkcs8,
}

impl ExportFormat {
    fn raw(self) -> sys::ajwt_export_format {
        match self {
            ExportFormat::PublicPem => sys::AJWT_EXPORT_PUBLIC_PEM,
            ExportFormat::PublicOpenSsh => sys::AJWT_EXPORT_PUBLIC_OPENSSH,
            ExportFormat::PublicJwk => sys::AJWT_EXPORT_PUBLIC_JWK,
            ExportFormat::PrivatePkcs8 => sys::AJWT_EXPORT_PRIVATE_PKCS8,
        }
    }
}

/// An owned key (public or private). Immutable; freed on drop. Dereferences to [`KeyRef`],
/// where its methods are.
pub struct Key {
    ptr: NonNull<sys::ajwt_key>,
}

// SAFETY: ajwt_key is immutable once created and safe to share between threads (ajwt.h).
unsafe impl Send for Key {}
unsafe impl Sync for Key {}

impl Drop for Key {
    fn drop(&mut self) {
        // SAFETY: we own the handle.
        unsafe { sys::ajwt_key_free(self.ptr.as_ptr()) }
    }
}

impl Deref for Key {
    type Target = KeyRef;
    fn deref(&self) -> &KeyRef {
        // SAFETY: the handle lives as long as self.
        unsafe { KeyRef::from_ptr(self.ptr.as_ptr()) }
    }
}

impl AsRef<KeyRef> for Key {
    fn as_ref(&self) -> &KeyRef {
        self
    }
}

/// A key borrowed from an owner: a [`Key`], a [`KeySet`](crate::KeySet) member, or the
/// key a [`Repository::key_used`](crate::Repository::key_used) callback is told about.
#[repr(transparent)]
pub struct KeyRef(sys::ajwt_key);

// SAFETY: as for Key.
unsafe impl Send for KeyRef {}
unsafe impl Sync for KeyRef {}

impl Key {
    /// Takes ownership of a handle.
    ///
    /// # Safety
    /// `ptr` must be a live key handle nobody else frees.
    pub(crate) unsafe fn from_raw(ptr: *mut sys::ajwt_key) -> Result<Key> {
        NonNull::new(ptr)
            .map(|ptr| Key { ptr })
            .ok_or_else(|| Error::Internal("the library returned no key".into()))
    }

    fn out(
        call: impl FnOnce(*mut *mut sys::ajwt_key, *mut sys::ajwt_error) -> sys::ajwt_status,
    ) -> Result<Key> {
        let mut out = std::ptr::null_mut();
        check(|err| call(&mut out, err))?;
        // SAFETY: on success the library hands us a new handle.
        unsafe { Key::from_raw(out) }
    }

    /// Loads a public key in any accepted format: PEM SPKI or PKCS#1, an OpenSSH line, or a
    /// JWK. Parsed keys are cached by libajwt, so loading the same text again is cheap.
    pub fn load_public(text: impl AsRef<[u8]>) -> Result<Key> {
        Key::load_public_as(text, KeyFormat::Any)
    }

    /// Loads a public key in one format only.
    pub fn load_public_as(text: impl AsRef<[u8]>, format: KeyFormat) -> Result<Key> {
        let (ptr, len) = raw(text.as_ref());
        // SAFETY: valid input range; out and err are valid pointers.
        Key::out(|out, err| unsafe { sys::ajwt_key_load_public(ptr, len, format.raw(), out, err) })
    }

    /// Loads a private key: PKCS#8 PEM, traditional PEM (either possibly encrypted) or an
    /// OPENSSH PRIVATE KEY (plain or with ssh-keygen's passphrase).
    pub fn load_private(text: impl AsRef<[u8]>, password: Option<&[u8]>) -> Result<Key> {
        let (ptr, len) = raw(text.as_ref());
        let (pw, pw_len) = password.map_or((std::ptr::null(), 0), raw);
        // SAFETY: as above; a NULL password means none.
        Key::out(|out, err| unsafe { sys::ajwt_key_load_private(ptr, len, pw, pw_len, out, err) })
    }

    /// Generates a private key (RSA: 2048 bits, exponent 65537).
    pub fn generate(key_type: KeyType) -> Result<Key> {
        // SAFETY: plain values and valid out pointers.
        Key::out(|out, err| unsafe { sys::ajwt_key_generate(key_type.raw(), 0, 0, out, err) })
    }

    /// Generates an RSA key of `bits` (2048..8192) with public exponent `exponent` (odd,
    /// >= 3; 0 = 65537).
    pub fn generate_rsa(bits: u32, exponent: u64) -> Result<Key> {
        // SAFETY: as above.
        Key::out(|out, err| unsafe {
            sys::ajwt_key_generate(sys::AJWT_KEY_RSA, bits, exponent, out, err)
        })
    }
}

impl KeyRef {
    /// # Safety
    /// `ptr` must be a live key handle for 'a.
    pub(crate) unsafe fn from_ptr<'a>(ptr: *const sys::ajwt_key) -> &'a KeyRef {
        &*(ptr as *const KeyRef)
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ajwt_key {
        self as *const KeyRef as *const sys::ajwt_key
    }

    /// The public half as an owned key (for a public key, another reference to it).
    pub fn to_public(&self) -> Result<Key> {
        // SAFETY: live handle; valid out pointers.
        Key::out(|out, err| unsafe { sys::ajwt_key_public(self.as_ptr(), out, err) })
    }

    /// The key's type (None only for a type newer than this crate).
    pub fn key_type(&self) -> Option<KeyType> {
        // SAFETY: live handle.
        let raw = unsafe { sys::ajwt_key_get_type(self.as_ptr()) };
        KEY_TYPES.iter().find(|(_, r)| *r == raw).map(|(t, _)| *t)
    }

    /// Whether the key holds private material.
    pub fn is_private(&self) -> bool {
        // SAFETY: live handle.
        unsafe { sys::ajwt_key_is_private(self.as_ptr()) != 0 }
    }

    /// Key size in bits (RSA modulus, curve size; 256 for Ed25519).
    pub fn bits(&self) -> u32 {
        // SAFETY: live handle.
        unsafe { sys::ajwt_key_bits(self.as_ptr()) }
    }

    /// The comment of an OpenSSH key, "" if none.
    pub fn comment(&self) -> &str {
        let mut len = 0;
        // SAFETY: the comment lives as long as the key, so as long as &self.
        unsafe { borrowed_str(sys::ajwt_key_comment(self.as_ptr(), &mut len), len) }.unwrap_or("")
    }

    /// Lowercase hex SHA-256 of the canonical PEM SPKI text; tokens signed with the key carry
    /// it as their kid.
    pub fn fingerprint(&self) -> Result<String> {
        let mut buf = [0 as std::ffi::c_char; sys::AJWT_FINGERPRINT_SIZE];
        // SAFETY: buf has the size the ABI requires.
        check(|err| unsafe { sys::ajwt_key_fingerprint(self.as_ptr(), buf.as_mut_ptr(), err) })?;
        // SAFETY: NUL-terminated on success.
        Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_string_lossy()
            .into_owned())
    }

    /// Default algorithms, most preferred first (RSA: RS512, RS384, RS256; Ed25519: EdDSA).
    pub fn algorithms(&self) -> Vec<Alg> {
        let mut buf = [0 as sys::ajwt_alg; 16];
        // SAFETY: capacity matches buf.
        let count = unsafe { sys::ajwt_key_algorithms(self.as_ptr(), buf.as_mut_ptr(), buf.len()) };
        buf[..count.min(buf.len())]
            .iter()
            .filter_map(|raw| Alg::from_raw(*raw))
            .collect()
    }

    /// Whether `alg` can be used with this key's type at all (PS* for RSA included).
    pub fn supports(&self, alg: Alg) -> bool {
        // SAFETY: live handle.
        unsafe { sys::ajwt_key_supports_alg(self.as_ptr(), alg.raw()) != 0 }
    }

    /// Writes the key in a format; `password` is used for [`ExportFormat::PrivatePkcs8`].
    pub fn export(&self, format: ExportFormat, password: Option<&[u8]>) -> Result<String> {
        let (pw, pw_len) = password.map_or((std::ptr::null(), 0), raw);
        // SAFETY: live handle, valid ranges and out pointers.
        take_text(|out, len, err| unsafe {
            sys::ajwt_key_export(self.as_ptr(), format.raw(), pw, pw_len, out, len, err)
        })
    }

    /// The canonical PEM SPKI text of the public key.
    pub fn public_pem(&self) -> Result<String> {
        self.export(ExportFormat::PublicPem, None)
    }

    /// The public key as one OpenSSH line.
    pub fn openssh(&self) -> Result<String> {
        self.export(ExportFormat::PublicOpenSsh, None)
    }

    /// The public key as compact JWK JSON.
    pub fn jwk(&self) -> Result<String> {
        self.export(ExportFormat::PublicJwk, None)
    }

    /// Signs a token for `username` at `time` (Unix seconds) with a fresh random nonce and
    /// the key's preferred algorithm (RS512 for RSA, EdDSA for Ed25519).
    pub fn sign(&self, username: &str, time: i64) -> Result<String> {
        self.sign_with(username, time, &crate::new_nonce()?, None)
    }

    /// Signs with an explicit nonce and algorithm (None = the key's preferred one).
    pub fn sign_with(
        &self,
        username: &str,
        time: i64,
        nonce: &str,
        alg: Option<Alg>,
    ) -> Result<String> {
        let (user, user_len) = raw(username.as_bytes());
        let (n, n_len) = raw(nonce.as_bytes());
        let alg = alg.map_or(sys::AJWT_ALG_UNKNOWN, Alg::raw);
        // SAFETY: live handle, valid ranges and out pointers.
        take_text(|out, len, err| unsafe {
            sys::ajwt_sign(
                self.as_ptr(),
                user,
                user_len,
                time,
                n,
                n_len,
                alg,
                out,
                len,
                err,
            )
        })
    }

    /// The Authorization header value "JWT <token>" for `username` at `time`.
    pub fn sign_header(&self, username: &str, time: i64) -> Result<String> {
        crate::auth_header(None, &self.sign(username, time)?)
    }

    /// Checks a raw signature with the primitive tokens use (ECDSA in JWS r||s form, PSS with
    /// salt = hash length).
    pub fn verify_signature(&self, alg: Alg, message: &[u8], signature: &[u8]) -> Result<()> {
        // SAFETY: live handle, valid ranges.
        check(|err| unsafe {
            sys::ajwt_signature_verify(
                self.as_ptr(),
                alg.raw(),
                message.as_ptr(),
                message.len(),
                signature.as_ptr(),
                signature.len(),
                err,
            )
        })
    }
}

impl PartialEq for KeyRef {
    /// Same public key.
    fn eq(&self, other: &KeyRef) -> bool {
        // SAFETY: live handles.
        unsafe { sys::ajwt_key_equal(self.as_ptr(), other.as_ptr()) != 0 }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        **self == **other
    }
}

impl fmt::Debug for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("type", &self.key_type())
            .field("private", &self.is_private())
            .field("fingerprint", &self.fingerprint().unwrap_or_default())
            .finish()
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
