//! Request binding: the shared vectors (tests/vectors/binding) and tampered requests.
mod common;

use ajwt::{Binding, Error, Key, KeyType, Request, Verifier};

fn status(result: ajwt::Result<()>) -> u32 {
    match result {
        Ok(()) => 0,
        Err(e) => e.status(),
    }
}

#[test]
fn binding_vectors() {
    let vectors = common::read_json("binding/request-binding.json");
    let key = Key::load_public(vectors["public_key"].as_str().unwrap()).unwrap();
    let now = vectors["now"].as_i64().unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut verifier = Verifier::new().unwrap();
        verifier
            .set_binding(match case["policy"].as_str().unwrap() {
                "off" => Binding::Off,
                "when-present" => Binding::WhenPresent,
                _ => Binding::Required,
            })
            .unwrap();
        verifier.set_audience(case["audience"].as_str()).unwrap();
        let request = &case["request"];
        let req = Request {
            method: request["method"].as_str(),
            target: request["target"].as_str(),
            body: request["body"].as_str().map(str::as_bytes),
            audience: None,
        };
        let parsed = verifier.parse(case["token"].as_str().unwrap()).unwrap();
        let got = status(verifier.verify_request(&parsed, &key, now, &req));
        assert_eq!(got, case["status"].as_u64().unwrap() as u32, "{name}");
    }
}

#[test]
fn tampered_requests_are_refused() {
    let key = Key::generate(KeyType::Ed25519).unwrap();
    let public = key.to_public().unwrap();
    let now = 1_700_000_000;
    let bound = Request {
        method: Some("PUT"),
        target: Some("/items/1?x=1"),
        body: Some(b"{}"),
        audience: Some("inventory"),
    };
    let mut verifier = Verifier::new().unwrap();
    verifier.set_binding(Binding::Required).unwrap();
    verifier.set_audience(Some("inventory")).unwrap();
    let check = |req: Request| {
        let token = key.sign_request("alice", now, None, &bound).unwrap();
        let parsed = verifier.parse(&token).unwrap();
        verifier.verify_request(&parsed, &public, now, &req)
    };
    assert_eq!(check(bound), Ok(()));
    assert!(matches!(
        check(Request {
            method: Some("GET"),
            ..bound
        }),
        Err(Error::BindingMethod(_))
    ));
    assert!(matches!(
        check(Request {
            target: Some("/items/2?x=1"),
            ..bound
        }),
        Err(Error::BindingTarget(_))
    ));
    assert!(matches!(
        check(Request {
            target: Some("/items/1?x=2"),
            ..bound
        }),
        Err(Error::BindingTarget(_))
    ));
    assert!(matches!(
        check(Request {
            body: Some(b"[]"),
            ..bound
        }),
        Err(Error::BindingBody(_))
    ));
    let unbound = key.sign("alice", now).unwrap();
    let parsed = verifier.parse(&unbound).unwrap();
    assert!(matches!(
        verifier.verify_request(&parsed, &public, now, &bound),
        Err(Error::BindingRequired(_))
    ));
    let mut other = Verifier::new().unwrap();
    other.set_binding(Binding::WhenPresent).unwrap();
    other.set_audience(Some("billing")).unwrap();
    let token = key.sign_request("alice", now, None, &bound).unwrap();
    let parsed = other.parse(&token).unwrap();
    assert!(matches!(
        other.verify_request(&parsed, &public, now, &bound),
        Err(Error::BindingAudience(_))
    ));
}
