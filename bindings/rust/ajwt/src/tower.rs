//! Server side for tower (axum, hyper): [`AuthLayer`] authenticates every request with an
//! [`AsyncAuthenticator`] and hands the verified caller to the handler as the request
//! extension [`AuthenticatedUser`]; a refused request gets 401 with `WWW-Authenticate: JWT`
//! and one `log` line (target "ajwt") with the reason, never the token.

use std::ops::Deref;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tower_layer::Layer;
use tower_service::Service;

use crate::async_auth::{AsyncAuthenticator, BoxFuture, Refusal};
use crate::authenticator::Authenticated;
use crate::error::BoxError;

/// Default cap of a body buffered for request binding: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// The verified caller: the request extension [`AuthLayer`] inserts (axum:
/// `Extension<AuthenticatedUser>`). Dereferences to [`Authenticated`] (token, key).
#[derive(Debug, Clone)]
pub struct AuthenticatedUser(Arc<Authenticated>);

impl AuthenticatedUser {
    /// The verified username.
    pub fn username(&self) -> &str {
        self.0.username()
    }
}

impl Deref for AuthenticatedUser {
    type Target = Authenticated;
    fn deref(&self) -> &Authenticated {
        &self.0
    }
}

/// A tower [`Layer`] that authenticates requests (see the module documentation).
///
/// When the verifier's policy binds requests ([`crate::Verifier::set_binding`]), the body is
/// buffered (up to [`body_limit`](Self::body_limit), else 413) to be hashed and handed on, so
/// the request body type must be `From<Bytes>` (axum's `Body` is; with plain hyper map
/// `Incoming` to such a body first).
#[derive(Debug, Clone)]
pub struct AuthLayer {
    auth: Arc<AsyncAuthenticator>,
    body_limit: usize,
}

impl AuthLayer {
    pub fn new(auth: Arc<AsyncAuthenticator>) -> AuthLayer {
        AuthLayer {
            auth,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body buffered for request binding (default [`DEFAULT_BODY_LIMIT`]).
    pub fn body_limit(mut self, bytes: usize) -> AuthLayer {
        self.body_limit = bytes;
        self
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> AuthService<S> {
        AuthService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`AuthLayer`] wraps around the inner one.
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    layer: AuthLayer,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for AuthService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    ReqBody: Body + From<Bytes> + Send + 'static,
    ReqBody::Data: Send,
    ReqBody::Error: Into<BoxError>,
    ResBody: Default + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response<ResBody>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // The clone that was polled ready serves this request (tower's usual swap).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            match authenticate(&layer, request).await {
                Ok(request) => inner.call(request).await,
                Err(response) => Ok(response),
            }
        })
    }
}

/// The request with the caller inserted, or the response refusing it.
async fn authenticate<B, ResBody>(
    layer: &AuthLayer,
    request: Request<B>,
) -> Result<Request<B>, Response<ResBody>>
where
    B: Body + From<Bytes>,
    B::Error: Into<BoxError>,
    ResBody: Default,
{
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    let now = crate::now();
    let (mut request, result) = if layer.auth.needs_request() {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, layer.body_limit).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) => {
                let too_large = e.downcast_ref::<LengthLimitError>().is_some();
                log::warn!(target: "ajwt", "refused {} {}: body {}", parts.method, parts.uri.path(),
                    if too_large { "larger than the limit" } else { "unreadable" });
                let status = if too_large {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::BAD_REQUEST
                };
                return Err(respond(status));
            }
        };
        let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        let bound = crate::Request {
            method: Some(parts.method.as_str()),
            target: Some(target),
            body: Some(&body),
            audience: None,
        };
        let result = layer.auth.authenticate(&header, now, &bound).await;
        (Request::from_parts(parts, B::from(body)), result)
    } else {
        let result = layer
            .auth
            .authenticate(&header, now, &crate::Request::default())
            .await;
        (request, result)
    };
    match result {
        Ok(user) => {
            request
                .extensions_mut()
                .insert(AuthenticatedUser(Arc::new(user)));
            Ok(request)
        }
        Err(refusal) => {
            log_refusal(&request, &refusal);
            Err(respond(StatusCode::UNAUTHORIZED))
        }
    }
}

fn log_refusal<B>(request: &Request<B>, refusal: &Refusal) {
    let level = if refusal.error.is_client_error() {
        log::Level::Warn
    } else {
        log::Level::Error
    };
    log::log!(target: "ajwt", level, "refused {} {}: {refusal}", request.method(), request.uri().path());
}

fn respond<ResBody: Default>(status: StatusCode) -> Response<ResBody> {
    let mut response = Response::new(ResBody::default());
    *response.status_mut() = status;
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("JWT"));
    }
    response
}
