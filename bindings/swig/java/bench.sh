#!/usr/bin/env bash
# Benchmark of the Java adapters (run by hand): signed requests/s through AjwtFilter +
# SigningHttpClient against the same embedded Tomcat without authentication, in one run, with
# ratios, and the verify floor (src/test/java/org/libajwt/bench/AdapterBench.java), then the C
# ABI's own verify time (bench/ffi/c_verify.c) for comparison.
#
#   bindings/swig/java/bench.sh [REQUESTS [BATCHES]]
#
# Needs what scripts/test-bindings-java.sh builds (libajwt in $AJWT_BUILD_DIR, libajwt_jni in
# $AJWT_BUILD_DIR/bindings-java, the compiled test classes in target/).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${AJWT_BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
jni_dir="$build/bindings-java"
[ -f "$jni_dir/libajwt_jni.so" ] || { echo "bench.sh: no $jni_dir/libajwt_jni.so; run scripts/test-bindings-java.sh" >&2; exit 2; }

mvn -B -q -ntp -f "$here/pom.xml" -Dajwt.jni.dir="$jni_dir" test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$here/target/bench-classpath.txt" >&2
cp="$here/target/classes:$here/target/test-classes:$(cat "$here/target/bench-classpath.txt")"
java -Dajwt.jni.dir="$jni_dir" -cp "$cp" org.libajwt.bench.AdapterBench "$@"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c99 -o "$tmp/c_verify" "$root/bench/ffi/c_verify.c" -I"$root/include" -L"$build/capi" -lajwt \
    -Wl,-rpath,"$build/capi"
echo "C ABI (bench/ffi/c_verify.c, ns per operation, process CPU time):"
"$tmp/c_verify" | sed 's/^/  /'
