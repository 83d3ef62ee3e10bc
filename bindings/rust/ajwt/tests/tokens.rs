mod common;

use ajwt::{auth_header, new_nonce, Alg, Error, Token, Verifier};
use common::*;
use serde_json::Value;

/// A token and a test of the error it must give.
type Case = (String, fn(&Error) -> bool);

fn segment(token: &str, index: usize) -> Value {
    serde_json::from_slice(&unb64(token.split('.').nth(index).unwrap())).unwrap()
}

/// The token layout of asymmetric-jwt-auth 1.x.
#[test]
fn sign_compat_layout() {
    let example = &compat()["token"]["payload_example"];
    let (user, time, nonce) = (
        text(&example["username"]),
        example["time"].as_i64().unwrap(),
        text(&example["nonce"]),
    );
    for (key, alg) in [(compat_rsa(), "RS512"), (ed25519(), "EdDSA")] {
        let token = sign(&key, user, time, nonce);
        assert_eq!(token.split('.').count(), 3);
        let header = segment(&token, 0);
        assert_eq!(header["alg"], alg);
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["kid"].as_str().unwrap(), key.fingerprint().unwrap());
        assert_eq!(
            segment(&token, 1),
            serde_json::json!({"username": user, "time": time, "nonce": nonce})
        );
    }
}

#[test]
fn parse_and_claimed_username() {
    let key = compat_rsa();
    let token = Token::parse(sign(&key, "guido", 1439216312, "n0nce")).unwrap();
    assert_eq!(
        (token.username(), token.time(), token.nonce()),
        ("guido", 1439216312, "n0nce")
    );
    assert_eq!(token.alg(), Some(Alg::RS512));
    assert_eq!(
        token.kid(),
        Some(text(&compat()["public_keys"]["rsa_pem"]["fingerprint"]))
    );
}

#[test]
fn parse_rejects_malformed() {
    let good = sign(&ed25519(), "u", NOW, "n");
    let parts: Vec<&str> = good.split('.').collect();
    let header = b64(r#"{"alg":"EdDSA","typ":"JWT"}"#);
    let cases: Vec<Case> = vec![
        ("".into(), |e| matches!(e, Error::TokenFormat(_))),
        ("a.b".into(), |e| matches!(e, Error::TokenFormat(_))),
        (format!("{}.{}", parts[0], parts[1]), |e| {
            matches!(e, Error::TokenFormat(_))
        }),
        (format!("!!.{}.sig", parts[1]), |e| {
            matches!(e, Error::TokenBase64(_))
        }),
        ("a".repeat(9000), |e| matches!(e, Error::TokenTooLarge(_))),
        (
            format!(
                "{header}.{}.c2ln",
                b64(r#"{"username":"u","time":1,"nonce":"n""#)
            ),
            |e| matches!(e, Error::TokenJson(_)),
        ),
        (
            format!("{}.{}.c2ln", b64(r#"{"typ":"JWT"}"#), parts[1]),
            |e| matches!(e, Error::TokenHeader(_)),
        ),
        (
            format!(
                "{header}.{}.c2ln",
                b64(r#"{"username":"","time":1,"nonce":"n"}"#)
            ),
            |e| matches!(e, Error::TokenClaims(_)),
        ),
        (
            format!(
                "{header}.{}.c2ln",
                b64(r#"{"username":7,"time":1,"nonce":"n"}"#)
            ),
            |e| matches!(e, Error::TokenClaims(_)),
        ),
        (
            format!(
                "{header}.{}.c2ln",
                b64(r#"{"username":"u","time":"1","nonce":"n"}"#)
            ),
            |e| matches!(e, Error::TokenTime(_)),
        ),
    ];
    for (token, expected) in cases {
        match Token::parse(&token) {
            Ok(_) => panic!("{token:.40} parsed"),
            Err(e) => assert!(expected(&e), "{token:.60}: {e:?}"),
        }
    }
}

#[test]
fn authorization_header() {
    assert_eq!(auth_header(None, "a.b.c").unwrap(), "JWT a.b.c");
    assert_eq!(
        auth_header(Some("Bearer"), "a.b.c").unwrap(),
        "Bearer a.b.c"
    );
    let header = ed25519().sign_header("alice", NOW).unwrap();
    let token = Token::parse(header.strip_prefix("JWT ").expect("JWT prefix")).unwrap();
    assert_eq!((token.username(), token.time()), ("alice", NOW));
}

#[test]
fn nonces() {
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let nonce = new_nonce().unwrap();
        assert_eq!(nonce.len(), 11);
        assert!(
            nonce
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "{nonce}"
        );
        assert!(seen.insert(nonce));
    }
    let key = ed25519();
    let a = Token::parse(key.sign("u", NOW).unwrap()).unwrap();
    let b = Token::parse(key.sign("u", NOW).unwrap()).unwrap();
    assert_eq!(a.nonce().len(), 11);
    assert_ne!(a.nonce(), b.nonce());
}

#[test]
fn sign_with_algorithm_and_errors() {
    let key = compat_rsa();
    for alg in [Alg::RS256, Alg::RS384, Alg::PS256] {
        let token = Token::parse(key.sign_with("u", NOW, "n", Some(alg)).unwrap()).unwrap();
        assert_eq!(token.alg(), Some(alg));
    }
    assert!(matches!(
        key.sign_with("u", NOW, "n", Some(Alg::EdDSA)),
        Err(Error::AlgorithmNotAllowed(_))
    ));
    assert!(matches!(
        key.to_public().unwrap().sign("u", NOW),
        Err(Error::NotPrivateKey(_))
    ));
    // An empty username is signed (as asymmetric-jwt-auth 1.x signs it); parsing refuses it.
    let empty = key.sign("", NOW).unwrap();
    assert!(matches!(
        Verifier::new().unwrap().parse(&empty),
        Err(Error::TokenClaims(_))
    ));
}

#[test]
fn raw_signature() {
    let key = ed25519();
    let token = sign(&key, "u", NOW, "n");
    let dot = token.rfind('.').unwrap();
    let mut signature = unb64(&token[dot + 1..]);
    key.verify_signature(Alg::EdDSA, &token.as_bytes()[..dot], &signature)
        .unwrap();
    signature[0] ^= 1;
    assert!(matches!(
        key.verify_signature(Alg::EdDSA, &token.as_bytes()[..dot], &signature),
        Err(Error::BadSignature(_))
    ));
}
