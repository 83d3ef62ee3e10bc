mod common;

use ajwt::{Alg, Error, ExportFormat, Key, KeyFormat, KeyType};
use common::*;
use serde_json::Value;

#[test]
fn runtime_version_matches_header() {
    assert_eq!(ajwt::version(), ajwt::HEADER_VERSION);
}

fn key_type_named(name: &str) -> KeyType {
    match name {
        "RSA" => KeyType::Rsa,
        "Ed25519" => KeyType::Ed25519,
        other => panic!("type {other}"),
    }
}

#[test]
fn compat_public_keys() {
    let keys = compat()["public_keys"].as_object().unwrap();
    assert_eq!(keys.len(), 4);
    for (name, vector) in keys {
        let key = Key::load_public(text(&vector["text"])).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!key.is_private(), "{name}");
        assert_eq!(
            key.key_type(),
            Some(key_type_named(text(&vector["type"]))),
            "{name}"
        );
        if let Some(fp) = vector["fingerprint"].as_str() {
            assert_eq!(key.fingerprint().unwrap(), fp, "{name}");
        }
        if let Some(algs) = vector["allowed_algorithms"].as_array() {
            let names: Vec<&str> = key.algorithms().iter().map(|a| a.name()).collect();
            let want: Vec<&str> = algs.iter().map(text).collect();
            assert_eq!(names, want, "{name}");
        }
        if let Some(comment) = vector["comment"].as_str() {
            assert_eq!(key.comment(), comment, "{name}");
        }
        if vector["jwk"].is_object() {
            let jwk: Value = serde_json::from_str(&key.jwk().unwrap()).unwrap();
            assert_eq!(jwk, vector["jwk"], "{name}");
            let again = Key::load_public_as(key.jwk().unwrap(), KeyFormat::Jwk).unwrap();
            assert!(again == key);
            assert_eq!(again.fingerprint().unwrap(), text(&vector["fingerprint"]));
        }
    }
}

#[test]
fn compat_invalid_public_keys_fail() {
    for (name, bad) in compat()["invalid_public_keys"].as_object().unwrap() {
        match Key::load_public(text(bad)) {
            Ok(_) => panic!("{name}: corrupted key loaded"),
            Err(e) => assert!(!matches!(e, Error::Internal(_)), "{name}: {e}"),
        }
    }
}

#[test]
fn compat_private_keys() {
    let plain = &compat()["private_keys"]["rsa_pkcs8_pem"];
    let key = compat_rsa();
    assert!(key.is_private());
    assert_eq!((key.key_type(), key.bits()), (Some(KeyType::Rsa), 2048));
    assert_eq!(key.public_pem().unwrap(), text(&plain["public_pem"]));
    assert_eq!(
        key.fingerprint().unwrap(),
        text(&compat()["public_keys"]["rsa_pem"]["fingerprint"])
    );

    let encrypted = &compat()["private_keys"]["rsa_traditional_encrypted_pem"];
    let pem = text(&encrypted["text"]);
    assert!(matches!(
        Key::load_private(pem, None),
        Err(Error::PasswordRequired(_))
    ));
    assert!(matches!(
        Key::load_private(pem, Some(b"nope")),
        Err(Error::WrongPassword(_))
    ));
    let key = Key::load_private(pem, Some(text(&encrypted["password"]).as_bytes())).unwrap();
    let want: Vec<&str> = text(&encrypted["public_openssh"])
        .split_whitespace()
        .take(2)
        .collect();
    let got = key.openssh().unwrap();
    assert!(
        got.starts_with(&format!("{} {}", want[0], want[1])),
        "{got}"
    );
}

#[test]
fn generate_export_reload() {
    for key_type in [
        KeyType::Rsa,
        KeyType::Ed25519,
        KeyType::Ed448,
        KeyType::EcP256,
        KeyType::EcP384,
        KeyType::EcP521,
    ] {
        let key = Key::generate(key_type).unwrap();
        assert!(key.is_private() && key.key_type() == Some(key_type));
        let public = key.to_public().unwrap();
        assert!(!public.is_private() && public == key);
        let fp = key.fingerprint().unwrap();
        assert_eq!(fp.len(), 64);
        assert_eq!(fp, public.fingerprint().unwrap());
        for (export, load) in [
            (ExportFormat::PublicPem, KeyFormat::Pem),
            (ExportFormat::PublicJwk, KeyFormat::Jwk),
            (ExportFormat::PublicOpenSsh, KeyFormat::OpenSsh),
        ] {
            let text = match key.export(export, None) {
                Ok(text) => text,
                Err(_) if export == ExportFormat::PublicOpenSsh => continue, // not every curve has one
                Err(e) => panic!("{key_type:?} {export:?}: {e}"),
            };
            assert!(
                Key::load_public_as(&text, load).unwrap() == key,
                "{key_type:?} {export:?}"
            );
        }
        let pkcs8 = key
            .export(ExportFormat::PrivatePkcs8, Some(b"s3cret"))
            .unwrap();
        assert!(pkcs8.contains("ENCRYPTED PRIVATE KEY"));
        assert!(matches!(
            Key::load_private(&pkcs8, Some(b"wrong")),
            Err(Error::WrongPassword(_))
        ));
        let again = Key::load_private(&pkcs8, Some(b"s3cret")).unwrap();
        assert!(again.is_private() && again == key);
        assert!(matches!(
            public.export(ExportFormat::PrivatePkcs8, None),
            Err(Error::NotPrivateKey(_))
        ));
    }
}

#[test]
fn generate_rsa_parameters() {
    let key = Key::generate_rsa(2304, 3).unwrap();
    let jwk: Value = serde_json::from_str(&key.jwk().unwrap()).unwrap();
    assert_eq!((key.bits(), jwk["e"].as_str()), (2304, Some("Aw")));
    assert!(matches!(
        Key::generate_rsa(1024, 0),
        Err(Error::KeyTooSmall(_))
    ));
}

#[test]
fn algorithms() {
    let rsa = compat_rsa();
    let ed = ed25519();
    assert!(rsa.supports(Alg::PS256) && !rsa.supports(Alg::EdDSA) && ed.supports(Alg::EdDSA));
    for name in [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ] {
        let alg: Alg = name.parse().unwrap();
        assert_eq!(alg.name(), name);
        assert_eq!(alg.to_string(), name);
    }
    for name in ["none", "HS256", "rs256", ""] {
        assert_eq!(Alg::from_name(name), None, "{name}");
    }
}

#[test]
fn empty_and_nul_inputs() {
    assert!(matches!(Key::load_public(""), Err(Error::KeyParse(_))));
    let pem = text(&compat()["public_keys"]["ed25519_pem"]["text"]);
    let with_nul = format!("{}\0{}", &pem[..20], &pem[20..]);
    assert!(Key::load_public(with_nul).is_err());
}

#[test]
fn errors_display_status_and_message() {
    let err = Key::load_private("-----BEGIN PRIVATE KEY-----\n", None).unwrap_err();
    assert!(err.status() >= 10 && err.status() < 20, "{err:?}");
    assert!(err.to_string().starts_with(err.status_text()));
    assert!(err.is_client_error());
    assert_eq!(
        Error::from_status(44, "x"),
        Error::NonceReplayed("x".into())
    );
    assert_eq!(Error::from_status(999, "x").status(), 999);
}

#[test]
fn keys_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Key>();
    assert_send_sync::<ajwt::KeySet>();
    assert_send_sync::<ajwt::Token>();
    assert_send_sync::<ajwt::Verifier>();
    assert_send_sync::<ajwt::NonceStore>();
    assert_send_sync::<ajwt::Authenticator>();
}
