//! Per-verification cost through the Rust binding, in the format and with the cases of
//! c_verify.c (see bench/ffi/run.sh): "case ns_per_op" in process CPU time, best of several
//! batches.

use std::hint::black_box;

use ajwt::{Authenticator, BoxError, Key, KeySetRef, KeyType, Repository, Verifier};

const NOW: i64 = 1_700_000_000;

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

const CLOCK_PROCESS_CPUTIME_ID: i32 = 2; // Linux

/// CPU time of the whole process, as c_verify.c measures it.
fn cpu_nanos() -> f64 {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out pointer; the C library is linked anyway.
    unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e9 + ts.tv_nsec as f64
}

fn best(n: usize, batches: usize, mut op: impl FnMut()) -> f64 {
    (0..batches)
        .map(|_| {
            let start = cpu_nanos();
            for _ in 0..n {
                op();
            }
            (cpu_nanos() - start) / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

struct OneUser(Key);

impl Repository for OneUser {
    fn user_keys(
        &self,
        username: &str,
        _kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> Result<(), BoxError> {
        if username == "alice" {
            keys.add(&self.0)?;
        }
        Ok(())
    }
}

fn main() -> ajwt::Result<()> {
    let scale: f64 = std::env::args()
        .nth(1)
        .map_or(1.0, |s| s.parse().expect("scale"));
    let ed = Key::generate(KeyType::Ed25519)?;
    let rsa = Key::generate_rsa(2048, 0)?;
    let (ed_pub, rsa_pub) = (ed.to_public()?, rsa.to_public()?);
    let verifier = Verifier::new()?;
    let ed_token = ed.sign_with("alice", NOW, "bench-nonce", None)?;
    let rsa_token = rsa.sign_with("alice", NOW, "bench-nonce", None)?;
    let header = ajwt::auth_header(None, &ed_token)?;
    let auth = Authenticator::new(&verifier, OneUser(ed.to_public()?))?;

    let verify = |token: &str, key: &Key| {
        black_box(verifier.verify_token(token, key, NOW).unwrap());
    };
    let n = (2000.0 * scale) as usize + 1;
    // SAFETY: no arguments, no state.
    println!(
        "call {:.2}",
        best((2_000_000.0 * scale) as usize + 1, 7, || {
            black_box(unsafe { ajwt::sys::ajwt_version_number() });
        })
    );
    println!(
        "verify_ed25519 {:.1}",
        best(n, 7, || verify(&ed_token, &ed_pub))
    );
    println!(
        "verify_rsa2048 {:.1}",
        best(n, 7, || verify(&rsa_token, &rsa_pub))
    );
    println!(
        "auth_ed25519 {:.1}",
        best(n, 7, || {
            black_box(auth.authenticate(&header, NOW).unwrap());
        })
    );
    Ok(())
}
