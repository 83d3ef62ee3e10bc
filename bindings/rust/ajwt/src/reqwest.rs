//! Client side for reqwest: a [`Signer`] puts a fresh `Authorization: JWT <token>` on each
//! request it sends (a new nonce per attempt, so a retry is never refused as a replay),
//! optionally bound to the request's method, target and body.
//!
//! ```no_run
//! # async fn run(key: ajwt::Key) -> Result<(), ajwt::reqwest::SendError> {
//! use ajwt::reqwest::{RequestBuilderExt, Signer};
//! let signer = Signer::new(key, "alice");
//! let client = reqwest::Client::new();
//! let response = client.get("http://127.0.0.1:8080/whoami").send_signed(&signer).await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;

use ::reqwest::header::{HeaderValue, AUTHORIZATION};
use ::reqwest::{Client, Request, RequestBuilder, Response};

use crate::async_auth::BoxFuture;
use crate::error::Error;
use crate::key::Key;

/// Signs requests as one user with one private key. Cheap to clone; share it.
#[derive(Debug, Clone)]
pub struct Signer {
    key: Arc<Key>,
    username: Arc<str>,
    bind: bool,
    audience: Option<Arc<str>>,
}

impl Signer {
    /// Signs as `username` with the private `key`, tokens not bound to the request.
    pub fn new(key: Key, username: &str) -> Signer {
        Signer {
            key: Arc::new(key),
            username: username.into(),
            bind: false,
            audience: None,
        }
    }

    /// Binds each token to its request's method, target and body (the body must be in memory,
    /// not a stream) and, when given, to the `audience` of the service called.
    pub fn bind_requests(mut self, audience: Option<&str>) -> Signer {
        self.bind = true;
        self.audience = audience.map(Into::into);
        self
    }

    /// Sets a freshly signed `Authorization` header on `request`, replacing any earlier one.
    pub fn sign(&self, request: &mut Request) -> Result<(), Error> {
        let now = crate::now();
        let token = if self.bind {
            let target = match request.url().query() {
                Some(query) => format!("{}?{query}", request.url().path()),
                None => request.url().path().to_owned(),
            };
            let body = match request.body() {
                None => &[][..],
                Some(body) => body.as_bytes().ok_or_else(|| {
                    Error::InvalidArgument("a streamed body cannot be bound to the token".into())
                })?,
            };
            let bound = crate::Request {
                method: Some(request.method().as_str()),
                target: Some(&target),
                body: Some(body),
                audience: self.audience.as_deref(),
            };
            self.key.sign_request(&self.username, now, None, &bound)?
        } else {
            self.key.sign(&self.username, now)?
        };
        let value = HeaderValue::from_str(&crate::auth_header(None, &token)?)
            .map_err(|e| Error::Internal(format!("token not a header value: {e}")))?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }

    /// Signs `request` and sends it with `client`. Call it once per attempt: a retry of a
    /// cloned request (`Request::try_clone`) gets its own token.
    pub fn execute<'a>(
        &'a self,
        client: &'a Client,
        mut request: Request,
    ) -> BoxFuture<'a, Result<Response, SendError>> {
        Box::pin(async move {
            self.sign(&mut request).map_err(SendError::Sign)?;
            client.execute(request).await.map_err(SendError::Http)
        })
    }
}

/// Signing sends for reqwest's builder.
pub trait RequestBuilderExt {
    /// Builds the request, signs it with `signer` and sends it.
    fn send_signed(self, signer: &Signer) -> BoxFuture<'_, Result<Response, SendError>>;
}

impl RequestBuilderExt for RequestBuilder {
    fn send_signed(self, signer: &Signer) -> BoxFuture<'_, Result<Response, SendError>> {
        Box::pin(async move {
            let (client, request) = self.build_split();
            let request = request.map_err(SendError::Http)?;
            signer.execute(&client, request).await
        })
    }
}

/// Why a signed send failed.
#[derive(Debug)]
pub enum SendError {
    /// The token could not be made (e.g. a streamed body with binding on).
    Sign(Error),
    /// reqwest failed (connection, timeout, ...).
    Http(::reqwest::Error),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Sign(e) => write!(f, "signing the request: {e}"),
            SendError::Http(e) => write!(f, "sending the request: {e}"),
        }
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SendError::Sign(e) => Some(e),
            SendError::Http(e) => Some(e),
        }
    }
}
