//! The authenticator for async servers: the two-phase ABI with an async key repository and an
//! async nonce store, so no lookup blocks the executor. Every check runs in libajwt; this
//! only awaits the host's lookups between the phases.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::authenticator::{Authenticated, Authenticator};
use crate::binding::{Binding, Request};
use crate::error::{BoxError, Error, Result};
use crate::keyset::KeySet;
use crate::pending::{NonceOutcome, Pending};
use crate::verifier::Verifier;

/// A boxed future, as the async traits return (object safe on every supported Rust).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where an async server finds a user's public keys.
pub trait KeyRepository: Send + Sync + 'static {
    /// The user's keys (`kid`, the token's key id, is a hint: all keys is always correct), or
    /// `Ok(None)` when the user does not exist. An error refuses the request as
    /// [`Error::CallbackFailed`] (a server error, not a 401 reason).
    fn user_keys<'a>(
        &'a self,
        username: &'a str,
        kid: Option<&'a str>,
    ) -> BoxFuture<'a, std::result::Result<Option<KeySet>, BoxError>>;
}

/// A nonce store shared by replicas (e.g. `RedisNonceStore`, feature `redis`).
pub trait AsyncNonceStore: Send + Sync + 'static {
    /// Records `key` for `ttl_seconds` unless present, atomically: `Ok(true)` when it was new,
    /// `Ok(false)` when it was there (a replay). An error refuses the request (fail closed).
    fn record<'a>(
        &'a self,
        key: &'a str,
        ttl_seconds: i64,
    ) -> BoxFuture<'a, std::result::Result<bool, BoxError>>;
}

impl<R: KeyRepository> KeyRepository for Arc<R> {
    fn user_keys<'a>(
        &'a self,
        username: &'a str,
        kid: Option<&'a str>,
    ) -> BoxFuture<'a, std::result::Result<Option<KeySet>, BoxError>> {
        (**self).user_keys(username, kid)
    }
}

impl<S: AsyncNonceStore> AsyncNonceStore for Arc<S> {
    fn record<'a>(
        &'a self,
        key: &'a str,
        ttl_seconds: i64,
    ) -> BoxFuture<'a, std::result::Result<bool, BoxError>> {
        (**self).record(key, ttl_seconds)
    }
}

/// Authenticates `Authorization` headers with awaited lookups: phase 1 (parse, claimed
/// user), the repository's keys, phase 2 (signature, claims, time, binding; CPU only), the
/// nonce store, phase 3. Share it between tasks (e.g. in an `Arc`).
pub struct AsyncAuthenticator {
    auth: Authenticator,
    repository: Box<dyn KeyRepository>,
    nonces: Option<Box<dyn AsyncNonceStore>>,
    binding: Binding,
}

impl AsyncAuthenticator {
    /// Takes the verifier's policy (and its nonce store, used when no async store is set).
    pub fn new(verifier: &Verifier, repository: impl KeyRepository) -> Result<AsyncAuthenticator> {
        Ok(AsyncAuthenticator {
            auth: Authenticator::without_repository(verifier)?,
            repository: Box::new(repository),
            nonces: None,
            binding: verifier.binding(),
        })
    }

    /// Records nonces in `store` (shared across replicas) instead of the verifier's store.
    pub fn with_nonce_store(mut self, store: impl AsyncNonceStore) -> AsyncAuthenticator {
        self.nonces = Some(Box::new(store));
        self
    }

    /// The word before the token in the header (default "JWT").
    pub fn set_method(&mut self, method: &str) -> Result<()> {
        self.auth.set_method(method)
    }

    /// Whether the verifier's binding policy reads the request's method, target and body
    /// (when false, [`authenticate`](Self::authenticate) may be given `Request::default()`).
    pub fn needs_request(&self) -> bool {
        self.binding != Binding::Off
    }

    /// Authenticates `header` at `now` (Unix seconds) for `request` (used by the binding
    /// policy). A [`Refusal`] carries the reason and the claimed username, for the log.
    pub async fn authenticate(
        &self,
        header: &str,
        now: i64,
        request: &Request<'_>,
    ) -> std::result::Result<Authenticated, Refusal> {
        let pending = self.auth.begin(header).map_err(|error| Refusal {
            error,
            claimed_username: None,
        })?;
        let claimed_username = Some(pending.username().to_owned());
        self.complete(pending, now, request)
            .await
            .map_err(|error| Refusal {
                error,
                claimed_username,
            })
    }

    /// Phases 2 and 3 around the repository's and the nonce store's answers.
    async fn complete(
        &self,
        mut pending: Pending,
        now: i64,
        request: &Request<'_>,
    ) -> Result<Authenticated> {
        let keys = self
            .repository
            .user_keys(pending.username(), pending.kid())
            .await
            .map_err(|e| Error::CallbackFailed(format!("key repository: {e}")))?;
        pending.verify(keys.as_deref(), now, request)?;
        let Some(nonces) = &self.nonces else {
            return pending.finish(NonceOutcome::UseVerifierStore);
        };
        let recorded = nonces
            .record(pending.nonce_key(), pending.nonce_ttl())
            .await;
        let (outcome, store_error) = match recorded {
            Ok(true) => (NonceOutcome::Recorded, None),
            Ok(false) => (NonceOutcome::AlreadyRecorded, None),
            Err(e) => (NonceOutcome::StoreFailed, Some(e)),
        };
        pending.finish(outcome).map_err(|e| match store_error {
            Some(cause) => {
                Error::from_status(e.status(), format!("{}: nonce store: {cause}", e.message()))
            }
            None => e,
        })
    }
}

/// Why a request was not authenticated: the library's status and message, and the username
/// the token claimed (when it could be parsed), for the log. Never contains the token.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub error: Error,
    pub claimed_username: Option<String>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)?;
        match &self.claimed_username {
            // Debug formatting quotes and escapes it: a username cannot forge log lines.
            Some(user) => write!(f, " (claimed user {user:?})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Refusal {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        refusal.error
    }
}

impl std::fmt::Debug for AsyncAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncAuthenticator")
            .field("shared_nonce_store", &self.nonces.is_some())
            .field("binding", &self.binding)
            .finish_non_exhaustive()
    }
}
