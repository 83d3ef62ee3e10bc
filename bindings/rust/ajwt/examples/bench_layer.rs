//! Benchmark (run by hand): signed requests/s through the reqwest Signer and the tower layer
//! against the same axum server without authentication, in one run, with the C ABI's own
//! sign and verify times as the floor.
//!
//!     cargo run --release --example bench_layer --features tower,reqwest -- [requests] [ed25519|rsa|p256]
//!
//! Both servers and the client share one current-thread runtime over loopback keep-alive
//! connections; the runs alternate in rounds and the best round of each counts (the machine
//! is shared). Target: the adapters add no more than one verification + 20 µs per request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ajwt::reqwest::{RequestBuilderExt, Signer};
use ajwt::tower::{AuthLayer, AuthenticatedUser};
use ajwt::{
    AsyncAuthenticator, AsyncNonceStore, BoxError, BoxFuture, Key, KeyRepository, KeySet, KeyType,
    Verifier,
};
use axum::routing::get;
use axum::{Extension, Router};

const ROUNDS: usize = 5;

/// One user with one key, parsed once (a repository would cache parsed keys likewise).
struct OneUser(Key);

impl KeyRepository for OneUser {
    fn user_keys<'a>(
        &'a self,
        username: &'a str,
        _: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<KeySet>, BoxError>> {
        Box::pin(async move {
            if username != "bench" {
                return Ok(None);
            }
            let mut keys = KeySet::new()?;
            keys.add(&self.0)?;
            Ok(Some(keys))
        })
    }
}

/// An in-process async store (a HashSet behind a mutex): the layer's own cost, not Redis's.
#[derive(Default)]
struct Nonces(std::sync::Mutex<std::collections::HashSet<String>>);

impl AsyncNonceStore for Nonces {
    fn record<'a>(&'a self, key: &'a str, _ttl: i64) -> BoxFuture<'a, Result<bool, BoxError>> {
        Box::pin(async move { Ok(self.0.lock().unwrap().insert(key.to_owned())) })
    }
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/whoami", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn per_op(total: Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1e6 / n as f64
}

/// Best of ROUNDS: microseconds per call of `f`.
fn floor(n: usize, mut f: impl FnMut()) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            per_op(start.elapsed(), n)
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let requests: usize = args
        .next()
        .map_or(2000, |n| n.parse().expect("requests: a number"));
    let key_type = match args.next().as_deref() {
        None | Some("ed25519") => KeyType::Ed25519,
        Some("rsa") => KeyType::Rsa,
        Some("p256") => KeyType::EcP256,
        Some(other) => panic!("unknown key type {other}"),
    };
    let key = Key::generate(key_type).unwrap();
    let public = key.to_public().unwrap();

    // The floor: the C ABI's own sign and verify.
    let verifier = Verifier::new().unwrap();
    let tokens: Vec<String> = (0..requests * ROUNDS)
        .map(|_| key.sign("bench", ajwt::now()).unwrap())
        .collect();
    let mut i = 0;
    let verify_us = floor(requests, || {
        let token = verifier.parse(&tokens[i % tokens.len()]).unwrap();
        verifier.verify(&token, &public, ajwt::now()).unwrap();
        i += 1;
    });
    let sign_us = floor(requests, || {
        key.sign("bench", ajwt::now()).unwrap();
    });

    // The adapters alone, without HTTP: the async authenticator (in-memory store) against the
    // C ABI's parse+verify, and the Signer on a reqwest::Request against Key::sign. Fresh
    // tokens per call (each nonce is accepted once), rounds interleaved with the floor.
    let in_process = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let auth = AsyncAuthenticator::new(&verifier, OneUser(public.to_public().unwrap()))
        .unwrap()
        .with_nonce_store(Nonces::default());
    let headers: Vec<String> = tokens
        .iter()
        .map(|t| ajwt::auth_header(None, t).unwrap())
        .collect();
    let mut authenticate_us = f64::INFINITY;
    let mut next = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        in_process.block_on(async {
            for header in &headers[next..next + requests] {
                auth.authenticate(header, ajwt::now(), &ajwt::Request::default())
                    .await
                    .unwrap();
            }
        });
        next += requests;
        authenticate_us = authenticate_us.min(per_op(start.elapsed(), requests));
    }
    let in_process_signer = Signer::new(
        Key::load_private(
            key.export(ajwt::ExportFormat::PrivatePkcs8, None).unwrap(),
            None,
        )
        .unwrap(),
        "bench",
    );
    let template = reqwest::Client::new()
        .get("http://127.0.0.1:1/whoami")
        .build()
        .unwrap();
    let signer_us = floor(requests, || {
        let mut request = template.try_clone().unwrap();
        in_process_signer.sign(&mut request).unwrap();
    });
    println!(
        "in process:    AsyncAuthenticator {authenticate_us:.1} µs (parse+verify {verify_us:.1} => +{:.1} µs), Signer::sign {signer_us:.1} µs (Key::sign {sign_us:.1} => +{:.1} µs)",
        authenticate_us - verify_us,
        signer_us - sign_us
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let auth = AsyncAuthenticator::new(&verifier, OneUser(public.to_public().unwrap()))
            .unwrap()
            .with_nonce_store(Nonces::default());
        let protected = serve(
            Router::new()
                .route("/whoami", get(|Extension(user): Extension<AuthenticatedUser>| async move { user.username().to_owned() }))
                .layer(AuthLayer::new(Arc::new(auth))),
        )
        .await;
        let open = serve(Router::new().route("/whoami", get(|| async { "bench".to_owned() }))).await;
        let signer = Signer::new(key, "bench");
        let client = reqwest::Client::new();

        let (mut plain, mut signed) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..ROUNDS {
            let start = Instant::now();
            for _ in 0..requests {
                let response = client.get(&open).send().await.unwrap();
                assert_eq!(response.text().await.unwrap(), "bench");
            }
            plain = plain.min(per_op(start.elapsed(), requests));
            let start = Instant::now();
            for _ in 0..requests {
                let response = client.get(&protected).send_signed(&signer).await.unwrap();
                assert_eq!(response.status(), 200);
                response.text().await.unwrap();
            }
            signed = signed.min(per_op(start.elapsed(), requests));
        }
        let added = signed - plain;
        println!("key {key_type:?}, {requests} requests x {ROUNDS} rounds (best round), one keep-alive connection");
        println!("C ABI floor:   sign {sign_us:.1} µs, parse+verify {verify_us:.1} µs");
        println!("no auth:       {:.0} requests/s ({plain:.1} µs/request)", 1e6 / plain);
        println!("Signer+layer:  {:.0} requests/s ({signed:.1} µs/request)", 1e6 / signed);
        println!("ratio signed/no auth: {:.2}", plain / signed);
        println!(
            "added per request: {added:.1} µs = sign {sign_us:.1} + verify {verify_us:.1} + adapters {:.1} µs (target: adapters <= 20 µs)",
            added - sign_us - verify_us
        );
    });
}
