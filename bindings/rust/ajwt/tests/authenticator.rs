mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use ajwt::{
    Authenticator, Binding, BoxError, Error, Key, KeyFormat, KeyRef, KeySet, KeySetRef, KeyType,
    NonceStore, Repository, Request, Verifier,
};
use common::*;

/// An in-memory key registry: the repositories a service implements in Rust.
#[derive(Default)]
pub struct MemRepo {
    pub keys: RwLock<HashMap<String, Vec<String>>>, // username -> public key texts
    pub jwks: RwLock<HashMap<String, String>>,      // username -> JWK Set of a trusted endpoint
    pub used: Mutex<Vec<String>>,                   // "username fingerprint" per request
    pub kids: Mutex<Vec<Option<String>>>,
    pub jwks_asks: Mutex<usize>,
    pub fail: Mutex<Option<BoxErrorFactory>>,
}

pub type BoxErrorFactory = fn() -> BoxError;

impl MemRepo {
    pub fn register(&self, username: &str, key: &KeyRef) {
        self.keys
            .write()
            .unwrap()
            .entry(username.into())
            .or_default()
            .push(key.public_pem().unwrap());
    }
}

impl Repository for MemRepo {
    fn user_exists(&self, username: &str) -> Result<bool, BoxError> {
        if let Some(make) = *self.fail.lock().unwrap() {
            return Err(make());
        }
        Ok(self.keys.read().unwrap().contains_key(username))
    }

    fn user_keys(
        &self,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> Result<(), BoxError> {
        self.kids.lock().unwrap().push(kid.map(String::from));
        for text in self
            .keys
            .read()
            .unwrap()
            .get(username)
            .into_iter()
            .flatten()
        {
            keys.add_text(text, KeyFormat::Any)?;
        }
        Ok(())
    }

    fn user_jwks(
        &self,
        username: &str,
        _kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> Result<(), BoxError> {
        *self.jwks_asks.lock().unwrap() += 1;
        if let Some(doc) = self.jwks.read().unwrap().get(username) {
            keys.add_jwks(doc)?;
        }
        Ok(())
    }

    fn key_used(&self, username: &str, key: &KeyRef) {
        self.used
            .lock()
            .unwrap()
            .push(format!("{username} {}", key.fingerprint().unwrap()));
    }
}

pub struct Fixture {
    pub repo: Arc<MemRepo>,
    pub auth: Authenticator,
    pub alice: Key,
}

pub fn fixture() -> Fixture {
    let repo = Arc::new(MemRepo::default());
    let alice = ed25519();
    repo.register("alice", &compat_rsa()); // another key of hers, tried after the kid match
    repo.register("alice", &alice);
    let mut verifier = Verifier::new().unwrap();
    verifier
        .set_nonce_store(Some(&NonceStore::memory(0, 0).unwrap()))
        .unwrap();
    let auth = Authenticator::new(&verifier, repo.clone()).unwrap();
    Fixture { repo, auth, alice }
}

/// Name, header, and a test of the error it must give.
type Case = (&'static str, String, fn(&Error) -> bool);

fn header(key: &Key, username: &str, time: i64) -> String {
    key.sign_header(username, time).unwrap()
}

#[test]
fn authenticate() {
    let f = fixture();
    let h = header(&f.alice, "alice", NOW);
    let ok = f.auth.authenticate(&h, NOW + 5).unwrap();
    let fingerprint = f.alice.fingerprint().unwrap();
    assert_eq!(ok.username(), "alice");
    assert_eq!(
        (ok.token().time(), ok.token().kid()),
        (NOW, Some(fingerprint.as_str()))
    );
    assert!(*ok.key() == f.alice && !ok.key().is_private());
    assert_eq!(
        *f.repo.used.lock().unwrap(),
        vec![format!("alice {fingerprint}")]
    );
    assert_eq!(
        f.repo.kids.lock().unwrap()[0].as_deref(),
        Some(fingerprint.as_str())
    );
    assert!(matches!(
        f.auth.authenticate(&h, NOW + 5),
        Err(Error::NonceReplayed(_))
    ));
}

#[test]
fn authenticate_failures() {
    let f = fixture();
    let token = sign(&f.alice, "alice", NOW, "n1");
    let stranger = ed25519();
    let p256 = Key::generate(KeyType::EcP256).unwrap();
    let cases: Vec<Case> = vec![
        ("no header", String::new(), |e| {
            matches!(e, Error::NoAuthHeader(_))
        }),
        ("other method", format!("Bearer {token}"), |e| {
            matches!(e, Error::WrongAuthMethod(_))
        }),
        ("garbage", "JWT not-a-token".into(), |e| {
            matches!(e, Error::TokenFormat(_))
        }),
        ("unknown user", header(&f.alice, "mallory", NOW), |e| {
            matches!(e, Error::UnknownUser(_))
        }),
        ("key not hers", header(&stranger, "alice", NOW), |e| {
            matches!(e, Error::BadSignature(_))
        }),
        ("no key of that type", header(&p256, "alice", NOW), |e| {
            matches!(e, Error::NoMatchingKey(_))
        }),
        ("too old", header(&f.alice, "alice", NOW - 21), |e| {
            matches!(e, Error::TokenExpired(_))
        }),
        (
            "from the future",
            header(&f.alice, "alice", NOW + 21),
            |e| matches!(e, Error::TokenFromFuture(_)),
        ),
    ];
    for (name, h, expected) in cases {
        let err = f.auth.authenticate(&h, NOW).unwrap_err();
        assert!(expected(&err), "{name}: {err:?}");
        assert!(err.is_client_error(), "{name}");
    }
    assert!(f.repo.used.lock().unwrap().is_empty());
    f.auth.authenticate(&format!("jwt {token}"), NOW).unwrap(); // the method word is case-insensitive
}

#[test]
fn repository_errors() {
    let f = fixture();
    *f.repo.fail.lock().unwrap() = Some(|| "database unavailable".into());
    match f.auth.authenticate(&header(&f.alice, "alice", NOW), NOW) {
        Err(e @ Error::CallbackFailed(_)) => {
            assert!(e.message().contains("database unavailable"), "{e}");
            assert!(!e.is_client_error());
        }
        other => panic!("{other:?}"),
    }
    *f.repo.fail.lock().unwrap() = Some(|| Box::new(Error::UnknownUser("blocked".into())));
    assert!(matches!(
        f.auth.authenticate(&header(&f.alice, "alice", NOW), NOW),
        Err(Error::UnknownUser(_))
    ));
}

struct KeysOnly(Arc<MemRepo>);

impl Repository for KeysOnly {
    fn user_keys(
        &self,
        username: &str,
        kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> Result<(), BoxError> {
        self.0.user_keys(username, kid, keys)
    }
}

#[test]
fn default_trait_methods() {
    let repo = Arc::new(MemRepo::default());
    let alice = ed25519();
    repo.register("alice", &alice);
    let auth = Authenticator::new(&Verifier::new().unwrap(), KeysOnly(repo)).unwrap();
    auth.authenticate(&header(&alice, "alice", NOW), NOW)
        .unwrap();
    // Every user exists by default; one without keys has no matching key.
    assert!(matches!(
        auth.authenticate(&header(&alice, "nobody", NOW), NOW),
        Err(Error::NoMatchingKey(_))
    ));
}

#[test]
fn jwks_fallback() {
    let f = fixture();
    let rotated = ed25519();
    let mut set = KeySet::new().unwrap();
    set.add(&rotated.to_public().unwrap()).unwrap();
    f.repo
        .jwks
        .write()
        .unwrap()
        .insert("alice".into(), set.to_jwks().unwrap());

    f.auth
        .authenticate(&header(&f.alice, "alice", NOW), NOW)
        .unwrap();
    assert_eq!(
        *f.repo.jwks_asks.lock().unwrap(),
        0,
        "asked although a registered key matched the kid"
    );
    let ok = f
        .auth
        .authenticate(&header(&rotated, "alice", NOW), NOW)
        .unwrap();
    assert!(*ok.key() == rotated);
    assert_eq!(*f.repo.jwks_asks.lock().unwrap(), 1);
}

#[test]
fn custom_method() {
    let mut f = fixture();
    f.auth.set_method("Signed").unwrap();
    let token = sign(&f.alice, "alice", NOW, "n");
    assert!(matches!(
        f.auth.authenticate(&format!("JWT {token}"), NOW),
        Err(Error::WrongAuthMethod(_))
    ));
    f.auth
        .authenticate(&format!("Signed {token}"), NOW)
        .unwrap();
    assert!(matches!(
        f.auth.set_method("two words"),
        Err(Error::InvalidArgument(_))
    ));
}

struct Panicking;

impl Repository for Panicking {
    fn user_keys(&self, _: &str, _: Option<&str>, _: &mut KeySetRef) -> Result<(), BoxError> {
        panic!("bug in the repository")
    }
}

#[test]
fn panic_in_repository_is_resumed_in_the_caller() {
    let auth = Authenticator::new(&Verifier::new().unwrap(), Panicking).unwrap();
    let h = header(&ed25519(), "alice", NOW);
    let payload =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| auth.authenticate(&h, NOW)))
            .unwrap_err();
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"bug in the repository")
    );
}

/// The repository is dropped with the authenticator.
#[test]
fn repository_dropped_with_authenticator() {
    let repo = Arc::new(MemRepo::default());
    let auth = Authenticator::new(&Verifier::new().unwrap(), repo.clone()).unwrap();
    assert_eq!(Arc::strong_count(&repo), 2);
    drop(auth);
    assert_eq!(Arc::strong_count(&repo), 1);
}

#[test]
fn authenticate_request_applies_the_binding_policy() {
    let repo = Arc::new(MemRepo::default());
    let alice = ed25519();
    repo.register("alice", &alice);
    let mut verifier = Verifier::new().unwrap();
    verifier.set_binding(Binding::Required).unwrap();
    let auth = Authenticator::new(&verifier, repo).unwrap();
    let bound = Request {
        method: Some("POST"),
        target: Some("/orders?page=2"),
        body: Some(br#"{"n":1}"#),
        audience: None,
    };
    let token = alice.sign_request("alice", NOW, None, &bound).unwrap();
    let h = format!("JWT {token}");
    let refused = |req: Request| auth.authenticate_request(&h, NOW, &req).err();
    assert!(matches!(
        refused(Request {
            method: Some("PUT"),
            ..bound
        }),
        Some(Error::BindingMethod(_))
    ));
    assert!(matches!(
        refused(Request {
            target: Some("/orders?page=3"),
            ..bound
        }),
        Some(Error::BindingTarget(_))
    ));
    assert!(matches!(
        refused(Request {
            body: Some(br#"{"n":2}"#),
            ..bound
        }),
        Some(Error::BindingBody(_))
    ));
    let ok = auth.authenticate_request(&h, NOW, &bound).unwrap();
    assert!(ok.username() == "alice" && *ok.key() == alice);
    assert!(matches!(
        auth.authenticate(&h, NOW),
        Err(Error::BindingMethod(_))
    ));
    assert!(matches!(
        auth.authenticate_request(&header(&alice, "alice", NOW), NOW, &bound),
        Err(Error::BindingRequired(_))
    ));
}
