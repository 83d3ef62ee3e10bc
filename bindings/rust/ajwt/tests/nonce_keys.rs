//! The shared nonce-key vectors (tests/vectors/nonce-keys.json): the key every language and
//! Django record in a shared store, so replicas in different languages refuse each other's replays.
mod common;

#[test]
fn nonce_keys_match_the_shared_vectors() {
    let vectors = common::read_json("nonce-keys.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let key = ajwt::nonce_key(
            common::text(&case["username"]),
            case["time"].as_i64().unwrap(),
            common::text(&case["nonce"]),
        )
        .unwrap();
        assert_eq!(key, common::text(&case["key"]), "{}", case["name"]);
        assert_eq!(key.len(), ajwt::sys::AJWT_NONCE_KEY_SIZE);
    }
}

#[test]
fn the_pending_key_is_the_shared_key_and_its_ttl_follows_the_tolerance() {
    struct NoCallbacks;
    impl ajwt::Repository for NoCallbacks {
        fn user_keys(
            &self,
            _: &str,
            _: Option<&str>,
            _: &mut ajwt::KeySetRef,
        ) -> Result<(), ajwt::BoxError> {
            Ok(())
        }
    }
    let alice = common::ed25519();
    let mut verifier = ajwt::Verifier::new().unwrap();
    verifier.set_tolerance(5).unwrap();
    assert_eq!(verifier.nonce_ttl(), 11);
    let auth = ajwt::Authenticator::new(&verifier, NoCallbacks).unwrap();
    let token = alice.sign_with("alice", common::NOW, "n1", None).unwrap();
    let mut pending = auth
        .begin(&ajwt::auth_header(None, &token).unwrap())
        .unwrap();
    let mut keys = ajwt::KeySet::new().unwrap();
    keys.add(&alice.to_public().unwrap()).unwrap();
    pending
        .verify(Some(&keys), common::NOW, &ajwt::Request::default())
        .unwrap();
    assert_eq!(
        pending.nonce_key(),
        ajwt::nonce_key("alice", common::NOW, "n1").unwrap()
    );
    assert_eq!(pending.nonce_ttl(), 11);
}
