//! A tiny HTTP service that authenticates every request with libajwt's high-level
//! authenticator over an in-memory key registry (std only: one thread per connection).
//!
//!     cargo run --example server -- --addr 127.0.0.1:8080 --user alice=alice.pub
//!
//! `--user` may repeat; the key file holds a public key as PEM, OpenSSH or JWK. The server
//! prints "listening on http://ADDR" once it accepts connections, then answers any GET with
//! "hello <username>" for a signed request and 401 otherwise.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, RwLock};
use std::{env, fs, process, thread};

use ajwt::{Authenticator, BoxError, Key, KeyFormat, KeySetRef, NonceStore, Repository, Verifier};

/// username -> public key texts.
#[derive(Default)]
struct Registry {
    keys: RwLock<HashMap<String, Vec<String>>>,
}

impl Repository for Registry {
    fn user_exists(&self, username: &str) -> Result<bool, BoxError> {
        Ok(self.keys.read().unwrap().contains_key(username))
    }

    fn user_keys(
        &self,
        username: &str,
        _kid: Option<&str>,
        keys: &mut KeySetRef,
    ) -> Result<(), BoxError> {
        for text in self
            .keys
            .read()
            .unwrap()
            .get(username)
            .into_iter()
            .flatten()
        {
            keys.add_text(text, KeyFormat::Any)?;
        }
        Ok(())
    }
}

fn main() {
    let mut addr = "127.0.0.1:8080".to_string();
    let registry = Arc::new(Registry::default());
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| die(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--addr" => addr = value(),
            "--user" => {
                let spec = value();
                let (name, file) = spec
                    .split_once('=')
                    .unwrap_or_else(|| die("--user USERNAME=PUBLIC_KEY_FILE"));
                let text =
                    fs::read_to_string(file).unwrap_or_else(|e| die(&format!("{file}: {e}")));
                // Refuse a bad key at start-up, not per request.
                Key::load_public(&text).unwrap_or_else(|e| die(&format!("{file}: {e}")));
                registry
                    .keys
                    .write()
                    .unwrap()
                    .entry(name.to_string())
                    .or_default()
                    .push(text);
            }
            _ => die("usage: server [--addr HOST:PORT] [--user USERNAME=PUBLIC_KEY_FILE]..."),
        }
    }

    let mut verifier = Verifier::new().unwrap_or_else(|e| die(&e.to_string()));
    let store = NonceStore::memory(0, 0).unwrap_or_else(|e| die(&e.to_string()));
    verifier
        .set_nonce_store(Some(&store))
        .unwrap_or_else(|e| die(&e.to_string()));
    let auth =
        Arc::new(Authenticator::new(&verifier, registry).unwrap_or_else(|e| die(&e.to_string())));

    let listener = TcpListener::bind(&addr).unwrap_or_else(|e| die(&format!("{addr}: {e}")));
    println!("listening on http://{}", listener.local_addr().unwrap());
    for stream in listener.incoming().flatten() {
        let auth = auth.clone();
        thread::spawn(move || {
            if let Err(e) = serve(stream, &auth) {
                eprintln!("connection: {e}");
            }
        });
    }
}

/// One request per connection: read the head, authenticate, answer, close.
fn serve(stream: TcpStream, auth: &Authenticator) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut authorization = String::new();
    let mut line = String::new();
    let mut head_bytes = 0;
    loop {
        line.clear();
        let n = reader.read_line(&mut line)?;
        head_bytes += n;
        if n == 0 || line == "\r\n" || line == "\n" || head_bytes > 16 * 1024 {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("authorization") {
                authorization = value.trim().to_string();
            }
        }
    }
    let (status, body) = match auth.authenticate(&authorization, ajwt::now()) {
        Ok(who) => ("200 OK", format!("hello {}\n", who.username())),
        Err(e) if e.is_client_error() => ("401 Unauthorized", format!("{e}\n")),
        Err(e) => {
            eprintln!("authentication failed on our side: {e}");
            ("500 Internal Server Error", "internal error\n".to_string())
        }
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nWWW-Authenticate: JWT\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn die(message: &str) -> ! {
    eprintln!("server: {message}");
    process::exit(2)
}
