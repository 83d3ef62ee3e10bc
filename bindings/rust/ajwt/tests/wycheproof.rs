//! The Wycheproof signature vectors through the primitive tokens use: every "valid" case
//! verifies, every "invalid" one does not ("acceptable" may go either way).
mod common;

use ajwt::{Alg, Key, KeyFormat};
use common::*;

const FILES: [(&str, Alg); 12] = [
    ("ed25519_test.json", Alg::EdDSA),
    ("ed448_test.json", Alg::EdDSA),
    ("rsa_signature_2048_sha256_test.json", Alg::RS256),
    ("rsa_signature_2048_sha384_test.json", Alg::RS384),
    ("rsa_signature_2048_sha512_test.json", Alg::RS512),
    ("rsa_signature_3072_sha256_test.json", Alg::RS256),
    ("rsa_signature_4096_sha512_test.json", Alg::RS512),
    ("rsa_pss_2048_sha256_mgf1_32_test.json", Alg::PS256),
    ("rsa_pss_2048_sha384_mgf1_48_test.json", Alg::PS384),
    ("rsa_pss_4096_sha512_mgf1_64_test.json", Alg::PS512),
    ("ecdsa_secp256r1_sha256_p1363_test.json", Alg::ES256),
    ("ecdsa_secp384r1_sha384_p1363_test.json", Alg::ES384),
];

#[test]
fn wycheproof_signatures() {
    let mut failures = Vec::new();
    for (file, alg) in FILES {
        let doc = read_json(&format!("wycheproof/{file}"));
        let mut checked = 0;
        for group in doc["testGroups"].as_array().unwrap() {
            let tests = group["tests"].as_array().unwrap();
            let key = match Key::load_public_as(text(&group["publicKeyPem"]), KeyFormat::Pem) {
                Ok(key) => key,
                Err(e) => {
                    // Only a key refused by policy, and then no case may require it.
                    for case in tests.iter().filter(|c| c["result"] == "valid") {
                        failures.push(format!("{file} #{}: key refused: {e}", case["tcId"]));
                    }
                    continue;
                }
            };
            for case in tests {
                let verified = key
                    .verify_signature(alg, &hex(text(&case["msg"])), &hex(text(&case["sig"])))
                    .is_ok();
                match (case["result"].as_str().unwrap(), verified) {
                    ("valid", false) => {
                        failures.push(format!("{file} #{}: valid, rejected", case["tcId"]))
                    }
                    ("invalid", true) => {
                        failures.push(format!("{file} #{}: invalid, verified", case["tcId"]))
                    }
                    _ => {}
                }
                checked += 1;
            }
        }
        assert!(checked > 0, "{file}: no cases");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
