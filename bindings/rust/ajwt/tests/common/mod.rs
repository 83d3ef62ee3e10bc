//! Shared by the integration tests: the repository's test vectors and a few key helpers.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use ajwt::{Key, KeyType};
use serde_json::Value;

pub const NOW: i64 = 1_700_000_000;

/// tests/vectors of the repository (AJWT_VECTORS_DIR overrides it).
pub fn vectors_dir() -> PathBuf {
    match std::env::var_os("AJWT_VECTORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/vectors"),
    }
}

pub fn read_json(relative: &str) -> Value {
    let path = vectors_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// tests/vectors/compat/asymmetric-jwt-auth-1.x.json
pub fn compat() -> &'static Value {
    static COMPAT: OnceLock<Value> = OnceLock::new();
    COMPAT.get_or_init(|| read_json("compat/asymmetric-jwt-auth-1.x.json"))
}

pub fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

/// The compat RSA private key (its public half is public_keys.rsa_pem).
pub fn compat_rsa() -> Key {
    Key::load_private(
        text(&compat()["private_keys"]["rsa_pkcs8_pem"]["text"]),
        None,
    )
    .unwrap()
}

pub fn compat_rsa_public() -> Key {
    Key::load_public(text(&compat()["public_keys"]["rsa_pem"]["text"])).unwrap()
}

pub fn ed25519() -> Key {
    Key::generate(KeyType::Ed25519).unwrap()
}

/// A token with an explicit nonce and the key's preferred algorithm.
pub fn sign(key: &Key, username: &str, time: i64, nonce: &str) -> String {
    key.sign_with(username, time, nonce, None).unwrap()
}

pub fn b64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
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

pub fn unb64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | (value(*c) << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

pub fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// An in-memory async key repository: username -> public keys (PEM/OpenSSH/JWK text).
#[derive(Default, Clone)]
pub struct Users(pub std::collections::HashMap<String, Vec<String>>);

impl Users {
    pub fn with(mut self, username: &str, public: &Key) -> Users {
        let pem = public.public_pem().unwrap();
        self.0.entry(username.to_owned()).or_default().push(pem);
        self
    }
}

impl ajwt::KeyRepository for Users {
    fn user_keys<'a>(
        &'a self,
        username: &'a str,
        _kid: Option<&'a str>,
    ) -> ajwt::BoxFuture<'a, Result<Option<ajwt::KeySet>, ajwt::BoxError>> {
        Box::pin(async move {
            let Some(texts) = self.0.get(username) else {
                return Ok(None);
            };
            let mut keys = ajwt::KeySet::new()?;
            for text in texts {
                keys.add_text(text, ajwt::KeyFormat::Any)?;
            }
            Ok(Some(keys))
        })
    }
}

/// An in-memory async nonce store that can be told to fail, recording what it was asked.
#[derive(Default)]
pub struct MemoryNonces {
    pub seen: std::sync::Mutex<Vec<(String, i64)>>,
    pub failing: std::sync::atomic::AtomicBool,
}

impl ajwt::AsyncNonceStore for MemoryNonces {
    fn record<'a>(
        &'a self,
        key: &'a str,
        ttl_seconds: i64,
    ) -> ajwt::BoxFuture<'a, Result<bool, ajwt::BoxError>> {
        Box::pin(async move {
            if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
                return Err("store unreachable".into());
            }
            let mut seen = self.seen.lock().unwrap();
            if seen.iter().any(|(k, _)| k == key) {
                return Ok(false);
            }
            seen.push((key.to_owned(), ttl_seconds));
            Ok(true)
        })
    }
}
