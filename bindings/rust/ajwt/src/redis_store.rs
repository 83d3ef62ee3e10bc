//! A nonce store shared by every replica (and every language, and Django) over Redis:
//! `SET key 1 NX EX ttl` with the core's nonce key and TTL.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::async_auth::{AsyncNonceStore, BoxFuture};
use crate::error::BoxError;

/// Records nonces in Redis through a [`ConnectionManager`], which reconnects by itself once
/// Redis is back. While Redis fails, [`record`](AsyncNonceStore::record) fails and the
/// request is refused (fail closed).
#[derive(Clone)]
pub struct RedisNonceStore {
    connection: ConnectionManager,
}

impl RedisNonceStore {
    /// Connects to `url` (e.g. "redis://127.0.0.1:6379/0") with short timeouts and one quick
    /// reconnection attempt per failure, so a Redis outage refuses requests promptly instead
    /// of holding them.
    pub async fn connect(url: &str) -> redis::RedisResult<RedisNonceStore> {
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_factor(50)
            .set_max_delay(250)
            .set_connection_timeout(Duration::from_millis(500))
            .set_response_timeout(Duration::from_secs(1));
        let client = redis::Client::open(url)?;
        let connection = ConnectionManager::new_with_config(client, config).await?;
        Ok(RedisNonceStore { connection })
    }

    /// Uses a connection the application configured itself.
    pub fn from_connection(connection: ConnectionManager) -> RedisNonceStore {
        RedisNonceStore { connection }
    }
}

impl AsyncNonceStore for RedisNonceStore {
    fn record<'a>(
        &'a self,
        key: &'a str,
        ttl_seconds: i64,
    ) -> BoxFuture<'a, Result<bool, BoxError>> {
        // ConnectionManager is a cheap handle onto one multiplexed connection.
        let mut connection = self.connection.clone();
        Box::pin(async move {
            let set: Option<String> = redis::cmd("SET")
                .arg(key)
                .arg(1)
                .arg("NX")
                .arg("EX")
                .arg(ttl_seconds)
                .query_async(&mut connection)
                .await?;
            Ok(set.is_some())
        })
    }
}

impl std::fmt::Debug for RedisNonceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisNonceStore").finish_non_exhaustive()
    }
}
