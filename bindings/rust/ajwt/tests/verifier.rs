mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ajwt::{
    Alg, BoxError, Error, Key, KeyFormat, KeySet, KeyType, NonceChecker, NonceStore, Verifier,
};
use common::*;
use serde_json::Value;

fn verify(verifier: &Verifier, token: &str, key: &Key, now: i64) -> ajwt::Result<()> {
    verifier.verify_token(token, key, now).map(|_| ())
}

#[test]
fn verify_with_key() {
    let verifier = Verifier::new().unwrap();
    for key_type in [KeyType::Rsa, KeyType::Ed25519, KeyType::EcP256] {
        let key = if key_type == KeyType::Rsa {
            compat_rsa()
        } else {
            Key::generate(key_type).unwrap()
        };
        let other = Key::generate(key_type).unwrap();
        let token = sign(&key, "alice", NOW, "n1");
        assert_eq!(
            verifier
                .verify_token(&token, &key.to_public().unwrap(), NOW)
                .unwrap()
                .username(),
            "alice"
        );
        verify(&verifier, &token, &key, NOW).unwrap(); // a private key verifies too
        assert!(
            matches!(
                verify(&verifier, &token, &other, NOW),
                Err(Error::BadSignature(_))
            ),
            "{key_type:?}"
        );
    }
}

#[test]
fn verify_compat_key() {
    let example = &compat()["token"]["payload_example"];
    let time = example["time"].as_i64().unwrap();
    let token = sign(
        &compat_rsa(),
        text(&example["username"]),
        time,
        text(&example["nonce"]),
    );
    let verified = Verifier::new()
        .unwrap()
        .verify_token(&token, &compat_rsa_public(), time)
        .unwrap();
    assert_eq!(verified.username(), text(&example["username"]));
}

#[test]
fn time_window() {
    let key = ed25519();
    let token = sign(&key, "u", NOW, "n");
    let verifier = Verifier::new().unwrap();
    let tolerance = compat()["token"]["time_tolerance_seconds"]
        .as_i64()
        .unwrap();
    for delta in [-tolerance, 0, tolerance] {
        verify(&verifier, &token, &key, NOW + delta).unwrap();
    }
    assert!(matches!(
        verify(&verifier, &token, &key, NOW + tolerance + 1),
        Err(Error::TokenExpired(_))
    ));
    assert!(matches!(
        verify(&verifier, &token, &key, NOW - tolerance - 1),
        Err(Error::TokenFromFuture(_))
    ));

    let mut wide = Verifier::new().unwrap();
    wide.set_tolerance(300).unwrap();
    verify(&wide, &token, &key, NOW + 300).unwrap();
    assert!(matches!(
        wide.set_tolerance(-1),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn algorithm_policy() {
    let key = compat_rsa();
    let ps = key.sign_with("u", NOW, "n", Some(Alg::PS256)).unwrap();
    let rs = sign(&key, "u", NOW, "n");
    assert!(matches!(
        verify(&Verifier::new().unwrap(), &ps, &key, NOW),
        Err(Error::AlgorithmNotAllowed(_))
    ));
    let mut with_ps = Verifier::new().unwrap();
    with_ps.set_algorithms(&[Alg::PS256, Alg::RS512]).unwrap();
    verify(&with_ps, &ps, &key, NOW).unwrap();
    let mut only_rs256 = Verifier::new().unwrap();
    only_rs256.set_algorithms(&[Alg::RS256]).unwrap();
    assert!(matches!(
        verify(&only_rs256, &rs, &key, NOW),
        Err(Error::AlgorithmNotAllowed(_))
    ));
    assert!(matches!(
        only_rs256.set_algorithms(&[]),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn algorithm_confusion_rejected() {
    let key = compat_rsa();
    let token = sign(&key, "u", NOW, "n");
    let parts: Vec<&str> = token.split('.').collect();
    for alg in ["none", "HS256", "EdDSA"] {
        let forged = format!(
            "{}.{}.{}",
            b64(&format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#)),
            parts[1],
            parts[2]
        );
        assert!(
            verify(&Verifier::new().unwrap(), &forged, &key, NOW).is_err(),
            "{alg}"
        );
    }
}

#[test]
fn max_token_size() {
    let token = sign(&ed25519(), &"u".repeat(200), NOW, "n");
    let mut verifier = Verifier::new().unwrap();
    verifier.set_max_token_size(128).unwrap();
    assert!(matches!(
        verifier.parse(&token),
        Err(Error::TokenTooLarge(_))
    ));
    assert!(matches!(
        verifier.set_max_token_size(10),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn verify_with_key_set() {
    let (a, b, c) = (ed25519(), compat_rsa(), ed25519());
    let mut set = KeySet::new().unwrap();
    set.add(&a.to_public().unwrap()).unwrap();
    set.add(&b.to_public().unwrap()).unwrap();
    let verifier = Verifier::new().unwrap();
    for key in [&a, &b] {
        let token = verifier.parse(sign(key, "u", NOW, "n")).unwrap();
        let used = verifier.verify_keyset(&token, &set, NOW).unwrap();
        assert!(*used == **key);
    }
    let token = verifier.parse(sign(&c, "u", NOW, "n")).unwrap();
    assert!(verifier.verify_keyset(&token, &set, NOW).is_err());
}

#[test]
fn key_set_jwks() {
    let rsa = compat_rsa_public();
    let mut set = KeySet::new().unwrap();
    set.add(&rsa).unwrap();
    set.add_text(
        text(&compat()["public_keys"]["ed25519_openssh"]["text"]),
        KeyFormat::OpenSsh,
    )
    .unwrap();
    assert!(matches!(
        set.add(&ed25519()),
        Err(Error::PrivateKeyGiven(_))
    ));
    assert_eq!(set.len(), 2);
    let mut doc: Value = serde_json::from_str(&set.to_jwks().unwrap()).unwrap();
    assert_eq!(doc["keys"].as_array().unwrap().len(), 2);

    doc["keys"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"kty": "oct", "k": "c2VjcmV0"}));
    let again = KeySet::from_jwks(doc.to_string()).unwrap();
    assert_eq!((again.len(), again.skipped().len()), (2, 1));
    let fingerprint = text(&compat()["public_keys"]["rsa_pem"]["fingerprint"]);
    assert!(*again.find(fingerprint).unwrap() == *rsa);
    assert!(again.find("nope").is_none() && again.get(2).is_none());
    assert!(*again.get(0).unwrap() == *rsa);
    assert_eq!(again.iter().count(), 2);
    assert!(matches!(
        KeySet::from_jwks(r#"{"nokeys": 1}"#),
        Err(Error::JwksParse(_))
    ));
}

#[test]
fn memory_nonce_store_rejects_replay() {
    let mut verifier = Verifier::new().unwrap();
    verifier
        .set_nonce_store(Some(&NonceStore::memory(0, 0).unwrap()))
        .unwrap(); // store dropped: the verifier holds it
    let key = ed25519();
    let token = sign(&key, "u", NOW, "n");
    verify(&verifier, &token, &key, NOW).unwrap();
    assert!(matches!(
        verify(&verifier, &token, &key, NOW),
        Err(Error::NonceReplayed(_))
    ));
    verify(&verifier, &sign(&key, "u", NOW + 1, "n"), &key, NOW).unwrap();
    verify(&verifier, &sign(&key, "v", NOW, "n"), &key, NOW).unwrap();
    // A rejected token records nothing.
    assert!(matches!(
        verify(&verifier, &sign(&key, "w", NOW, "n"), &ed25519(), NOW),
        Err(Error::BadSignature(_))
    ));
    verify(&verifier, &sign(&key, "w", NOW, "n"), &key, NOW).unwrap();
}

#[test]
fn memory_nonce_store_direct() {
    let store = NonceStore::memory(40, 2).unwrap();
    store.check_and_record("u", NOW, "a", NOW).unwrap();
    assert!(matches!(
        store.check_and_record("u", NOW, "a", NOW),
        Err(Error::NonceReplayed(_))
    ));
    store.check_and_record("u", NOW, "b", NOW).unwrap();
    assert_eq!(store.len(), 2);
    assert!(matches!(
        store.check_and_record("u", NOW, "c", NOW),
        Err(Error::NonceStoreFull(_))
    ));
    store
        .check_and_record("u", NOW + 100, "c", NOW + 100)
        .unwrap(); // expired entries make room
}

#[test]
fn memory_nonce_store_user_cap() {
    let store = NonceStore::memory_with_user_cap(0, 10, 2).unwrap();
    store.check_and_record("mallory", NOW, "a", NOW).unwrap();
    store.check_and_record("mallory", NOW, "b", NOW).unwrap();
    assert!(matches!(
        store.check_and_record("mallory", NOW, "c", NOW),
        Err(Error::NonceStoreFull(_))
    ));
    assert!(matches!(
        store.check_and_record("mallory", NOW, "a", NOW),
        Err(Error::NonceReplayed(_))
    ));
    store.check_and_record("alice", NOW, "c", NOW).unwrap();
    assert_eq!(store.len(), 3);
    assert!(matches!(
        NonceStore::memory_with_user_cap(0, 10, 11),
        Err(Error::InvalidArgument(_))
    ));
}

/// A nonce store implemented in Rust, as a service would over Redis.
#[derive(Default)]
pub struct RustNonceStore {
    seen: Mutex<HashSet<(String, i64, String)>>,
    calls: AtomicUsize,
    fail: Mutex<Option<String>>,
}

impl NonceChecker for RustNonceStore {
    fn check_and_record(&self, username: &str, time: i64, nonce: &str) -> Result<bool, BoxError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Some(message) = self.fail.lock().unwrap().clone() {
            return Err(message.into());
        }
        Ok(self
            .seen
            .lock()
            .unwrap()
            .insert((username.to_string(), time, nonce.to_string())))
    }
}

#[test]
fn rust_nonce_store() {
    let impl_ = Arc::new(RustNonceStore::default());
    let store = NonceStore::new(impl_.clone()).unwrap();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_nonce_store(Some(&store)).unwrap();
    let key = ed25519();
    let token = sign(&key, "u", NOW, "n");
    verify(&verifier, &token, &key, NOW).unwrap();
    assert!(matches!(
        verify(&verifier, &token, &key, NOW),
        Err(Error::NonceReplayed(_))
    ));
    assert!(impl_
        .seen
        .lock()
        .unwrap()
        .contains(&("u".to_string(), NOW, "n".to_string())));
    assert_eq!(impl_.calls.load(Ordering::SeqCst), 2);
    // Not consulted for a token that fails earlier.
    assert!(matches!(
        verify(&verifier, &sign(&key, "u", NOW, "x"), &key, NOW + 60),
        Err(Error::TokenExpired(_))
    ));
    assert_eq!(impl_.calls.load(Ordering::SeqCst), 2);
    assert!(matches!(
        store.check_and_record("u", NOW, "n", NOW),
        Err(Error::NonceReplayed(_))
    ));
    assert_eq!(store.len(), 0);

    // A host error: CallbackFailed, with the host's text.
    *impl_.fail.lock().unwrap() = Some("redis down".into());
    match verify(&verifier, &sign(&key, "u", NOW, "y"), &key, NOW) {
        Err(Error::CallbackFailed(message)) => assert!(message.contains("redis down"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn closure_nonce_checker_passes_our_errors_through() {
    let store = NonceStore::new(|_: &str, _: i64, _: &str| -> Result<bool, BoxError> {
        Err(Box::new(Error::NonceReplayed("seen by the cluster".into())))
    })
    .unwrap();
    assert!(matches!(
        store.check_and_record("u", NOW, "n", NOW),
        Err(Error::NonceReplayed(_))
    ));
}

#[test]
fn panic_in_nonce_checker_is_resumed_in_the_caller() {
    let store = NonceStore::new(|_: &str, _: i64, _: &str| -> Result<bool, BoxError> {
        panic!("checker bug")
    })
    .unwrap();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_nonce_store(Some(&store)).unwrap();
    let key = ed25519();
    let token = sign(&key, "u", NOW, "n");
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        verify(&verifier, &token, &key, NOW)
    }))
    .unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"checker bug"));
    // The verifier is still usable afterwards, and the slot was cleared.
    assert!(matches!(
        verify(&verifier, &sign(&key, "u", NOW + 100, "n"), &key, NOW),
        Err(Error::TokenFromFuture(_))
    ));
}

/// The checker is dropped when the last reference to its store goes away (the verifier's).
#[test]
fn checker_dropped_with_last_reference() {
    struct Flag(Arc<AtomicBool>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = Flag(dropped.clone());
    let store = NonceStore::new(move |_: &str, _: i64, _: &str| -> Result<bool, BoxError> {
        let _ = &flag;
        Ok(true)
    })
    .unwrap();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_nonce_store(Some(&store)).unwrap();
    drop(store);
    assert!(
        !dropped.load(Ordering::SeqCst),
        "dropped while the verifier holds the store"
    );
    let key = ed25519();
    verify(&verifier, &sign(&key, "u", NOW, "n"), &key, NOW).unwrap();
    drop(verifier);
    assert!(dropped.load(Ordering::SeqCst));
}
