#!/usr/bin/env bash
# FFI overhead of the bindings: the per-verification cost through the Go, Rust, Node and Java
# bindings next to the C ABI itself, measured in the same run, printed as ns/op and as a ratio
# to C.
#
#   bench/ffi/run.sh [SCALE]     SCALE multiplies the iteration counts (default 1; 0.2 = quick)
#
# Cases (the same in c_verify.c, go/main.go, rust/src/main.rs, node/bench.mjs and
# java/Bench.java). Figures are process CPU time per operation (other load on the machine does
# not count), best of 7 batches, best of ROUNDS runs of each program; Node and Java run an
# untimed warm-up first so their JITs have compiled the loop:
#   call            one trivial call (ajwt_version_number): the bare price of crossing
#   verify_ed25519  parse + verify + free of an Ed25519 token
#   verify_rsa2048  the same with RS512 and a 2048-bit key
#   auth_ed25519    the whole authenticator with a user_keys callback written in each language
#
# libajwt must be found by pkg-config and loadable; when it is not, it is staged from the CMake
# build in AJWT_BUILD_DIR (default build/, target ajwt built), as scripts/test-bindings-go-rust.sh does.
# Node needs node and bindings/node/node_modules (npm ci there; scripts/test-bindings-node.sh
# does it). Java needs java, javac, the binding's jar and libajwt_jni, as
# scripts/test-bindings-java.sh builds them:
#   AJWT_JAVA_JAR  default bindings/swig/java/target/libajwt-0.1.0.jar
#   AJWT_JNI_DIR   directory of libajwt_jni.so, default $AJWT_BUILD_DIR/bindings-java
# A binding that is not available (or whose benchmark fails) gets "n/a" and a one-line reason.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scale="${1:-1}"
rounds="${ROUNDS:-2}"
export PATH="$PATH:/usr/local/go/bin:$HOME/.cargo/bin"

# Relative to the repository root, as in scripts/test-bindings-*.sh.
build="${AJWT_BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
if ! pkg-config --exists ajwt 2>/dev/null; then
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
echo "building the benchmarks (libajwt $(pkg-config --modversion ajwt))..." >&2
# shellcheck disable=SC2046
cc -O2 -std=c99 -Wall -o "$out/c" "$here/c_verify.c" $(pkg-config --cflags --libs ajwt)
# Go's build cache does not key on pkg-config's output (golang/go#24544): a package built
# against an earlier staging directory would link with its stale -L. The CGO_* variables are
# part of the key, so carrying the flags there rebuilds it when the location changes.
(cd "$here/go" && CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} $(pkg-config --cflags ajwt)" \
    CGO_LDFLAGS="${CGO_LDFLAGS:--O2 -g} $(pkg-config --libs ajwt)" go build -o "$out/go" .)
cargo build -q --release --manifest-path "$here/rust/Cargo.toml"
cp "$here/rust/target/release/ajwt-ffi-bench" "$out/rust"
langs=(c go rust)
declare -A missing=()

# Node: the binding loads libajwt by AJWT_LIBRARY; point it at the library C links with.
libajwt="$(pkg-config --variable=libdir ajwt)/libajwt.so.0"
if ! command -v node >/dev/null; then
    missing[node]="node not found"
elif [ ! -d "$root/bindings/node/node_modules/koffi" ]; then
    missing[node]="koffi not installed (npm ci in bindings/node)"
else
    printf '#!/bin/sh\nAJWT_LIBRARY=%q exec node %q "$@"\n' "$libajwt" "$here/node/bench.mjs" > "$out/node"
    chmod +x "$out/node"
    langs+=(node)
fi

# Java: compiled against a copy of the jar, so a concurrent rebuild of it cannot interfere.
jar="${AJWT_JAVA_JAR:-$root/bindings/swig/java/target/libajwt-0.1.0.jar}"
jni_dir="${AJWT_JNI_DIR:-$build/bindings-java}"
if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
    missing[java]="java/javac not found"
elif [ ! -f "$jar" ]; then
    missing[java]="no jar $jar (scripts/test-bindings-java.sh builds it; or set AJWT_JAVA_JAR)"
elif [ ! -f "$jni_dir/libajwt_jni.so" ]; then
    missing[java]="no $jni_dir/libajwt_jni.so (scripts/test-bindings-java.sh builds it; or set AJWT_JNI_DIR)"
else
    cp "$jar" "$out/ajwt.jar"
    if javac -d "$out/java-classes" -cp "$out/ajwt.jar" "$here/java/Bench.java" 2>"$out/javac.err"; then
        printf '#!/bin/sh\nexec java -Dajwt.jni.dir=%q -cp %q Bench "$@"\n' \
            "$jni_dir" "$out/ajwt.jar:$out/java-classes" > "$out/java"
        chmod +x "$out/java"
        langs+=(java)
    else
        missing[java]="javac failed: $(grep -m1 error "$out/javac.err" || head -n1 "$out/javac.err")"
    fi
fi

for round in $(seq "$rounds"); do
    for lang in "${langs[@]}"; do
        [ -z "${missing[$lang]:-}" ] || continue
        if "$out/$lang" "$scale" > "$out/$lang.out" 2>"$out/$lang.err"; then
            sed "s/^/$lang /" "$out/$lang.out" >> "$out/results"
        else
            # C, Go and Rust are the baseline: their failure is fatal; Node and Java get n/a.
            case "$lang" in c|go|rust) cat "$out/$lang.err" >&2; exit 1 ;; esac
            missing[$lang]="benchmark failed: $(grep -m1 -iE 'error|exception' "$out/$lang.err" || head -n1 "$out/$lang.err")"
            sed -i "/^$lang /d" "$out/results" # no half-measured column from an earlier round
        fi
    done
done

awk '
    { key = $1 " " $2; if (!(key in best) || $3 < best[key]) best[key] = $3
      if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
    function cell(lang, c) {
        if (!((lang " " c) in best)) return sprintf(" %12s %8s", "n/a", "n/a")
        return sprintf(" %12.1f %7.2fx", best[lang " " c], best[lang " " c] / best["c " c])
    }
    END {
        printf "%-16s %12s", "case", "C ns/op"
        split("Go Rust Node Java", names, " ")
        for (l = 1; l <= 4; l++) printf " %12s %8s", names[l] " ns/op", names[l] "/C"
        printf "\n"
        for (i = 1; i <= n; i++) {
            c = order[i]
            printf "%-16s %12.1f", c, best["c " c]
            printf "%s%s%s%s\n", cell("go", c), cell("rust", c), cell("node", c), cell("java", c)
        }
    }' "$out/results"
for lang in node java; do
    [ -z "${missing[$lang]:-}" ] || echo "$lang: n/a: ${missing[$lang]}"
done
