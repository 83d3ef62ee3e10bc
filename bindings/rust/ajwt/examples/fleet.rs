//! The Rust service of the mixed-language fleet test (tests/fleet, contract in
//! tests/fleet/README.md): axum + ajwt's tower layer, reqwest Signer, Redis nonce
//! store and JWKS cache.
//!
//!     cargo run --release --example fleet --features tower,reqwest,redis,jwks -- \
//!         --name rust --port 8004 --redis-url redis://127.0.0.1:6379/0 \
//!         --registry registry.json --key rust.pem [--jwks-file jwks.json] [--jwks-ttl 2]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::{env, fs, process};

use ajwt::reqwest::{RequestBuilderExt, Signer};
use ajwt::tower::{AuthLayer, AuthenticatedUser};
use ajwt::{
    AsyncAuthenticator, BoxError, BoxFuture, JwksCache, Key, KeyFormat, KeyRepository, KeySet,
    RedisNonceStore, ReqwestJwksFetcher, Verifier,
};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

struct Options {
    name: String,
    port: u16,
    redis_url: String,
    registry: String,
    key: String,
    jwks_file: Option<String>,
    jwks_ttl: i64,
}

fn usage(message: &str) -> ! {
    eprintln!("fleet: {message}");
    eprintln!(
        "usage: fleet --name NAME --port PORT --redis-url URL --registry REGISTRY.json --key NAME.pem \
         [--jwks-file FILE] [--jwks-ttl SECONDS]"
    );
    process::exit(2)
}

fn options() -> Options {
    let mut values: HashMap<String, String> = HashMap::new();
    let mut args = env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(name) = flag.strip_prefix("--") else {
            usage(&format!("unexpected {flag}"))
        };
        let value = args
            .next()
            .unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        values.insert(name.to_owned(), value);
    }
    let mut take = |name: &str| values.remove(name);
    let mut required =
        |name: &str| take(name).unwrap_or_else(|| usage(&format!("--{name} is required")));
    Options {
        name: required("name"),
        port: required("port")
            .parse()
            .unwrap_or_else(|_| usage("--port: not a port")),
        redis_url: required("redis-url"),
        registry: required("registry"),
        key: required("key"),
        jwks_file: take("jwks-file"),
        jwks_ttl: take("jwks-ttl").map_or(2, |t| {
            t.parse()
                .unwrap_or_else(|_| usage("--jwks-ttl: not a number"))
        }),
    }
}

/// One line per record on stderr (the fleet collects it).
struct StderrLog;

impl log::Log for StderrLog {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Info
    }
    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            eprintln!("{} {}: {}", record.level(), record.target(), record.args());
        }
    }
    fn flush(&self) {}
}

/// A registered user: public keys (parsed once) and trusted JWKS URLs.
struct User {
    public_keys: Vec<Key>,
    jwks_urls: Vec<String>,
}

/// The registry file plus the JWKS cache: a user's keys are their public keys and the keys
/// their JWKS URLs publish.
struct Registry {
    users: HashMap<String, User>,
    jwks: Arc<JwksCache>,
    fetcher: ReqwestJwksFetcher,
}

impl Registry {
    fn load(path: &str, jwks: Arc<JwksCache>) -> Result<Registry, BoxError> {
        let document: Value = serde_json::from_str(&fs::read_to_string(path)?)?;
        let strings = |value: &Value| -> Vec<String> {
            value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let mut users = HashMap::new();
        for user in document["users"]
            .as_array()
            .ok_or("registry: no \"users\" list")?
        {
            let username = user["username"]
                .as_str()
                .ok_or("registry: a user without \"username\"")?;
            let public_keys = strings(&user["public_keys"])
                .iter()
                .map(|text| Key::load_public_as(text, KeyFormat::Any))
                .collect::<ajwt::Result<Vec<Key>>>()?;
            users.insert(
                username.to_owned(),
                User {
                    public_keys,
                    jwks_urls: strings(&user["jwks_urls"]),
                },
            );
        }
        Ok(Registry {
            users,
            jwks,
            fetcher: ReqwestJwksFetcher::new()?,
        })
    }
}

impl KeyRepository for Registry {
    fn user_keys<'a>(
        &'a self,
        username: &'a str,
        kid: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<KeySet>, BoxError>> {
        Box::pin(async move {
            let Some(user) = self.users.get(username) else {
                return Ok(None);
            };
            let mut keys = KeySet::new()?;
            for key in &user.public_keys {
                keys.add(key)?;
            }
            // JWKS keys only for a kid the registered keys lack (as the core's one-call form).
            if let Some(kid) = kid.filter(|kid| keys.find(kid).is_none()) {
                for url in &user.jwks_urls {
                    self.jwks
                        .keys(&self.fetcher, url, Some(kid), ajwt::now(), &mut keys)
                        .await?;
                }
            }
            Ok(Some(keys))
        })
    }
}

struct Service {
    name: String,
    signer: Signer,
    client: reqwest::Client,
    jwks_file: Option<String>,
}

async fn health() -> &'static str {
    "ok"
}

async fn whoami(
    State(service): State<Arc<Service>>,
    Extension(user): Extension<AuthenticatedUser>,
) -> Json<Value> {
    Json(json!({"service": service.name, "user": user.username()}))
}

async fn call(
    State(service): State<Arc<Service>>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Value> {
    let Some(url) = query.get("url") else {
        return Json(json!({"status": 0, "error": "no url parameter"}));
    };
    let answer = async {
        let response = service.client.get(url).send_signed(&service.signer).await?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(ajwt::reqwest::SendError::Http)?;
        Ok::<_, ajwt::reqwest::SendError>(json!({"status": status, "body": body}))
    };
    Json(
        answer
            .await
            .unwrap_or_else(|e| json!({"status": 0, "error": e.to_string()})),
    )
}

async fn jwks_document(State(service): State<Arc<Service>>) -> Response {
    match &service.jwks_file {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(path) => match fs::read(path) {
            Ok(body) => (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response(),
            Err(e) => {
                log::error!("reading {path}: {e}");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
    }
}

async fn run(options: Options) -> Result<(), BoxError> {
    let jwks = Arc::new(JwksCache::new()?);
    jwks.set_ttl(options.jwks_ttl)?;
    // The fleet rotates keys mid-test: look an unknown kid up again within a TTL.
    jwks.set_refresh_cooldown(
        options
            .jwks_ttl
            .min(ajwt::sys::AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN),
    )?;
    let registry = Registry::load(&options.registry, jwks)?;
    let nonces = RedisNonceStore::connect(&options.redis_url).await?;
    let auth = AsyncAuthenticator::new(&Verifier::new()?, registry)?.with_nonce_store(nonces);

    let key = Key::load_private(fs::read(&options.key)?, None)?;
    let service = Arc::new(Service {
        signer: Signer::new(key, &options.name),
        name: options.name,
        client: reqwest::Client::new(),
        jwks_file: options.jwks_file,
    });
    let app = Router::new()
        .route("/whoami", get(whoami).layer(AuthLayer::new(Arc::new(auth))))
        .route("/health", get(health))
        .route("/call", get(call))
        .route("/.well-known/jwks.json", get(jwks_document))
        .with_state(service);
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], options.port))).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

fn main() {
    log::set_logger(&StderrLog).expect("no logger set yet");
    log::set_max_level(log::LevelFilter::Info);
    let options = options();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Err(e) = runtime.block_on(run(options)) {
        eprintln!("fleet: {e}");
        process::exit(1);
    }
}
