#!/usr/bin/env bash
# Tests of the Go and Rust bindings against a CMake build of libajwt:
#   1. installs the library into a staging prefix inside the build directory
#      (cmake --install) and points pkg-config and the loader at it;
#   2. Go:   gofmt, go vet, go test -race (bindings/go);
#   3. Rust: cargo fmt --check, cargo test (bindings/rust: ajwt-sys, whose tests check the
#            declarations against the installed ajwt.h, and ajwt), clippy when installed;
#   4. the examples: each language's HTTP server with the other language's client, including
#      a replayed request that must be refused;
#   5. the cross-language check: tokens signed by Go, Rust and Python (our asymmetric_jwt_auth in
#      .venv-test, and upstream asymmetric-jwt-auth 1.x in .venv-upstream, when those exist)
#      verify in every one of them; tampered and expired tokens fail in every one.
#
#   AJWT_BUILD_DIR=dir   CMake build directory (default build/); target ajwt is built if needed
#   AJWT_BENCH=1         also print the FFI overhead benchmark (bench/ffi/run.sh, quick run)
#   AJWT_SKIP_MISSING_TOOLCHAINS=1   skip (exit 0) instead of failing when go or cargo is missing
#   AJWT_CROSS_DRIVERS="name=cmd;..."  more implementations for the cross-language check (below)
#
# Go and cargo downloads and builds are cached in their default places (~/.cache/go-build,
# ~/.cargo/registry, bindings/rust/target); the crates fetched are pkg-config, cmake (and its cc)
# for ajwt-sys's build script and, for the tests, serde_json (Cargo.lock pins them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$root" && mkdir -p "${AJWT_BUILD_DIR:-build}" && cd "${AJWT_BUILD_DIR:-build}" && pwd)"
export PATH="$PATH:/usr/local/go/bin:$HOME/.cargo/bin"

step() { printf '\n== %s  [%ss]\n' "$*" "$SECONDS"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

for tool in go cargo cmake pkg-config python3; do
    if ! command -v "$tool" >/dev/null; then
        if [ "${AJWT_SKIP_MISSING_TOOLCHAINS:-0}" = 1 ]; then
            echo "SKIPPED: $tool not found; the Go and Rust bindings were not tested"
            exit 0
        fi
        fail "$tool not found (Go >= 1.24, e.g. /usr/local/go/bin; Rust >= 1.74 via rustup)"
    fi
done

# ---- 1. the library, installed into a staging prefix ------------------------------------
step "libajwt from $build"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja -DAJWT_BUILD_TESTS=OFF >/dev/null
targets=(ajwt ajwt_static)
grep -q '^AJWT_BUILD_CLI:BOOL=ON' "$build/CMakeCache.txt" && targets+=(ajwt_cli)
cmake --build "$build" --target "${targets[@]}" >/dev/null
stage="$build/bindings-stage"
rm -rf "$stage"
# Unspecified: the library, header, CMake package and .pc (not e.g. the Python module).
cmake --install "$build" --prefix "$stage" --component Unspecified >/dev/null
pc_dir="$(dirname "$(find "$stage" -name ajwt.pc | head -n1)")"
# ajwt.pc carries the configure-time prefix; point it at the staging directory.
sed -i "s|^prefix=.*|prefix=$stage|" "$pc_dir/ajwt.pc"
export PKG_CONFIG_PATH="$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
libdir="$(pkg-config --variable=libdir ajwt)"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Go's build cache does not key cgo packages on pkg-config's output (golang/go#24544): a package built
# against an earlier staging prefix would be reused and fail to link. Flags in CGO_* are part of the key.
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} $(pkg-config --cflags ajwt)"
export CGO_LDFLAGS="${CGO_LDFLAGS:--O2 -g} $(pkg-config --libs ajwt)"
export AJWT_VECTORS_DIR="$root/tests/vectors"
export CGO_ENABLED=1
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
if cargo clippy --version >/dev/null 2>&1; then
    cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
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

# ---- 5. cross-language tokens ----------------------------------------------------------
step "cross-language check"
python3 - "$AJWT_VECTORS_DIR/compat/asymmetric-jwt-auth-1.x.json" <<'EOF'
import json, sys
vectors = json.load(open(sys.argv[1]))
key = vectors["private_keys"]["rsa_traditional_encrypted_pem"]
open("compat-rsa.pem", "w").write(key["text"])
open("compat-rsa.pub", "w").write(key["public_openssh"])
open("compat-rsa.password", "w").write(key["password"])
EOF
cat > py_driver.py <<'EOF'
"""The example clients' token/verify commands, with the Python package asymmetric_jwt_auth."""
import argparse
import sys
from unittest import mock

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
django.setup()

from asymmetric_jwt_auth import keys, tokens  # noqa: E402


def verify(public_path: str, token: str, now: int) -> str | None:
    with open(public_path, "rb") as f:
        error, public = keys.PublicKey.load_serialized_public_key(f.read())
    if public is None:
        raise SystemExit(f"python: {public_path}: {error}")
    with mock.patch("time.time", return_value=float(now)):
        verified = tokens.UntrustedToken(token.strip()).verify(public)
    return None if verified is None else verified.username


parser = argparse.ArgumentParser()
parser.add_argument("command", choices=["token", "verify", "verify-batch"])
for flag in ("key", "password", "user", "nonce", "public", "token"):
    parser.add_argument("--" + flag)
parser.add_argument("--time", type=int)
parser.add_argument("--now", type=int)
args = parser.parse_args()
if args.command == "token":
    with open(args.key, "rb") as f:
        private = keys.PrivateKey.load_pem(f.read(), password=args.password.encode() if args.password else None)
    print(tokens.Token(args.user, args.time).sign(private))
    sys.exit(0)
if args.command == "verify-batch":  # one interpreter for many checks: lines "public now token"
    for line in sys.stdin:
        public_path, now, token = line.split()
        print(verify(public_path, token, int(now)) or "-")
    sys.exit(0)
username = verify(args.public, args.token, args.now)
if username is None:
    sys.exit("python: token rejected")
print(username)
EOF

langs=(go rust)
declare -A driver=([go]="$work/go/client" [rust]="$rust/client")
for venv in test upstream; do
    py="$root/.venv-$venv/bin/python"
    if [ -x "$py" ] && "$py" -c 'import asymmetric_jwt_auth, django' 2>/dev/null; then
        langs+=("python-$venv")
        driver["python-$venv"]="$py $work/py_driver.py"
    else
        echo "(no $root/.venv-$venv with asymmetric_jwt_auth: Python-$venv left out)"
    fi
done

# More implementations join with AJWT_CROSS_DRIVERS="name=command;name=command": each command
# must take the example clients' arguments ("token --key F [--password P] --user U --time T",
# "verify --public F --token T --now N"; print the token / the username, exit non-zero on refusal).
IFS=';' read -ra extra_drivers <<< "${AJWT_CROSS_DRIVERS:-}"
for entry in "${extra_drivers[@]}"; do
    [ -n "$entry" ] || continue
    langs+=("${entry%%=*}")
    driver["${entry%%=*}"]="${entry#*=}"
done

t0=1700000000
password="$(cat compat-rsa.password)"
checks=0
verify_as() { # want(ok|fail) verifier public token now username
    local want="$1" verifier="$2" public="$3" token="$4" now="$5" user="$6" got
    if [[ "$verifier" == python-* ]]; then # checked in one batch below: an interpreter per check is slow
        printf '%s %s %s\n' "$public" "$now" "$token" >> "$work/batch.$verifier"
        printf '%s %s\n' "$want" "${user:--}" >> "$work/expected.$verifier"
        return
    fi
    if got="$(${driver[$verifier]} verify --public "$public" --token "$token" --now "$now" 2>"$work/verify.err")"; then
        [ "$want" = ok ] && [ "$got" = "$user" ] || fail "$verifier accepted a token it must refuse ($public, now $now): $got"
    else
        [ "$want" = fail ] || fail "$verifier refused a good token ($public): $(cat "$work/verify.err")"
    fi
    checks=$((checks + 1))
}
for signer in "${langs[@]}"; do
    for keyname in alice compat-rsa; do
        pw=()
        [ "$keyname" = compat-rsa ] && pw=(--password "$password")
        token="$(${driver[$signer]} token --key "$keyname.pem" "${pw[@]}" --user "$signer-$keyname" --time "$t0")"
        sig="${token##*.}"
        first="${sig:0:1}"
        [ "$first" = A ] && swap=B || swap=A
        tampered="${token%.*}.$swap${sig:1}"
        for verifier in "${langs[@]}"; do
            verify_as ok "$verifier" "$keyname.pub" "$token" $((t0 + 19)) "$signer-$keyname"
            if [ "$keyname" = alice ]; then
                verify_as fail "$verifier" "$keyname.pub" "$tampered" "$t0" ""
                verify_as fail "$verifier" "$keyname.pub" "$token" $((t0 + 21)) ""
                verify_as fail "$verifier" bob.pub "$token" "$t0" ""
            fi
        done
    done
done
for verifier in "${langs[@]}"; do
    [[ "$verifier" == python-* ]] || continue
    ${driver[$verifier]} verify-batch < "$work/batch.$verifier" > "$work/got.$verifier"
    while read -r want user <&3 && read -r got <&4; do
        if [ "$want" = ok ]; then
            [ "$got" = "$user" ] || fail "$verifier refused a good token of $user (got $got)"
        else
            [ "$got" = - ] || fail "$verifier accepted a token it must refuse (as $got)"
        fi
        checks=$((checks + 1))
    done 3<"$work/expected.$verifier" 4<"$work/got.$verifier"
    [ "$(wc -l < "$work/got.$verifier")" = "$(wc -l < "$work/expected.$verifier")" ] || fail "$verifier: batch incomplete"
done
echo "cross-language: ${#langs[@]} implementations (${langs[*]}), $checks signer x verifier checks passed"

if [ "${AJWT_BENCH:-0}" = 1 ]; then
    step "FFI overhead (bench/ffi/run.sh 0.3)"
    "$root/bench/ffi/run.sh" 0.3
fi

step "Go and Rust bindings: all passed"
