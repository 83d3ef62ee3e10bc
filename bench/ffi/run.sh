#!/usr/bin/env bash
# FFI overhead of the Go and Rust bindings: the per-verification cost through each binding next
# to the C ABI itself, measured in the same run, printed as ns/op and as a ratio to C.
#
#   bench/ffi/run.sh [SCALE]     SCALE multiplies the iteration counts (default 1; 0.2 = quick)
#
# Cases (the same in c_verify.c, go/main.go and rust/src/main.rs). Figures are process CPU time
# per operation (other load on the machine does not count), best of 7 batches, best of ROUNDS
# runs of the three programs:
#   call            one trivial call (ajwt_version_number): the bare price of crossing
#   verify_ed25519  parse + verify + free of an Ed25519 token
#   verify_rsa2048  the same with RS512 and a 2048-bit key
#   auth_ed25519    the whole authenticator with a user_keys callback written in each language
#
# libajwt must be found by pkg-config and loadable; when it is not, it is staged from the CMake
# build in AJWT_BUILD_DIR (default build/, target ajwt built), as scripts/test-bindings-go-rust.sh does.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scale="${1:-1}"
rounds="${ROUNDS:-2}"
export PATH="$PATH:/usr/local/go/bin:$HOME/.cargo/bin"

if ! pkg-config --exists ajwt 2>/dev/null; then
    build="${AJWT_BUILD_DIR:-$root/build}"
    stage="$(mktemp -d)"
    trap 'rm -rf "$stage"' EXIT
    cmake --install "$build" --prefix "$stage" --component Unspecified >/dev/null
    pc="$(dirname "$(find "$stage" -name ajwt.pc | head -n1)")"
    # ajwt.pc names the configure-time prefix; point it at the staging directory.
    sed -i "s|^prefix=.*|prefix=$stage|" "$pc/ajwt.pc"
    export PKG_CONFIG_PATH="$pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    export LD_LIBRARY_PATH="$(pkg-config --variable=libdir ajwt)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out" ${stage:+"$stage"}' EXIT
echo "building the three benchmarks (libajwt $(pkg-config --modversion ajwt))..." >&2
# shellcheck disable=SC2046
cc -O2 -std=c99 -Wall -o "$out/c" "$here/c_verify.c" $(pkg-config --cflags --libs ajwt)
(cd "$here/go" && go build -o "$out/go" .)
cargo build -q --release --manifest-path "$here/rust/Cargo.toml"
cp "$here/rust/target/release/ajwt-ffi-bench" "$out/rust"

for round in $(seq "$rounds"); do
    for lang in c go rust; do
        "$out/$lang" "$scale" | sed "s/^/$lang /"
    done
done > "$out/results"

awk '
    { key = $1 " " $2; if (!(key in best) || $3 < best[key]) best[key] = $3
      if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
    END {
        printf "%-16s %12s %12s %8s %12s %8s\n", "case", "C ns/op", "Go ns/op", "Go/C", "Rust ns/op", "Rust/C"
        for (i = 1; i <= n; i++) {
            c = order[i]
            printf "%-16s %12.1f %12.1f %7.2fx %12.1f %7.2fx\n", c, best["c " c], best["go " c], \
                best["go " c] / best["c " c], best["rust " c], best["rust " c] / best["c " c]
        }
    }' "$out/results"
