//! Keys from trusted JWKS URLs through the core's cache (ajwt_jwks_cache): the library keeps
//! the policy (TTL, stale keys while the endpoint fails, cooldowns, caps) and says when to
//! fetch; the host does the HTTP GET with its own async client ([`JwksFetcher`]).

use std::ffi::c_char;
use std::ptr::NonNull;
use std::time::Duration;

use crate::error::{check, Error, Result};
use crate::keyset::KeySetRef;
use crate::{raw, sys};

/// What the cache asks the host to fetch after a lookup (ajwt_jwks_action).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwksAction {
    /// Nothing: the keys added (maybe none) are the answer.
    None,
    /// Nothing usable is cached: fetch, [`JwksCache::store`], then look up again.
    FetchNow,
    /// Use the keys added now; fetch in the background, then [`JwksCache::store`].
    Refresh,
}

/// The core's JWKS cache. Every call is safe concurrently; share it (e.g. in an `Arc`).
pub struct JwksCache {
    ptr: NonNull<sys::ajwt_jwks_cache>,
}

// SAFETY: every ajwt_jwks_cache_* call is safe concurrently (ajwt.h).
unsafe impl Send for JwksCache {}
unsafe impl Sync for JwksCache {}

impl Drop for JwksCache {
    fn drop(&mut self) {
        // SAFETY: we own this reference.
        unsafe { sys::ajwt_jwks_cache_free(self.ptr.as_ptr()) }
    }
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident, $call:ident, $ty:ty) => {
        $(#[$doc])*
        pub fn $name(&self, value: $ty) -> Result<()> {
            // SAFETY: live handle; the setters are safe concurrently.
            check(|err| unsafe { sys::$call(self.ptr.as_ptr(), value, err) })
        }
    };
}

impl JwksCache {
    /// A cache with the core's defaults (TTL 300 s, max age 3600 s, cooldown 30 s, ...).
    pub fn new() -> Result<JwksCache> {
        let mut out = std::ptr::null_mut();
        // SAFETY: valid out pointers.
        check(|err| unsafe { sys::ajwt_jwks_cache_new(&mut out, err) })?;
        NonNull::new(out)
            .map(|ptr| JwksCache { ptr })
            .ok_or_else(|| Error::Internal("the library returned no JWKS cache".into()))
    }

    setter!(
        /// Seconds after which a cached set is refreshed (still served meanwhile).
        set_ttl, ajwt_jwks_cache_set_ttl, i64
    );
    setter!(
        /// Seconds a set is served while its endpoint fails.
        set_max_age, ajwt_jwks_cache_set_max_age, i64
    );
    setter!(
        /// Seconds between fetches of one URL after a failure or for an unknown kid.
        set_refresh_cooldown, ajwt_jwks_cache_set_refresh_cooldown, i64
    );
    setter!(
        /// Largest JWKS body accepted, in bytes.
        set_max_body_size, ajwt_jwks_cache_set_max_body_size, usize
    );
    setter!(
        /// Most usable keys per set.
        set_max_keys, ajwt_jwks_cache_set_max_keys, usize
    );
    setter!(
        /// Most URLs cached.
        set_max_entries, ajwt_jwks_cache_set_max_entries, usize
    );

    /// The deadline of one GET (whole request, body included).
    pub fn set_fetch_timeout(&self, timeout: Duration) -> Result<()> {
        let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        // SAFETY: live handle.
        check(|err| unsafe {
            sys::ajwt_jwks_cache_set_fetch_timeout_ms(self.ptr.as_ptr(), ms, err)
        })
    }

    /// The deadline the host gives its GET.
    pub fn fetch_timeout(&self) -> Duration {
        // SAFETY: live handle.
        Duration::from_millis(u64::from(unsafe {
            sys::ajwt_jwks_cache_fetch_timeout_ms(self.ptr.as_ptr())
        }))
    }

    /// The most body bytes the host needs to read.
    pub fn max_body_size(&self) -> usize {
        // SAFETY: live handle.
        unsafe { sys::ajwt_jwks_cache_max_body_size(self.ptr.as_ptr()) }
    }

    /// Adds the usable cached keys of `url` (only the one with `kid` when given) to `out` and
    /// says what to fetch. After [`JwksAction::FetchNow`] or [`JwksAction::Refresh`] the host
    /// must call [`store`](Self::store) exactly once for `url`.
    pub fn lookup(
        &self,
        url: &str,
        kid: Option<&str>,
        now: i64,
        out: &mut KeySetRef,
    ) -> Result<JwksAction> {
        let (u, u_len) = raw(url.as_bytes());
        let (k, k_len): (*const c_char, usize) =
            kid.map_or((std::ptr::null(), 0), |k| raw(k.as_bytes()));
        let mut action = sys::AJWT_JWKS_NONE;
        // SAFETY: live handles, valid ranges or (NULL, 0); `out` is lent exclusively.
        check(|err| unsafe {
            sys::ajwt_jwks_cache_lookup(
                self.ptr.as_ptr(),
                u,
                u_len,
                k,
                k_len,
                now,
                out.as_mut_ptr(),
                &mut action,
                err,
            )
        })?;
        Ok(match action {
            sys::AJWT_JWKS_FETCH_NOW => JwksAction::FetchNow,
            sys::AJWT_JWKS_REFRESH => JwksAction::Refresh,
            _ => JwksAction::None,
        })
    }

    /// The host's fetch result for `url`: `http_status` 0 for a transport failure, and the
    /// body. A failure keeps the cached set and comes back as the reason
    /// ([`Error::JwksFetch`], [`Error::JwksParse`]).
    pub fn store(&self, url: &str, http_status: u16, body: &[u8], now: i64) -> Result<()> {
        let (u, u_len) = raw(url.as_bytes());
        let (b, b_len) = raw(body);
        // SAFETY: live handle, valid ranges.
        check(|err| unsafe {
            sys::ajwt_jwks_cache_store(
                self.ptr.as_ptr(),
                u,
                u_len,
                i32::from(http_status),
                b,
                b_len,
                now,
                err,
            )
        })
    }

    /// Number of URLs cached.
    pub fn len(&self) -> usize {
        // SAFETY: live handle.
        unsafe { sys::ajwt_jwks_cache_size(self.ptr.as_ptr()) }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksCache")
            .field("urls", &self.len())
            .finish()
    }
}

#[cfg(feature = "jwks")]
pub use fetch::{JwksFetcher, ReqwestJwksFetcher};

#[cfg(feature = "jwks")]
mod fetch {
    use std::sync::Arc;
    use std::time::Duration;

    use super::{JwksAction, JwksCache};
    use crate::async_auth::BoxFuture;
    use crate::error::Result;
    use crate::keyset::KeySetRef;

    /// The host's HTTP GET of a JWKS URL: `(status, body)`, status 0 for a transport failure,
    /// the body read up to `max_body_size` + 1 bytes (the cache refuses anything longer).
    pub trait JwksFetcher: Send + Sync + 'static {
        fn get<'a>(
            &'a self,
            url: &'a str,
            timeout: Duration,
            max_body_size: usize,
        ) -> BoxFuture<'a, (u16, Vec<u8>)>;
    }

    /// Fetches with a reqwest client (its proxy and TLS settings; build it with
    /// `redirect(Policy::none())`, as [`ReqwestJwksFetcher::new`] does).
    #[derive(Debug, Clone)]
    pub struct ReqwestJwksFetcher {
        client: ::reqwest::Client,
    }

    impl ReqwestJwksFetcher {
        /// A client that follows no redirect.
        pub fn new() -> ::reqwest::Result<ReqwestJwksFetcher> {
            let client = ::reqwest::Client::builder()
                .redirect(::reqwest::redirect::Policy::none())
                .build()?;
            Ok(ReqwestJwksFetcher { client })
        }

        pub fn with_client(client: ::reqwest::Client) -> ReqwestJwksFetcher {
            ReqwestJwksFetcher { client }
        }
    }

    impl JwksFetcher for ReqwestJwksFetcher {
        fn get<'a>(
            &'a self,
            url: &'a str,
            timeout: Duration,
            max_body_size: usize,
        ) -> BoxFuture<'a, (u16, Vec<u8>)> {
            Box::pin(async move {
                let fetched = async {
                    let mut response = self.client.get(url).timeout(timeout).send().await?;
                    let status = response.status().as_u16();
                    let mut body = Vec::new();
                    while let Some(chunk) = response.chunk().await? {
                        body.extend_from_slice(&chunk);
                        if body.len() > max_body_size {
                            break; // one byte over is enough for the cache to refuse it
                        }
                    }
                    Ok::<_, ::reqwest::Error>((status, body))
                };
                match fetched.await {
                    Ok(answer) => answer,
                    Err(e) => {
                        log::warn!(target: "ajwt", "JWKS fetch of {url} failed: {e}");
                        (0, Vec::new())
                    }
                }
            })
        }
    }

    impl JwksCache {
        /// Runs the cache's policy for (url, kid) at `now`, fetching with `fetcher` when it
        /// says so, and adds the usable keys to `out`. A refresh is spawned on the tokio
        /// runtime, except when the set lacks the token's kid (a rotation): then this request
        /// awaits it. A failed fetch is logged and adds no key.
        pub async fn keys<F: JwksFetcher + Clone>(
            self: &Arc<Self>,
            fetcher: &F,
            url: &str,
            kid: Option<&str>,
            now: i64,
            out: &mut KeySetRef,
        ) -> Result<()> {
            // At most two rounds: a fetch now, then the answer from the cache.
            for _ in 0..2 {
                let before = out.len();
                match self.lookup(url, kid, now, out)? {
                    JwksAction::None => return Ok(()),
                    JwksAction::Refresh if kid.is_some() && out.len() == before => {
                        self.fetch_and_store(fetcher, url).await;
                    }
                    JwksAction::Refresh => {
                        let (cache, fetcher, url) = (self.clone(), fetcher.clone(), url.to_owned());
                        tokio::spawn(async move { cache.fetch_and_store(&fetcher, &url).await });
                        return Ok(());
                    }
                    JwksAction::FetchNow => self.fetch_and_store(fetcher, url).await,
                }
            }
            Ok(())
        }

        async fn fetch_and_store<F: JwksFetcher>(&self, fetcher: &F, url: &str) {
            let (status, body) = fetcher
                .get(url, self.fetch_timeout(), self.max_body_size())
                .await;
            if let Err(e) = self.store(url, status, &body, crate::now()) {
                log::warn!(target: "ajwt", "JWKS of {url} not updated: {e}");
            }
        }
    }
}
