//! The reqwest Signer against the tower layer over real loopback HTTP.
#![cfg(all(feature = "tower", feature = "reqwest"))]
mod common;

use std::sync::{Arc, Mutex};

use ajwt::reqwest::{RequestBuilderExt, SendError, Signer};
use ajwt::tower::{AuthLayer, AuthenticatedUser};
use ajwt::{AsyncAuthenticator, Binding, Verifier};
use axum::routing::{get, post};
use axum::{Extension, Router};
use common::{ed25519, MemoryNonces, Users};

/// Serves /whoami and /echo behind the layer on a free loopback port; returns its base URL and
/// the nonces of the tokens it accepted.
async fn serve(verifier: Verifier, users: Users) -> (String, Arc<Mutex<Vec<String>>>) {
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let seen = accepted.clone();
    let auth = AsyncAuthenticator::new(&verifier, users)
        .unwrap()
        .with_nonce_store(MemoryNonces::default());
    let app = Router::new()
        .route(
            "/whoami",
            get(
                move |Extension(user): Extension<AuthenticatedUser>| async move {
                    seen.lock().unwrap().push(user.token().nonce().to_owned());
                    user.username().to_owned()
                },
            ),
        )
        .route(
            "/echo",
            post(
                |Extension(user): Extension<AuthenticatedUser>, body: String| async move {
                    format!("{}: {body}", user.username())
                },
            ),
        )
        .layer(AuthLayer::new(Arc::new(auth)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, accepted)
}

#[tokio::test]
async fn signs_each_request() {
    let alice = ed25519();
    let (url, _) = serve(
        Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
    )
    .await;
    let signer = Signer::new(alice, "alice");
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let response = client
            .get(format!("{url}/whoami"))
            .send_signed(&signer)
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "alice");
    }
    let unsigned = client.get(format!("{url}/whoami")).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(unsigned.headers()["www-authenticate"], "JWT");
}

#[tokio::test]
async fn each_attempt_gets_a_fresh_token() {
    let alice = ed25519();
    let (url, accepted) = serve(
        Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
    )
    .await;
    let signer = Signer::new(alice, "alice");
    let client = reqwest::Client::new();
    let request = client.get(format!("{url}/whoami")).build().unwrap();

    // A retry loop: every attempt is signed again, so none is a replay.
    for _ in 0..2 {
        let attempt = request.try_clone().unwrap();
        let response = signer.execute(&client, attempt).await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let nonces = accepted.lock().unwrap().clone();
    assert_eq!(nonces.len(), 2);
    assert_ne!(nonces[0], nonces[1]);

    // What a retry of an already signed request would do: the server refuses the replay.
    let mut signed = request.try_clone().unwrap();
    signer.sign(&mut signed).unwrap();
    let again = signed.try_clone().unwrap();
    assert_eq!(client.execute(signed).await.unwrap().status(), 200);
    assert_eq!(client.execute(again).await.unwrap().status(), 401);
}

#[tokio::test]
async fn bound_requests_carry_method_target_and_body() {
    let alice = ed25519();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_binding(Binding::Required).unwrap();
    let (url, _) = serve(verifier, Users::default().with("alice", &alice)).await;
    let client = reqwest::Client::new();

    let same_key = ajwt::Key::load_private(
        alice
            .export(ajwt::ExportFormat::PrivatePkcs8, None)
            .unwrap(),
        None,
    )
    .unwrap();
    let unbound = Signer::new(same_key, "alice");
    let response = client
        .post(format!("{url}/echo?q=1"))
        .body("data")
        .send_signed(&unbound)
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let bound = Signer::new(alice, "alice").bind_requests(None);
    let response = client
        .post(format!("{url}/echo?q=1"))
        .body("data")
        .send_signed(&bound)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "alice: data");

    let err = client
        .post(format!("{url}/echo"))
        .body(reqwest::Body::wrap(String::from("streamed")))
        .send_signed(&bound)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Sign(ajwt::Error::InvalidArgument(_))),
        "{err}"
    );
}
