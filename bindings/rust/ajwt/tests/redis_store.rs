//! RedisNonceStore against a real redis-server on a free loopback port: shared across
//! replicas, replay refused, fail closed while Redis is down, recovery once it is back.
#![cfg(feature = "redis")]
mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ajwt::{AsyncAuthenticator, AsyncNonceStore, Error, Key, RedisNonceStore, Request, Verifier};
use common::{ed25519, Users};

struct RedisServer {
    port: u16,
    child: Child,
}

impl RedisServer {
    /// None (after saying why) when redis-server is not installed.
    fn start(port: Option<u16>) -> Option<RedisServer> {
        let port = port.unwrap_or_else(|| {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        });
        let child = match Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("SKIPPED: redis-server not found (scripts/install-deps.sh services)");
                return None;
            }
            Err(e) => panic!("redis-server: {e}"),
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(RedisServer { port, child });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("redis-server did not listen on {port}");
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn stop(mut self) -> u16 {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.port
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn authenticator(alice: &Key, store: RedisNonceStore) -> AsyncAuthenticator {
    AsyncAuthenticator::new(
        &Verifier::new().unwrap(),
        Users::default().with("alice", alice),
    )
    .unwrap()
    .with_nonce_store(store)
}

async fn attempt(auth: &AsyncAuthenticator, header: &str) -> Result<String, ajwt::Refusal> {
    // A guard against a hang, not a timing assertion: a refusal must come back at all.
    tokio::time::timeout(
        Duration::from_secs(30),
        auth.authenticate(header, ajwt::now(), &Request::default()),
    )
    .await
    .expect("authenticate hung")
    .map(|who| who.username().to_owned())
}

#[tokio::test]
async fn set_nx_ex_with_the_core_key_and_ttl() {
    let Some(redis) = RedisServer::start(None) else {
        return;
    };
    let store = RedisNonceStore::connect(&redis.url()).await.unwrap();
    assert!(store.record("ajwt-nonce-test", 7).await.unwrap());
    assert!(!store.record("ajwt-nonce-test", 7).await.unwrap());

    let alice = ed25519();
    let auth = authenticator(&alice, store);
    let header = alice.sign_header("alice", ajwt::now()).unwrap();
    assert_eq!(attempt(&auth, &header).await.unwrap(), "alice");
    let token = ajwt::Token::parse(&header["JWT ".len()..]).unwrap();
    let key = ajwt::nonce_key("alice", token.time(), token.nonce()).unwrap();

    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(&key)
        .query_async(&mut connection)
        .await
        .unwrap();
    let full = Verifier::new().unwrap().nonce_ttl();
    assert!(
        ttl > 0 && ttl <= full,
        "TTL {ttl} of {key}, want (0, {full}]"
    );
    let value: String = redis::cmd("GET")
        .arg(&key)
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(value, "1");
}

#[tokio::test]
async fn replicas_sharing_redis_refuse_each_others_replays() {
    let Some(redis) = RedisServer::start(None) else {
        return;
    };
    let alice = ed25519();
    let first = authenticator(
        &alice,
        RedisNonceStore::connect(&redis.url()).await.unwrap(),
    );
    let second = authenticator(
        &alice,
        RedisNonceStore::connect(&redis.url()).await.unwrap(),
    );
    for _ in 0..5 {
        let header = alice.sign_header("alice", ajwt::now()).unwrap();
        attempt(&first, &header).await.unwrap();
        let replay = attempt(&second, &header).await.unwrap_err();
        assert!(matches!(replay.error, Error::NonceReplayed(_)), "{replay}");
        let replay = attempt(&first, &header).await.unwrap_err();
        assert!(matches!(replay.error, Error::NonceReplayed(_)), "{replay}");
    }
}

#[tokio::test]
async fn fails_closed_while_redis_is_down_and_recovers() {
    let Some(redis) = RedisServer::start(None) else {
        return;
    };
    let alice = ed25519();
    let auth = authenticator(
        &alice,
        RedisNonceStore::connect(&redis.url()).await.unwrap(),
    );
    attempt(&auth, &alice.sign_header("alice", ajwt::now()).unwrap())
        .await
        .unwrap();

    let port = redis.stop();
    for _ in 0..3 {
        let refused = attempt(&auth, &alice.sign_header("alice", ajwt::now()).unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(refused.error, Error::CallbackFailed(_)),
            "{refused}"
        );
        assert!(refused.to_string().contains("nonce store"), "{refused}");
    }

    let _redis = RedisServer::start(Some(port)).unwrap();
    let mut recovered = None;
    for _ in 0..100 {
        match attempt(&auth, &alice.sign_header("alice", ajwt::now()).unwrap()).await {
            Ok(user) => {
                recovered = Some(user);
                break;
            }
            Err(refusal) => assert!(
                matches!(refusal.error, Error::CallbackFailed(_)),
                "{refusal}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        recovered.as_deref(),
        Some("alice"),
        "no recovery after Redis came back"
    );
}
