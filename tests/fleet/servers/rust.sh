#!/usr/bin/env bash
# The Rust fleet service (bindings/rust/ajwt/examples/fleet.rs: axum + ajwt's tower layer, reqwest
# Signer, Redis nonce store, JWKS cache): builds it with cargo (release; CARGO_TARGET_DIR if set),
# then runs it with the arguments given. libajwt comes from pkg-config when PKG_CONFIG_PATH has one
# (scripts/lib.sh stage_libajwt; then LD_LIBRARY_PATH must reach it too), else ajwt-sys builds its
# bundled static copy. Build output goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root/bindings/rust"
export PATH="$PATH:$HOME/.cargo/bin"
cargo build --locked --release --quiet -p ajwt --example fleet --features tower,reqwest,redis,jwks >&2
exec "${CARGO_TARGET_DIR:-$root/bindings/rust/target}/release/examples/fleet" "$@"
