#!/usr/bin/env bash
# Runs one of the Java examples against the binding that scripts/test-bindings-java.sh built:
#
#   bindings/swig/java/run-example.sh client keygen --type ed25519 --out alice
#   bindings/swig/java/run-example.sh server --addr 127.0.0.1:0 --user alice=alice.pub
#   bindings/swig/java/run-example.sh client request --url http://127.0.0.1:PORT/ --key alice.pem --user alice
#   bindings/swig/java/run-example.sh example
#
# It needs target/libajwt-<version>.jar and the directory of libajwt_jni.so, which the test script
# records in target/jni-dir (AJWT_JNI_DIR overrides it). The example classes are compiled into
# target/example-classes when missing or older than their sources or the jar. As it takes the
# example client's arguments, "run-example.sh client" is a driver for the cross-language check
# (AJWT_CROSS_DRIVERS="java=/path/to/run-example.sh client" scripts/test-cross-language.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$(ls "$here"/target/libajwt-*.jar 2>/dev/null | head -n1)"
src="$here/src/example/java"
classes="$here/target/example-classes"
fail() { printf 'run-example.sh: %s\n' "$*" >&2; exit 2; }

case "${1:-}" in
    client) main=Client ;;
    server) main=Server ;;
    example) main=Example ;;
    *) fail "usage: run-example.sh client|server|example [arguments]" ;;
esac
shift

jni_dir="${AJWT_JNI_DIR:-$(cat "$here/target/jni-dir" 2>/dev/null || true)}"
build_hint="build the binding first: AJWT_BUILD_DIR=build scripts/test-bindings-java.sh"
[ -f "$jar" ] || fail "no $here/target/libajwt-*.jar; $build_hint"
[ -n "$jni_dir" ] && [ -f "$jni_dir/libajwt_jni.so" ] || fail "no libajwt_jni.so (AJWT_JNI_DIR='$jni_dir'); $build_hint"

stamp="$classes/.compiled"
if [ ! -f "$stamp" ] || [ "$jar" -nt "$stamp" ] || [ -n "$(find "$src" -name '*.java' ! -name Fleet.java -newer "$stamp" -print -quit)" ]; then
    # Compiled aside and moved into place: a concurrent run never sees half the classes.
    tmp="$(mktemp -d "$here/target/example-classes.XXXXXX")"
    # Fleet.java needs the adapters' frameworks (Tomcat, Jedis): tests/fleet/servers/java.sh builds it.
    javac -d "$tmp" -cp "$jar" $(ls "$src"/*.java | grep -v '/Fleet\.java$')
    touch "$tmp/.compiled"
    rm -rf "$classes"
    mv "$tmp" "$classes" 2>/dev/null || rm -rf "$tmp"
fi

# A short-lived JVM: the C1 compiler only and the serial collector start fastest.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m \
    -Dajwt.jni.dir="$jni_dir" -cp "$jar:$classes" "$main" "$@"
