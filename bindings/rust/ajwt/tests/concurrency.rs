//! One verifier (or authenticator) shared by threads: a replayed token is accepted once.
mod common;

use std::collections::HashSet;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use ajwt::{
    Authenticator, BoxError, Error, KeyFormat, KeyRef, KeySetRef, NonceStore, Repository, Verifier,
};
use common::*;

const THREADS: usize = 16;

/// Runs `f` on THREADS threads released together; returns (accepted, replayed).
fn race(f: impl Fn() -> ajwt::Result<()> + Sync) -> (usize, usize) {
    let barrier = Barrier::new(THREADS);
    let results: Vec<ajwt::Result<()>> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    f()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let replayed = results
        .iter()
        .filter(|r| matches!(r, Err(Error::NonceReplayed(_))))
        .count();
    assert_eq!(ok + replayed, THREADS, "unexpected failures: {results:?}");
    (ok, replayed)
}

#[test]
fn replay_across_threads_builtin_store() {
    let mut verifier = Verifier::new().unwrap();
    verifier
        .set_nonce_store(Some(&NonceStore::memory(0, 0).unwrap()))
        .unwrap();
    let key = ed25519();
    let public = key.to_public().unwrap();
    for round in 0..20 {
        let token = key.sign("alice", NOW).unwrap();
        let (ok, replayed) = race(|| verifier.verify_token(&token, &public, NOW).map(|_| ()));
        assert_eq!((ok, replayed), (1, THREADS - 1), "round {round}");
    }
}

#[test]
fn replay_across_threads_rust_store() {
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let store_seen = seen.clone();
    let store = NonceStore::new(
        move |user: &str, time: i64, nonce: &str| -> Result<bool, BoxError> {
            Ok(store_seen
                .lock()
                .unwrap()
                .insert((user.to_string(), time, nonce.to_string())))
        },
    )
    .unwrap();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_nonce_store(Some(&store)).unwrap();
    let key = ed25519();
    for round in 0..20 {
        let token = key.sign("alice", NOW).unwrap();
        let (ok, replayed) = race(|| verifier.verify_token(&token, &key, NOW).map(|_| ()));
        assert_eq!((ok, replayed), (1, THREADS - 1), "round {round}");
    }
    assert_eq!(seen.lock().unwrap().len(), 20);
}

struct Registry {
    keys: Vec<String>,
    used: Mutex<usize>,
}

impl Repository for Registry {
    fn user_keys(
        &self,
        username: &str,
        _kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> Result<(), BoxError> {
        if username == "alice" {
            for text in &self.keys {
                keys.add_text(text, KeyFormat::Any)?;
            }
        }
        Ok(())
    }

    fn key_used(&self, _username: &str, _key: &KeyRef) {
        *self.used.lock().unwrap() += 1;
    }
}

#[test]
fn authenticator_shared_by_threads() {
    let alice = ed25519();
    let repo = Registry {
        keys: vec![
            compat_rsa().public_pem().unwrap(),
            alice.public_pem().unwrap(),
        ],
        used: Mutex::new(0),
    };
    let mut verifier = Verifier::new().unwrap();
    verifier
        .set_nonce_store(Some(&NonceStore::memory(0, 0).unwrap()))
        .unwrap();
    let auth = Arc::new(Authenticator::new(&verifier, repo).unwrap());
    for round in 0..10 {
        let header = alice.sign_header("alice", NOW).unwrap();
        let (ok, replayed) = race(|| {
            let who = auth.authenticate(&header, NOW)?;
            assert_eq!(who.username(), "alice");
            Ok(())
        });
        assert_eq!((ok, replayed), (1, THREADS - 1), "round {round}");
    }
}

#[test]
fn distinct_tokens_on_many_threads_all_pass() {
    let mut verifier = Verifier::new().unwrap();
    let store = NonceStore::memory(0, 0).unwrap();
    verifier.set_nonce_store(Some(&store)).unwrap();
    let key = compat_rsa();
    let tokens: Vec<String> = (0..THREADS * 4)
        .map(|_| key.sign("alice", NOW).unwrap())
        .collect();
    thread::scope(|s| {
        for chunk in tokens.chunks(4) {
            let (verifier, key) = (&verifier, &key);
            s.spawn(move || {
                for token in chunk {
                    verifier.verify_token(token, key, NOW).unwrap();
                }
            });
        }
    });
    assert_eq!(store.len(), THREADS * 4);
}
