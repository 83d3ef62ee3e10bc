//! The two-phase authenticator with async lookups (AsyncAuthenticator, Pending).
mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use ajwt::{AsyncAuthenticator, Binding, Error, NonceOutcome, NonceStore, Request, Verifier};
use common::{ed25519, MemoryNonces, Users, NOW};

fn header(key: &ajwt::Key, user: &str, time: i64) -> String {
    key.sign_header(user, time).unwrap()
}

#[tokio::test]
async fn accepts_and_records_the_nonce_in_the_async_store() {
    let alice = ed25519();
    let nonces = Arc::new(MemoryNonces::default());
    let verifier = Verifier::new().unwrap();
    let auth = AsyncAuthenticator::new(&verifier, Users::default().with("alice", &alice))
        .unwrap()
        .with_nonce_store(nonces.clone());
    let h = header(&alice, "alice", NOW);
    let token = ajwt::Token::parse(&h[4..]).unwrap();

    let who = auth
        .authenticate(&h, NOW + 1, &Request::default())
        .await
        .unwrap();
    assert_eq!(who.username(), "alice");
    let expected_key = ajwt::nonce_key("alice", NOW, token.nonce()).unwrap();
    assert_eq!(
        *nonces.seen.lock().unwrap(),
        vec![(expected_key, verifier.nonce_ttl())]
    );
    assert_eq!(verifier.nonce_ttl(), 2 * ajwt::DEFAULT_TOLERANCE + 1);

    let replay = auth
        .authenticate(&h, NOW + 2, &Request::default())
        .await
        .unwrap_err();
    assert!(matches!(replay.error, Error::NonceReplayed(_)), "{replay}");
    assert_eq!(replay.claimed_username.as_deref(), Some("alice"));
}

#[tokio::test]
async fn refusals_keep_the_status_and_the_claimed_user() {
    let alice = ed25519();
    let auth = AsyncAuthenticator::new(
        &Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
    )
    .unwrap()
    .with_nonce_store(MemoryNonces::default());
    let none = Request::default();

    let missing = auth.authenticate("", NOW, &none).await.unwrap_err();
    assert!(matches!(missing.error, Error::NoAuthHeader(_)), "{missing}");
    assert_eq!(missing.claimed_username, None);

    let garbage = auth
        .authenticate("JWT not.a.token", NOW, &none)
        .await
        .unwrap_err();
    assert!(garbage.error.is_client_error(), "{garbage}");

    let mallory = auth
        .authenticate(&header(&alice, "mallory\n", NOW), NOW, &none)
        .await
        .unwrap_err();
    assert!(matches!(mallory.error, Error::UnknownUser(_)), "{mallory}");
    // Escaped in the text: a claimed username cannot start a new log line.
    assert!(
        mallory
            .to_string()
            .ends_with(r#"(claimed user "mallory\n")"#),
        "{mallory}"
    );

    let other_key = auth
        .authenticate(&header(&ed25519(), "alice", NOW), NOW, &none)
        .await
        .unwrap_err();
    assert!(
        matches!(
            other_key.error,
            Error::BadSignature(_) | Error::NoMatchingKey(_)
        ),
        "{other_key}"
    );

    let stale = auth
        .authenticate(&header(&alice, "alice", NOW - 60), NOW, &none)
        .await
        .unwrap_err();
    assert!(matches!(stale.error, Error::TokenExpired(_)), "{stale}");
}

#[tokio::test]
async fn a_failing_store_refuses_the_request() {
    let alice = ed25519();
    let nonces = Arc::new(MemoryNonces::default());
    let auth = AsyncAuthenticator::new(
        &Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
    )
    .unwrap()
    .with_nonce_store(nonces.clone());
    nonces.failing.store(true, Ordering::SeqCst);
    let refused = auth
        .authenticate(&header(&alice, "alice", NOW), NOW, &Request::default())
        .await
        .unwrap_err();
    assert!(
        matches!(refused.error, Error::CallbackFailed(_)),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("store unreachable"),
        "{refused}"
    );
    nonces.failing.store(false, Ordering::SeqCst);
    auth.authenticate(&header(&alice, "alice", NOW), NOW, &Request::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn without_an_async_store_the_verifier_store_records() {
    let alice = ed25519();
    let mut verifier = Verifier::new().unwrap();
    verifier
        .set_nonce_store(Some(&NonceStore::memory(0, 0).unwrap()))
        .unwrap();
    let auth = AsyncAuthenticator::new(&verifier, Users::default().with("alice", &alice)).unwrap();
    let h = header(&alice, "alice", NOW);
    auth.authenticate(&h, NOW, &Request::default())
        .await
        .unwrap();
    let replay = auth
        .authenticate(&h, NOW, &Request::default())
        .await
        .unwrap_err();
    assert!(matches!(replay.error, Error::NonceReplayed(_)), "{replay}");
}

#[tokio::test]
async fn binding_policy_reaches_the_async_path() {
    let alice = ed25519();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_binding(Binding::Required).unwrap();
    let auth = AsyncAuthenticator::new(&verifier, Users::default().with("alice", &alice)).unwrap();
    assert!(auth.needs_request());
    let request = Request {
        method: Some("POST"),
        target: Some("/things?a=1"),
        body: Some(b"{}"),
        audience: None,
    };
    let token = alice.sign_request("alice", NOW, None, &request).unwrap();
    let h = ajwt::auth_header(None, &token).unwrap();
    auth.authenticate(&h, NOW, &request).await.unwrap();
    let other_body = Request {
        body: Some(b"{\"x\":1}"),
        ..request
    };
    let token = alice.sign_request("alice", NOW, None, &request).unwrap();
    let refused = auth
        .authenticate(&ajwt::auth_header(None, &token).unwrap(), NOW, &other_body)
        .await
        .unwrap_err();
    assert!(matches!(refused.error, Error::BindingBody(_)), "{refused}");
    let unbound = auth
        .authenticate(&header(&alice, "alice", NOW), NOW, &request)
        .await
        .unwrap_err();
    assert!(
        matches!(unbound.error, Error::BindingRequired(_)),
        "{unbound}"
    );
}

#[test]
fn pending_phases_by_hand() {
    let alice = ed25519();
    let auth = ajwt::Authenticator::new(&Verifier::new().unwrap(), common_repo()).unwrap();
    let mut pending = auth.begin(&header(&alice, "alice", NOW)).unwrap();
    assert_eq!(pending.username(), "alice");
    assert_eq!(pending.kid(), Some(alice.fingerprint().unwrap().as_str()));
    let mut keys = ajwt::KeySet::new().unwrap();
    keys.add(&alice.to_public().unwrap()).unwrap();
    pending
        .verify(Some(&keys), NOW, &Request::default())
        .unwrap();
    assert!(pending.nonce_key().starts_with("ajwt-nonce-"));
    assert_eq!(pending.nonce_key().len(), ajwt::sys::AJWT_NONCE_KEY_SIZE);
    let who = pending.finish(NonceOutcome::Recorded).unwrap();
    assert_eq!(who.username(), "alice");

    let mut replayed = auth.begin(&header(&alice, "alice", NOW)).unwrap();
    replayed
        .verify(Some(&keys), NOW, &Request::default())
        .unwrap();
    let err = replayed.finish(NonceOutcome::AlreadyRecorded).unwrap_err();
    assert!(matches!(err, Error::NonceReplayed(_)), "{err}");

    let mut unknown = auth.begin(&header(&alice, "bob", NOW)).unwrap();
    let err = unknown.verify(None, NOW, &Request::default()).unwrap_err();
    assert!(matches!(err, Error::UnknownUser(_)), "{err}");
}

fn common_repo() -> impl ajwt::Repository {
    struct NoUsers;
    impl ajwt::Repository for NoUsers {
        fn user_keys(
            &self,
            _: &str,
            _: Option<&str>,
            _: &mut ajwt::KeySetRef,
        ) -> Result<(), ajwt::BoxError> {
            Ok(())
        }
    }
    NoUsers
}
