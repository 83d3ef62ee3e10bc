//! The shared registered-claim and token-policy vectors (tests/vectors/claims), both policies.
mod common;

use ajwt::{Compat, Error, Key, Verifier};

fn status(verifier: &Verifier, key: &Key, token: &str, now: i64) -> u32 {
    let result = verifier
        .parse(token)
        .and_then(|parsed| verifier.verify(&parsed, key, now));
    match result {
        Ok(()) => 0,
        Err(e) => e.status(),
    }
}

#[test]
fn claim_vectors_under_both_policies() {
    let vectors = common::read_json("claims/claims-and-policies.json");
    let key = Key::load_public(vectors["public_key"].as_str().unwrap()).unwrap();
    let now = vectors["now"].as_i64().unwrap();
    let strict = Verifier::new().unwrap();
    let mut compat = Verifier::new().unwrap();
    compat.set_compat(Compat::V1x).unwrap();
    compat.set_leeway(0).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 50);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        assert_eq!(
            status(&strict, &key, token, now),
            case["strict"].as_u64().unwrap() as u32,
            "{name} strict"
        );
        assert_eq!(
            status(&compat, &key, token, now),
            case["compat_1x"].as_u64().unwrap() as u32,
            "{name} 1.x"
        );
    }
}

#[test]
fn claim_statuses_map_to_variants() {
    assert!(matches!(
        Error::from_status(60, "m"),
        Error::TokenExpPassed(_)
    ));
    assert!(matches!(
        Error::from_status(61, "m"),
        Error::TokenNotYetValid(_)
    ));
    assert!(matches!(
        Error::from_status(62, "m"),
        Error::TokenIatFuture(_)
    ));
    assert!(matches!(
        Error::from_status(63, "m"),
        Error::TokenAudience(_)
    ));
    assert!(matches!(
        Error::from_status(64, "m"),
        Error::TokenRegisteredClaim(_)
    ));
    assert!(Error::TokenExpPassed(String::new()).is_client_error());
    assert_eq!(
        Error::TokenAudience(String::new()).status_text(),
        "token has an audience (aud)"
    );
    let mut verifier = Verifier::new().unwrap();
    assert!(matches!(
        verifier.set_leeway(-1),
        Err(Error::InvalidArgument(_))
    ));
}
