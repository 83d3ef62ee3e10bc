//! Signs requests with libajwt. Subcommands:
//!
//!     client request --url URL --key KEY.pem --user NAME [--replay]
//!         GET URL with "Authorization: JWT <token>"; prints the status and body. --replay
//!         sends the same header twice and expects the second request to be refused.
//!     client keygen --type ed25519|rsa|p256 --out NAME
//!         writes NAME.pem (PKCS#8 private key) and NAME.pub (PEM public key)
//!     client token --key KEY.pem --user NAME [--time UNIX] [--nonce N] [--password P]
//!         prints a signed token (the cross-language check signs with this)
//!     client verify --public KEY.pub --token TOKEN [--now UNIX]
//!         prints the verified username, or the error and exits 1

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::{env, fs, process};

use ajwt::{ExportFormat, Key, KeyType, Verifier};

fn main() {
    let mut args = env::args().skip(1);
    let command = args
        .next()
        .unwrap_or_else(|| die("usage: client request|keygen|token|verify [--flag value]..."));
    let mut flags: HashMap<String, String> = HashMap::new();
    while let Some(flag) = args.next() {
        let name = flag
            .strip_prefix("--")
            .unwrap_or_else(|| die(&format!("unexpected {flag}")));
        let value = if name == "replay" {
            String::new()
        } else {
            args.next()
                .unwrap_or_else(|| die(&format!("--{name} needs a value")))
        };
        flags.insert(name.to_string(), value);
    }
    let flag = |name: &str| {
        flags
            .get(name)
            .cloned()
            .unwrap_or_else(|| die(&format!("--{name} is required")))
    };
    let number = |name: &str| {
        flags.get(name).map(|v| {
            v.parse::<i64>()
                .unwrap_or_else(|_| die(&format!("--{name}: not a number")))
        })
    };

    match command.as_str() {
        "request" => {
            let key = load_private(&flag("key"), None);
            process::exit(request(
                &flag("url"),
                &key,
                &flag("user"),
                flags.contains_key("replay"),
            ));
        }
        "keygen" => keygen(&flag("type"), &flag("out")),
        "token" => {
            let key = load_private(&flag("key"), flags.get("password").map(String::as_bytes));
            let time = number("time").unwrap_or_else(ajwt::now);
            let token = match flags.get("nonce") {
                Some(nonce) => key.sign_with(&flag("user"), time, nonce, None),
                None => key.sign(&flag("user"), time),
            };
            println!("{}", token.unwrap_or_else(|e| die(&e.to_string())));
        }
        "verify" => {
            let file = flag("public");
            let text = fs::read(&file).unwrap_or_else(|e| die(&format!("{file}: {e}")));
            let key = Key::load_public(text).unwrap_or_else(|e| die(&format!("{file}: {e}")));
            let verifier = Verifier::new().unwrap_or_else(|e| die(&e.to_string()));
            let now = number("now").unwrap_or_else(ajwt::now);
            match verifier.verify_token(flag("token").trim(), &key, now) {
                Ok(token) => println!("{}", token.username()),
                Err(e) => die(&e.to_string()),
            }
        }
        other => die(&format!("unknown command {other:?}")),
    }
}

fn load_private(file: &str, password: Option<&[u8]>) -> Key {
    let text = fs::read(file).unwrap_or_else(|e| die(&format!("{file}: {e}")));
    Key::load_private(text, password).unwrap_or_else(|e| die(&format!("{file}: {e}")))
}

fn request(url: &str, key: &Key, user: &str, replay: bool) -> i32 {
    let header = key
        .sign_header(user, ajwt::now())
        .unwrap_or_else(|e| die(&e.to_string()));
    let first = get(url, &header);
    if !replay {
        return if first == 200 { 0 } else { 1 };
    }
    let second = get(url, &header);
    if first == 200 && second == 401 {
        0
    } else {
        1
    }
}

/// A plain HTTP/1.1 GET of an http:// URL; prints "STATUS BODY" and returns the status.
fn get(url: &str, authorization: &str) -> u16 {
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| die("only http:// URLs"));
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).unwrap_or_else(|e| die(&format!("{host}: {e}")));
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n")
        .unwrap_or_else(|e| die(&e.to_string()));
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .unwrap_or_else(|e| die(&e.to_string()));
    let status: u16 = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .trim();
    println!("{status} {body}");
    status
}

fn keygen(kind: &str, out: &str) {
    let key_type = match kind {
        "ed25519" => KeyType::Ed25519,
        "rsa" => KeyType::Rsa,
        "p256" => KeyType::EcP256,
        _ => die("--type ed25519|rsa|p256"),
    };
    let key = Key::generate(key_type).unwrap_or_else(|e| die(&e.to_string()));
    let private = key
        .export(ExportFormat::PrivatePkcs8, None)
        .unwrap_or_else(|e| die(&e.to_string()));
    write_private(&format!("{out}.pem"), &private).unwrap_or_else(|e| die(&e.to_string()));
    fs::write(
        format!("{out}.pub"),
        key.public_pem().unwrap_or_else(|e| die(&e.to_string())),
    )
    .unwrap_or_else(|e| die(&e.to_string()));
    println!(
        "{out}.pem, {out}.pub (fingerprint {})",
        key.fingerprint().unwrap_or_default()
    );
}

/// A private key file only its owner can read.
fn write_private(path: &str, text: &str) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

fn die(message: &str) -> ! {
    eprintln!("client: {message}");
    process::exit(1)
}
