#!/usr/bin/env bash
# The Java fleet service (bindings/swig/java/src/example/java/Fleet.java: Tomcat + AjwtFilter,
# SigningHttpClient, RedisNonceStore, JwksCache). Builds once into its own directory, then runs it
# with the arguments passed through (tests/fleet/README.md has the contract):
#   1. libajwt_jni (SWIG, bindings/swig/java/CMakeLists.txt) over libajwt.so: the staged one
#      (AJWT_STAGED_LIBDIR, set by scripts/test-fleet.sh), else $AJWT_BUILD_DIR/capi/libajwt.so;
#   2. Maven resolves the classpath only (offline first: nothing is downloaded when ~/.m2 has it);
#   3. javac compiles the binding, the adapters and Fleet.java into the build directory.
# Build directory: $FLEET_BUILD_DIR/java if set, else $AJWT_BUILD_DIR/fleet-java. Nothing is written
# into the source tree, and a second service started at the same time waits for the first build.
set -euo pipefail
root="${AJWT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
build="${AJWT_BUILD_DIR:-$root/build}"
out="${FLEET_BUILD_DIR:+$FLEET_BUILD_DIR/java}"
out="${out:-$build/fleet-java}"
java_dir="$root/bindings/swig/java"
mkdir -p "$out"

if [ -n "${AJWT_STAGED_LIBDIR:-}" ]; then
    lib="$AJWT_STAGED_LIBDIR/libajwt.so"
else
    lib="$build/capi/libajwt.so"
    [ -e "$lib" ] || cmake --build "$build" --target ajwt >&2
fi
[ -e "$lib" ] || { echo "java.sh: no $lib" >&2; exit 1; }

build_fleet() {
    local stamp="$out/.built"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lib" ] && [ ! "$lib" -nt "$stamp" ] &&
        [ -z "$(find "$java_dir/src/main" "$java_dir/src/example" "$java_dir/pom.xml" "$java_dir/CMakeLists.txt" \
            "$root/bindings/swig"/*.i "$root/include/ajwt.h" -newer "$stamp" -print -quit)" ]; then
        return
    fi
    echo "java.sh: building the Java fleet service in $out" >&2
    local generator=() swig_java="$out/swig-java"
    command -v ninja >/dev/null && generator=(-G Ninja)
    [ -f "$out/jni/CMakeCache.txt" ] && generator=()
    cmake -S "$java_dir" -B "$out/jni" "${generator[@]}" -DAJWT_LIBRARY="$lib" -DAJWT_JAVA_OUT="$swig_java" >/dev/null
    cmake --build "$out/jni" >/dev/null

    local mvn_args=(-B -q -f "$java_dir/pom.xml" dependency:build-classpath -Dmdep.includeScope=test
        -Dmdep.outputFile="$out/classpath.txt")
    mvn -o "${mvn_args[@]}" >/dev/null 2>&1 || mvn -ntp "${mvn_args[@]}" >&2

    rm -rf "$out/classes"
    find "$java_dir/src/main/java" "$swig_java" -name '*.java' > "$out/sources.txt"
    printf '%s\n' "$java_dir/src/example/java/Fleet.java" "$java_dir/src/example/java/Flags.java" >> "$out/sources.txt"
    javac -nowarn -d "$out/classes" -cp "$(cat "$out/classpath.txt")" @"$out/sources.txt" >&2
    echo "$lib" > "$stamp"
}

exec 9> "$out/.lock"
flock 9
build_fleet
flock -u 9
exec 9>&-

exec java -XX:+UseSerialGC -Dajwt.jni.dir="$out/jni" -cp "$out/classes:$(cat "$out/classpath.txt")" Fleet "$@"
