//! The core JWKS cache driven by the reqwest fetcher over a real loopback HTTP endpoint:
//! first fetch, rotation picked up, stale keys served while the endpoint fails.
#![cfg(all(feature = "jwks", feature = "tower"))]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ajwt::{
    AsyncAuthenticator, BoxError, BoxFuture, Error, JwksAction, JwksCache, Key, KeyRepository,
    KeySet, Request, ReqwestJwksFetcher, Verifier,
};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use common::ed25519;

/// A JWKS endpoint whose document the test rewrites; `None` answers 503.
#[derive(Clone, Default)]
struct Endpoint {
    document: Arc<Mutex<Option<String>>>,
    hits: Arc<AtomicUsize>,
}

impl Endpoint {
    fn publish(&self, keys: &[&Key]) {
        let members: Vec<String> = keys.iter().map(|k| k.jwk().unwrap()).collect();
        *self.document.lock().unwrap() = Some(format!("{{\"keys\":[{}]}}", members.join(",")));
    }

    fn fail(&self) {
        *self.document.lock().unwrap() = None;
    }

    async fn serve(&self) -> String {
        let endpoint = self.clone();
        let app = Router::new().route(
            "/.well-known/jwks.json",
            get(move || async move {
                endpoint.hits.fetch_add(1, Ordering::SeqCst);
                match endpoint.document.lock().unwrap().clone() {
                    Some(body) => (StatusCode::OK, body),
                    None => (StatusCode::SERVICE_UNAVAILABLE, String::new()),
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }
}

fn kid(key: &Key) -> String {
    key.fingerprint().unwrap()
}

async fn keys_for(
    cache: &Arc<JwksCache>,
    fetcher: &ReqwestJwksFetcher,
    url: &str,
    kid: Option<&str>,
) -> Vec<String> {
    let mut keys = KeySet::new().unwrap();
    cache
        .keys(fetcher, url, kid, ajwt::now(), &mut keys)
        .await
        .unwrap();
    keys.iter().map(|k| k.fingerprint().unwrap()).collect()
}

/// Asks until `want` is among the keys (the refresh runs in the background), at most ~10 s.
async fn eventually(
    cache: &Arc<JwksCache>,
    fetcher: &ReqwestJwksFetcher,
    url: &str,
    want: &str,
) -> bool {
    for _ in 0..100 {
        if keys_for(cache, fetcher, url, Some(want))
            .await
            .iter()
            .any(|k| k == want)
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn fetches_rotates_and_serves_stale_keys_while_the_endpoint_fails() {
    let (old, new) = (ed25519(), ed25519());
    let endpoint = Endpoint::default();
    endpoint.publish(&[&old]);
    let url = endpoint.serve().await;
    let cache = Arc::new(JwksCache::new().unwrap());
    cache.set_ttl(1).unwrap();
    cache.set_refresh_cooldown(1).unwrap();
    let fetcher = ReqwestJwksFetcher::new().unwrap();

    // Nothing cached: the first lookup says fetch now; keys() does and answers from it.
    let mut probe = KeySet::new().unwrap();
    assert_eq!(
        cache
            .lookup("http://127.0.0.1:1/never", None, ajwt::now(), &mut probe)
            .unwrap(),
        JwksAction::FetchNow
    );
    cache
        .store("http://127.0.0.1:1/never", 0, b"", ajwt::now())
        .unwrap_err();
    assert_eq!(
        keys_for(&cache, &fetcher, &url, None).await,
        vec![kid(&old)]
    );
    assert_eq!(endpoint.hits.load(Ordering::SeqCst), 1);
    // Fresh: served from the cache.
    assert_eq!(
        keys_for(&cache, &fetcher, &url, Some(&kid(&old))).await,
        vec![kid(&old)]
    );
    assert_eq!(endpoint.hits.load(Ordering::SeqCst), 1);

    // Rotation: an unknown kid triggers a refresh; the new key shows up.
    endpoint.publish(&[&new]);
    assert!(
        eventually(&cache, &fetcher, &url, &kid(&new)).await,
        "rotated key never picked up"
    );

    // The endpoint fails: the cached set is still served (max age not reached).
    endpoint.fail();
    let hits = endpoint.hits.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1100)).await; // past the TTL: a refresh is asked for
    assert_eq!(
        keys_for(&cache, &fetcher, &url, Some(&kid(&new))).await,
        vec![kid(&new)]
    );
    for _ in 0..50 {
        if endpoint.hits.load(Ordering::SeqCst) > hits {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        endpoint.hits.load(Ordering::SeqCst) > hits,
        "no refresh was attempted"
    );
    assert_eq!(
        keys_for(&cache, &fetcher, &url, Some(&kid(&new))).await,
        vec![kid(&new)]
    );
}

#[tokio::test]
async fn a_failed_first_fetch_adds_no_key_and_says_why() {
    let endpoint = Endpoint::default();
    endpoint.fail();
    let url = endpoint.serve().await;
    let cache = JwksCache::new().unwrap();
    let mut keys = KeySet::new().unwrap();
    assert_eq!(
        cache.lookup(&url, None, ajwt::now(), &mut keys).unwrap(),
        JwksAction::FetchNow
    );
    let err = cache.store(&url, 503, b"", ajwt::now()).unwrap_err();
    assert!(matches!(err, Error::JwksFetch(_)), "{err}");
    let err = cache
        .store(&url, 200, b"not json", ajwt::now())
        .unwrap_err();
    assert!(matches!(err, Error::JwksParse(_)), "{err}");
    assert!(keys.is_empty());
}

/// A user whose only keys are at a JWKS URL.
struct JwksUser {
    url: String,
    cache: Arc<JwksCache>,
    fetcher: ReqwestJwksFetcher,
}

impl KeyRepository for JwksUser {
    fn user_keys<'a>(
        &'a self,
        username: &'a str,
        kid: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<KeySet>, BoxError>> {
        Box::pin(async move {
            if username != "svc" {
                return Ok(None);
            }
            let mut keys = KeySet::new()?;
            self.cache
                .keys(&self.fetcher, &self.url, kid, ajwt::now(), &mut keys)
                .await?;
            Ok(Some(keys))
        })
    }
}

#[tokio::test]
async fn authenticates_with_rotated_jwks_keys() {
    let (old, new) = (ed25519(), ed25519());
    let endpoint = Endpoint::default();
    endpoint.publish(&[&old]);
    let cache = Arc::new(JwksCache::new().unwrap());
    cache.set_ttl(1).unwrap();
    cache.set_refresh_cooldown(1).unwrap();
    let repository = JwksUser {
        url: endpoint.serve().await,
        cache,
        fetcher: ReqwestJwksFetcher::new().unwrap(),
    };
    let auth = AsyncAuthenticator::new(&Verifier::new().unwrap(), repository)
        .unwrap()
        .with_nonce_store(common::MemoryNonces::default());
    let none = Request::default();
    auth.authenticate(
        &old.sign_header("svc", ajwt::now()).unwrap(),
        ajwt::now(),
        &none,
    )
    .await
    .unwrap();

    endpoint.publish(&[&new]);
    let mut accepted = false;
    for _ in 0..100 {
        match auth
            .authenticate(
                &new.sign_header("svc", ajwt::now()).unwrap(),
                ajwt::now(),
                &none,
            )
            .await
        {
            Ok(who) => {
                assert_eq!(who.username(), "svc");
                accepted = true;
                break;
            }
            Err(refusal) => assert!(refusal.error.is_client_error(), "{refusal}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(accepted, "the rotated key was never accepted");
    // The old key is gone from the endpoint, so from the cache.
    let refused = auth
        .authenticate(
            &old.sign_header("svc", ajwt::now()).unwrap(),
            ajwt::now(),
            &none,
        )
        .await
        .unwrap_err();
    assert!(refused.error.is_client_error(), "{refused}");
}
