#!/usr/bin/env bash
# Tests of the Java (SWIG) binding against a CMake build of libajwt:
#   1. builds targets ajwt (and ajwt_cli when enabled) in $AJWT_BUILD_DIR;
#   2. builds libajwt_jni with SWIG (bindings/swig/java/CMakeLists.txt) into
#      $AJWT_BUILD_DIR/bindings-java, generating org.libajwt.internal for Maven;
#   3. mvn package in bindings/swig/java: compiles, runs the JUnit 5 tests (compat vectors,
#      keys/JWKS/tokens/nonce store, and the cross-language check with the ajwt CLI), jars;
#   4. runs the example against the jar.
#
#   AJWT_BUILD_DIR=dir   CMake build directory (default build/); target ajwt is built if needed
#
# Maven downloads (JUnit 5, Gson for reading the vectors, the compiler/surefire/jar plugins)
# are cached in ~/.m2.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$root" && mkdir -p "${AJWT_BUILD_DIR:-build}" && cd "${AJWT_BUILD_DIR:-build}" && pwd)"
java_dir="$root/bindings/swig/java"

step() { printf '\n== %s  [%ss]\n' "$*" "$SECONDS"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

for tool in cmake swig javac mvn; do
    command -v "$tool" >/dev/null || fail "$tool not found (apt-get install -y swig default-jdk-headless maven)"
done

step "libajwt in $build"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja -DAJWT_BUILD_TESTS=OFF >/dev/null
targets=(ajwt)
grep -q '^AJWT_BUILD_CLI:BOOL=ON' "$build/CMakeCache.txt" && targets+=(ajwt_cli)
cmake --build "$build" --target "${targets[@]}" >/dev/null
lib="$build/capi/libajwt.so"
[ -e "$lib" ] || fail "no $lib"
cli="$build/capi/cli/ajwt"
[ -x "$cli" ] || { echo "note: no ajwt CLI in $build; the cross-language test will be skipped"; cli=""; }

step "libajwt_jni (SWIG)"
jni_build="$build/bindings-java"
gen="$java_dir/target/generated-sources/swig"
generator=()
[ -f "$jni_build/CMakeCache.txt" ] || generator=(-G "$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$build/CMakeCache.txt")")
cmake -S "$java_dir" -B "$jni_build" "${generator[@]}" -DAJWT_LIBRARY="$lib" -DAJWT_JAVA_OUT="$gen" >/dev/null
cmake --build "$jni_build" >/dev/null
ls "$jni_build"/libajwt_jni.so

step "mvn package (JUnit 5)"
mvn_args=(-B -ntp -f "$java_dir/pom.xml" -Dajwt.jni.dir="$jni_build" -Dajwt.cli="$cli")
# Keep Maven's own output short: the build verdict and Surefire's per-class lines and summary.
log="$jni_build/mvn.log"
if ! mvn "${mvn_args[@]}" package >"$log" 2>&1; then
    cat "$log"
    fail "mvn package failed (log: $log)"
fi
grep -E 'Tests run:|BUILD|WARN.*Skipped|Building jar' "$log" || true
jar="$java_dir/target/libajwt-0.1.0.jar"

step "example"
ex_out="$jni_build/example-classes"
rm -rf "$ex_out"
javac -d "$ex_out" -cp "$jar" "$java_dir"/src/example/java/*.java
java -Dajwt.jni.dir="$jni_build" -cp "$jar:$ex_out" Example

step "Java binding OK"
