#!/usr/bin/env bash
# The Rust fleet service (bindings/rust/ajwt/examples/fleet.rs: axum + ajwt's tower layer, reqwest
# Signer, Redis nonce store, JWKS cache): builds it with cargo (CARGO_TARGET_DIR if set), then runs it
# with the arguments given. libajwt comes from pkg-config when PKG_CONFIG_PATH has one
# (scripts/lib.sh stage_libajwt; then LD_LIBRARY_PATH must reach it too), else ajwt-sys builds its
# bundled static copy. Build output goes to stderr.
#
#   AJWT_FLEET_CARGO_PROFILE  dev (default: reuses what `cargo test -p ajwt --features
#                             tower,reqwest,redis,jwks` in scripts/test-bindings-go-rust.sh built, so the
#                             service starts within the fleet's start timeout) or release (a full
#                             optimised build of every dependency: minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root/bindings/rust"
export PATH="$PATH:$HOME/.cargo/bin"
profile="${AJWT_FLEET_CARGO_PROFILE:-dev}"
cargo build --locked --profile "$profile" --quiet -p ajwt --example fleet --features tower,reqwest,redis,jwks >&2
[ "$profile" = dev ] && dir=debug || dir="$profile"
exec "${CARGO_TARGET_DIR:-$root/bindings/rust/target}/$dir/examples/fleet" "$@"
