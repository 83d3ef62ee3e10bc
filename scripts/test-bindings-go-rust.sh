#!/usr/bin/env bash
# Tests of the Go and Rust bindings against a CMake build of libajwt:
#   1. installs the library into a staging prefix inside the build directory
#      (cmake --install) and points pkg-config and the loader at it;
#   2. Go:   gofmt, go vet, go test -race (bindings/go, and its modules ajwtredis and examples/fleet);
#   3. Rust: cargo fmt --check, cargo test (bindings/rust: ajwt-sys, whose tests check the
#            declarations against the installed ajwt.h, and ajwt), clippy when installed;
#   4. the examples: each language's HTTP server with the other language's client, including
#      a replayed request that must be refused;
#   (the cross-language check of every implementation is scripts/test-cross-language.sh)
#
#   AJWT_BUILD_DIR=dir   CMake build directory (default build/); target ajwt is built if needed
#   AJWT_BENCH=1         also print the FFI overhead benchmark (bench/ffi/run.sh, quick run)
#   AJWT_SKIP_MISSING_TOOLCHAINS=1   skip (exit 0) instead of failing when go or cargo is missing
#
# Go and cargo downloads and builds are cached in their default places (~/.cache/go-build,
# ~/.cargo/registry, bindings/rust/target); the crates fetched are pkg-config, cmake (and its cc)
# for ajwt-sys's build script and, for the tests, serde_json, and for the adapter features tokio,
# axum, hyper, reqwest, redis and their dependencies (Cargo.lock pins them).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
build="$(cmake_build_dir)"
require_go_rust "the Go and Rust binding tests"

# ---- 1. the library, installed into a staging prefix ------------------------------------
step "libajwt from $build"
configure_build "$build"
targets=(ajwt ajwt_static)
grep -q '^AJWT_BUILD_CLI:BOOL=ON' "$build/CMakeCache.txt" && targets+=(ajwt_cli)
stage_libajwt "$build" "${targets[@]}"
libdir="$AJWT_STAGED_LIBDIR"
export AJWT_VECTORS_DIR="$root/tests/vectors"
echo "libajwt $(pkg-config --modversion ajwt): $(pkg-config --cflags --libs ajwt)"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# ---- 2. Go -----------------------------------------------------------------------------
step "Go: $(go version)"
cd "$root/bindings/go"
unformatted="$(gofmt -l .)"
[ -z "$unformatted" ] || fail "gofmt: $unformatted"
go vet ./...
# -count=1: cached results would not notice a rebuilt libajwt.
go test -race -count=1 -v ./... > "$work/go-test.log" 2>&1 || { cat "$work/go-test.log"; fail "go test"; }
grep -E '^(ok|FAIL|---)' "$work/go-test.log" | grep -v -- '--- PASS' || true
echo "go test -race: $(grep -c '^--- PASS' "$work/go-test.log") tests and examples passed ($(grep -c '^ *--- PASS' "$work/go-test.log") with subtests)"
go build -o "$work/go/" ./examples/...
# The modules with optional dependencies (go-redis) have their own go.mod beside the binding's: the
# Redis store's tests start a private redis-server (skipped, saying so, when it is not installed).
for module in ajwtredis examples/fleet; do
    (
        cd "$root/bindings/go/$module"
        go vet ./...
        go test -race -count=1 -v ./... > "$work/go-module-test.log" 2>&1 || { cat "$work/go-module-test.log"; fail "go test ($module)"; }
        grep -E '^(ok|FAIL|---)' "$work/go-module-test.log" | grep -v -- '--- PASS' || true
        echo "go test -race ($module): $(grep -c '^--- PASS' "$work/go-module-test.log") tests passed"
    )
done

step "Go, static: go build -tags ajwt_static, a binary that runs with no libajwt.so"
# Only the header and archive directories come from the staging prefix; nothing from pkg-config.
CGO_CFLAGS="-O2 -g -I$(pkg-config --variable=includedir ajwt)" CGO_LDFLAGS="-O2 -g -L$libdir" \
    go build -tags ajwt_static -o "$work/go-static/" ./examples/client
! ldd "$work/go-static/client" | grep -q libajwt || fail "the ajwt_static binary loads $(ldd "$work/go-static/client" | grep libajwt)"
(
    cd "$work" && mkdir static-check && cd static-check
    unset LD_LIBRARY_PATH
    "$work/go-static/client" keygen --type ed25519 --out carol >/dev/null
    token="$("$work/go-static/client" token --key carol.pem --user carol --time 1700000000)"
    [ "$("$work/go-static/client" verify --public carol.pub --token "$token" --now 1700000005)" = carol ] ||
        fail "the ajwt_static client refused its own token"
    ! "$work/go-static/client" verify --public carol.pub --token "$token" --now 1700000060 >/dev/null 2>&1 ||
        fail "the ajwt_static client accepted a stale token"
)
echo "go -tags ajwt_static: $(ldd "$work/go-static/client" | awk '{print $1}' | tr '\n' ' '); keygen, token, verify, stale token refused"

# ---- 3. Rust ---------------------------------------------------------------------------
step "Rust: $(cargo --version)"
cd "$root/bindings/rust"
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all --check; fi
# AJWT_SYS_USE_PKG_CONFIG: the staged libajwt must be found, not silently replaced by the bundled copy.
export AJWT_SYS_USE_PKG_CONFIG=1
cargo test --locked --workspace > "$work/cargo-test.log" 2>&1 || { cat "$work/cargo-test.log"; fail "cargo test"; }
grep -E '^(test result|     Running|   Doc-tests)' "$work/cargo-test.log"
awk '/^test result/ { passed += $4; failed += $6 } END { printf "cargo test: %d passed, %d failed\n", passed, failed }' "$work/cargo-test.log"
# The server/client adapters behind Cargo features (tower layer, reqwest Signer, Redis nonce store
# against a private redis-server the tests start, JWKS over loopback HTTP), and the fleet example.
adapters=tower,reqwest,redis,jwks
cargo test --locked -p ajwt --features "$adapters" > "$work/cargo-adapters.log" 2>&1 ||
    { cat "$work/cargo-adapters.log"; fail "cargo test --features $adapters"; }
grep -h '^SKIPPED' "$work/cargo-adapters.log" || true
awk '/^test result/ { passed += $4; failed += $6 } END { printf "cargo test --features '"$adapters"': %d passed, %d failed\n", passed, failed }' "$work/cargo-adapters.log"
if cargo clippy --version >/dev/null 2>&1; then
    cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
    cargo clippy --locked -p ajwt --all-targets --features "$adapters" --quiet -- -D warnings
fi
cargo build --locked --quiet --examples
rust="$root/bindings/rust/target/debug/examples"

step "Rust, bundled: cargo test --features ajwt/bundled, no PKG_CONFIG_PATH, no libajwt on the loader path"
# ajwt-sys builds the static libajwt from the sources the crate carries (libajwt/, links that
# cargo package stores as files) with the cmake crate; nothing may come from the staging prefix.
(
    unset PKG_CONFIG_PATH LD_LIBRARY_PATH CGO_CFLAGS CGO_LDFLAGS AJWT_SYS_USE_PKG_CONFIG
    ! pkg-config --exists ajwt || fail "pkg-config finds a libajwt ($(pkg-config --variable=libdir ajwt)): not a clean state"
    cargo test --locked --workspace --features ajwt/bundled > "$work/cargo-bundled.log" 2>&1 ||
        { cat "$work/cargo-bundled.log"; fail "cargo test --features ajwt/bundled"; }
    awk '/^test result/ { passed += $4; failed += $6 } END { printf "cargo test (bundled): %d passed, %d failed\n", passed, failed }' "$work/cargo-bundled.log"
    binary="$(ls -t target/debug/deps/keys-* | grep -v '\.d$' | head -n1)"
    ! ldd "$binary" | grep -q libajwt || fail "$binary still loads libajwt.so: $(ldd "$binary" | grep libajwt)"
    # The published crate holds the sources: cargo package verifies by building each crate
    # from its .crate file (ajwt-sys falls back to the bundled copy without pkg-config).
    # Cargo verifies ajwt against ajwt-sys through a temporary local registry, and it extracts that
    # registry's crates under $CARGO_HOME/registry/src/<hash of the registry path>/ once: a run from
    # the same checkout path would reuse the ajwt-sys extracted by an earlier run (an older version
    # of the same 0.1.0). Our crates are never fetched from anywhere else, so their extracted
    # copies are removed first.
    cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    rm -rf "$cargo_home"/registry/src/*/ajwt-sys-[0-9]* "$cargo_home"/registry/src/*/ajwt-[0-9]* \
        "$cargo_home"/registry/cache/*/ajwt-sys-[0-9]*.crate "$cargo_home"/registry/cache/*/ajwt-[0-9]*.crate
    cargo package --locked --workspace --allow-dirty > "$work/cargo-package.log" 2>&1 ||
        { cat "$work/cargo-package.log"; fail "cargo package"; }
    cargo package --list -p ajwt-sys --allow-dirty 2>/dev/null | grep -qx libajwt/core/token.cpp ||
        fail "the ajwt-sys crate lacks the library's sources"
    grep -E '^ *Packaged' "$work/cargo-package.log"
)

# ---- 4. examples: servers and clients across languages ----------------------------------
step "examples"
cd "$work"
"$work/go/client" keygen --type ed25519 --out alice >/dev/null
"$rust/client" keygen --type rsa --out bob >/dev/null

start_server() { # variable name command...: starts it, waits for "listening on URL", sets variable=URL
    local var="$1" name="$2"
    shift 2
    "$@" > "$work/$name.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        if grep -q '^listening on ' "$work/$name.out"; then
            printf -v "$var" '%s' "$(sed -n 's/^listening on //p' "$work/$name.out")"
            return
        fi
        sleep 0.1
    done
    cat "$work/$name.out" >&2
    fail "$name did not start"
}
start_server go_url go-server "$work/go/server" -addr 127.0.0.1:0 -user alice=alice.pub -user bob=bob.pub
start_server rust_url rust-server "$rust/server" --addr 127.0.0.1:0 --user alice=alice.pub --user bob=bob.pub

examples=0
expect_request() { # want-exit client server-url key user [--replay]
    local want="$1" client="$2" url="$3" key="$4" user="$5"
    shift 5
    local got=0
    "$client" request --url "$url/hello" --key "$key" --user "$user" "$@" > "$work/request.out" 2>&1 || got=$?
    if [ "$got" != "$want" ]; then
        cat "$work/request.out" >&2
        fail "$(basename "$(dirname "$client")") client -> $url as $user: exit $got, want $want"
    fi
    examples=$((examples + 1))
}
for server in "$go_url" "$rust_url"; do
    for client in "$work/go/client" "$rust/client"; do
        expect_request 0 "$client" "$server" alice.pem alice --replay # 200, then 401 for the replay
        expect_request 0 "$client" "$server" bob.pem bob
        expect_request 1 "$client" "$server" alice.pem mallory        # unknown user: 401
        expect_request 1 "$client" "$server" alice.pem bob            # not bob's key: 401
    done
done
echo "examples: $examples requests against the Go and Rust servers behaved as expected"

if [ "${AJWT_BENCH:-0}" = 1 ]; then
    step "FFI overhead (bench/ffi/run.sh 0.3)"
    "$root/bench/ffi/run.sh" 0.3
fi

step "Go and Rust bindings: all passed"
