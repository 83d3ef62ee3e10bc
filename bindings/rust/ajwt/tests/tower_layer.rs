//! The tower layer in an axum router and a plain hyper server: accepted requests carry the
//! verified user, refused ones get 401 + `WWW-Authenticate: JWT` and a log line.
#![cfg(feature = "tower")]
mod common;

use std::sync::{Arc, Mutex, OnceLock};

use ajwt::tower::{AuthLayer, AuthenticatedUser};
use ajwt::{AsyncAuthenticator, Binding, Key, Request as Bound, Verifier};
use axum::body::Body;
use axum::routing::{get, post};
use axum::{Extension, Router};
use common::{ed25519, MemoryNonces, Users};
use http::{header, Request, StatusCode};
use tower::ServiceExt;

/// Every log line, so tests can check what a refusal logs.
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

fn logged() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::new(Capture(Mutex::new(Vec::new()))));
        log::set_logger(capture).unwrap();
        log::set_max_level(log::LevelFilter::Info);
        capture
    })
}

fn lines_with(text: &str) -> Vec<String> {
    logged()
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains(text))
        .cloned()
        .collect()
}

async fn whoami(Extension(user): Extension<AuthenticatedUser>) -> String {
    format!("hello {}", user.username())
}

async fn echo(Extension(user): Extension<AuthenticatedUser>, body: String) -> String {
    format!("{} sent {body}", user.username())
}

fn app(verifier: &Verifier, users: Users, body_limit: usize) -> Router {
    let auth = AsyncAuthenticator::new(verifier, users)
        .unwrap()
        .with_nonce_store(MemoryNonces::default());
    Router::new()
        .route("/whoami", get(whoami))
        .route("/echo", post(echo))
        .layer(AuthLayer::new(Arc::new(auth)).body_limit(body_limit))
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    (
        parts.status,
        parts.headers,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

fn get_with(authorization: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/whoami");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    request.body(Body::empty()).unwrap()
}

fn assert_refused(status: StatusCode, headers: &http::HeaderMap) {
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers.get(header::WWW_AUTHENTICATE).unwrap(), "JWT");
}

#[tokio::test]
async fn accepts_a_signed_request_with_the_user_as_extension() {
    let alice = ed25519();
    let app = app(
        &Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
        1024,
    );
    let (status, _, body) = send(
        &app,
        get_with(Some(&alice.sign_header("alice", ajwt::now()).unwrap())),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, "hello alice");
}

#[tokio::test]
async fn refuses_with_401_the_header_and_a_log_line_without_the_token() {
    logged();
    let alice = ed25519();
    let app = app(
        &Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
        1024,
    );

    let (status, headers, _) = send(&app, get_with(None)).await;
    assert_refused(status, &headers);

    let forged = ed25519().sign_header("alice", ajwt::now()).unwrap();
    let (status, headers, _) = send(&app, get_with(Some(&forged))).await;
    assert_refused(status, &headers);

    let unknown = alice.sign_header("carol-the-unknown", ajwt::now()).unwrap();
    let (status, headers, _) = send(&app, get_with(Some(&unknown))).await;
    assert_refused(status, &headers);
    let lines = lines_with("carol-the-unknown");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("WARN ajwt: refused GET /whoami: "),
        "{lines:?}"
    );
    assert!(
        lines[0].contains("unknown user") || lines[0].to_lowercase().contains("unknown"),
        "{lines:?}"
    );
    let token = &unknown["JWT ".len()..];
    assert!(!lines[0].contains(token), "the token was logged: {lines:?}");
    assert!(
        !lines[0].contains(token.split('.').nth(2).unwrap()),
        "the signature was logged"
    );

    let replayed = alice.sign_header("alice", ajwt::now()).unwrap();
    assert_eq!(
        send(&app, get_with(Some(&replayed))).await.0,
        StatusCode::OK
    );
    let (status, headers, _) = send(&app, get_with(Some(&replayed))).await;
    assert_refused(status, &headers);
}

fn signed_post(
    key: &Key,
    user: &str,
    signed_body: &[u8],
    sent_body: &'static str,
) -> Request<Body> {
    let bound = Bound {
        method: Some("POST"),
        target: Some("/echo?x=1"),
        body: Some(signed_body),
        audience: None,
    };
    let token = key.sign_request(user, ajwt::now(), None, &bound).unwrap();
    Request::post("/echo?x=1")
        .header(
            header::AUTHORIZATION,
            ajwt::auth_header(None, &token).unwrap(),
        )
        .body(Body::from(sent_body))
        .unwrap()
}

#[tokio::test]
async fn binding_buffers_the_body_checks_it_and_hands_it_on() {
    let alice = ed25519();
    let mut verifier = Verifier::new().unwrap();
    verifier.set_binding(Binding::Required).unwrap();
    let app = app(&verifier, Users::default().with("alice", &alice), 64);

    let (status, _, body) = send(&app, signed_post(&alice, "alice", b"payload", "payload")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, "alice sent payload");

    let (status, headers, _) =
        send(&app, signed_post(&alice, "alice", b"payload", "tampered")).await;
    assert_refused(status, &headers);

    // Unbound token under Binding::Required.
    let request = Request::post("/echo?x=1")
        .header(
            header::AUTHORIZATION,
            alice.sign_header("alice", ajwt::now()).unwrap(),
        )
        .body(Body::from("payload"))
        .unwrap();
    let (status, headers, _) = send(&app, request).await;
    assert_refused(status, &headers);

    let large: &'static str = Box::leak("x".repeat(65).into_boxed_str());
    let (status, _, _) = send(&app, signed_post(&alice, "alice", large.as_bytes(), large)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn plain_hyper_over_loopback() {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;

    let alice = ed25519();
    let auth = AsyncAuthenticator::new(
        &Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
    )
    .unwrap()
    .with_nonce_store(MemoryNonces::default());
    let service = tower::ServiceBuilder::new()
        .map_request(|request: Request<hyper::body::Incoming>| request.map(Body::new))
        .layer(AuthLayer::new(Arc::new(auth)))
        .service_fn(|request: Request<Body>| async move {
            let user = request
                .extensions()
                .get::<AuthenticatedUser>()
                .unwrap()
                .clone();
            Ok::<_, std::convert::Infallible>(http::Response::new(Body::from(format!(
                "hi {}",
                user.username()
            ))))
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });

    let ask = |authorization: Option<String>| async move {
        let stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake::<_, String>(TokioIo::new(stream))
                .await
                .unwrap();
        tokio::spawn(connection);
        let mut request = Request::get("/").header(header::HOST, "127.0.0.1");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let response = sender
            .send_request(request.body(String::new()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let challenge = response.headers().get(header::WWW_AUTHENTICATE).cloned();
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        (status, challenge, String::from_utf8(body.to_vec()).unwrap())
    };
    let (status, _, body) = ask(Some(alice.sign_header("alice", ajwt::now()).unwrap())).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "hi alice"));
    let (status, challenge, _) = ask(None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge.unwrap(), "JWT");
}

#[tokio::test]
async fn without_binding_the_body_passes_through_unread() {
    let alice = ed25519();
    let app = app(
        &Verifier::new().unwrap(),
        Users::default().with("alice", &alice),
        4,
    );
    // Longer than the body limit, which only applies when the policy binds requests.
    let request = Request::post("/echo")
        .header(
            header::AUTHORIZATION,
            alice.sign_header("alice", ajwt::now()).unwrap(),
        )
        .body(Body::from("a body longer than four bytes"))
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, "alice sent a body longer than four bytes");
}

/// A repository whose backend is down.
struct Unreachable;

impl ajwt::KeyRepository for Unreachable {
    fn user_keys<'a>(
        &'a self,
        _: &'a str,
        _: Option<&'a str>,
    ) -> ajwt::BoxFuture<'a, Result<Option<ajwt::KeySet>, ajwt::BoxError>> {
        Box::pin(async { Err("database unreachable".into()) })
    }
}

#[tokio::test]
async fn a_failing_repository_is_refused_and_logged_as_an_error() {
    logged();
    let auth = AsyncAuthenticator::new(&Verifier::new().unwrap(), Unreachable).unwrap();
    let app = Router::new()
        .route("/whoami", get(whoami))
        .layer(AuthLayer::new(Arc::new(auth)));
    let header = ed25519().sign_header("dora-db-down", ajwt::now()).unwrap();
    let (status, headers, _) = send(&app, get_with(Some(&header))).await;
    assert_refused(status, &headers);
    let lines = lines_with("dora-db-down");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("ERROR ajwt: refused GET /whoami: "),
        "{lines:?}"
    );
    assert!(lines[0].contains("database unreachable"), "{lines:?}");
}
