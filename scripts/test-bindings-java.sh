#!/usr/bin/env bash
# Tests of the Java (SWIG) binding against a CMake build of libajwt:
#   1. builds targets ajwt (and ajwt_cli when enabled) in $AJWT_BUILD_DIR;
#   2. builds libajwt_jni with SWIG (bindings/swig/java/CMakeLists.txt) into
#      $AJWT_BUILD_DIR/bindings-java, generating org.libajwt.internal for Maven;
#   3. mvn package in bindings/swig/java: compiles, runs the JUnit 5 tests (compat vectors,
#      keys/JWKS/tokens, nonce stores in C and in Java, the authenticator and its callbacks,
#      the cross-language check with the ajwt CLI, and the adapters: AjwtFilter in a real
#      Tomcat, SigningHttpClient, RedisNonceStore against a private redis-server, JwksCache over
#      a loopback JWKS endpoint), jars;
#   4. the examples against the jar (through bindings/swig/java/run-example.sh): the in-process
#      Example, then the HTTP server with the client over real HTTP (accepted, replay refused,
#      unknown user and wrong key refused), and the client's token/verify commands, which the
#      cross-language check of scripts/test-cross-language.sh drives
#      (AJWT_CROSS_DRIVERS="java=$PWD/bindings/swig/java/run-example.sh client").
#
#   AJWT_BUILD_DIR=dir   CMake build directory (default build/); target ajwt is built if needed
#   CMAKE_BUILD_PARALLEL_LEVEL=n   build jobs (cmake --build honours it)
#
# Maven downloads (JUnit 5, Gson for reading the vectors, the compiler/surefire/jar plugins)
# are cached in ~/.m2.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
build="$(cmake_build_dir)"
java_dir="$root/bindings/swig/java"

require_tools "scripts/install-deps.sh installs swig, a JDK and maven" cmake swig javac mvn
# The Redis nonce store's tests start their own redis-server (they skip, saying so, without one).
command -v redis-server >/dev/null || ensure_packages services

step "libajwt in $build"
configure_build "$build"
targets=(ajwt ajwt_static)
grep -q '^AJWT_BUILD_CLI:BOOL=ON' "$build/CMakeCache.txt" && targets+=(ajwt_cli)
cmake --build "$build" --target "${targets[@]}" >/dev/null
lib="$build/capi/libajwt.so"
[ -e "$lib" ] || fail "no $lib"
cli="$build/capi/cli/ajwt"
[ -x "$cli" ] || { echo "note: no ajwt CLI in $build; the cross-language test will be skipped"; cli=""; }

step "libajwt_jni (SWIG)"
jni_build="$build/bindings-java"
gen="$java_dir/target/generated-sources/swig"
# A `mvn clean` removes the generated Java half while CMake still has the glue: regenerate.
[ -f "$gen/org/libajwt/internal/AjwtNative.java" ] || rm -f "$jni_build/ajwt_wrap.cxx"
generator=()
[ -f "$jni_build/CMakeCache.txt" ] || generator=(-G "$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$build/CMakeCache.txt")")
cmake -S "$java_dir" -B "$jni_build" "${generator[@]}" -DAJWT_LIBRARY="$lib" -DAJWT_JAVA_OUT="$gen" >/dev/null
cmake --build "$jni_build" >/dev/null
ls "$jni_build"/libajwt_jni.so

step "libajwt_jni for the jar: libajwt.a, libcrypto, libsodium and the C++ runtime linked in"
# Its own SWIG output folder: the Java half is the same, and the Maven build reads the one above.
jni_bundled="$build/bindings-java-bundled"
cmake -S "$java_dir" -B "$jni_bundled" "${generator[@]}" -DAJWT_STATIC_LIBRARY="$build/capi/libajwt.a" \
    -DAJWT_JAVA_OUT="$jni_bundled/java" >/dev/null
cmake --build "$jni_bundled" >/dev/null
mkdir -p "$jni_bundled/native"
strip --strip-unneeded -o "$jni_bundled/native/libajwt_jni.so" "$jni_bundled/libajwt_jni.so"
needed="$(readelf -d "$jni_bundled/native/libajwt_jni.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
echo "$jni_bundled/native/libajwt_jni.so: $(du -h "$jni_bundled/native/libajwt_jni.so" | cut -f1), needs: $needed"
case "$needed" in *libajwt*|*libcrypto*|*libsodium*|*libstdc++*) fail "the jar's libajwt_jni needs $needed" ;; esac

step "cmake --install of libajwt_jni: RUNPATH \$ORIGIN, beside libajwt.so.0"
jni_stage="$jni_build/install-stage"
rm -rf "$jni_stage"
cmake --install "$jni_build" --prefix "$jni_stage" >/dev/null
installed_jni="$(find "$jni_stage" -name libajwt_jni.so)"
readelf -d "$installed_jni" | grep -E 'R(UN)?PATH'
[ "$(readelf -d "$installed_jni" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')" = '$ORIGIN' ] || fail "installed libajwt_jni's RUNPATH is not \$ORIGIN"

step "mvn package (JUnit 5)"
mvn_args=(-B -ntp -f "$java_dir/pom.xml" -Dajwt.jni.dir="$jni_build" -Dajwt.cli="$cli" -Dajwt.native.dir="$jni_bundled/native")
# Keep Maven's own output short: the build verdict and Surefire's per-class lines and summary.
log="$jni_build/mvn.log"
if ! mvn "${mvn_args[@]}" package >"$log" 2>&1; then
    cat "$log"
    fail "mvn package failed (log: $log)"
fi
grep -E 'Tests run:|BUILD|WARN.*Skipped|Building jar' "$log" || true
jar="$(ls "$java_dir"/target/libajwt-*.jar | head -n1)"

# run-example.sh finds the JNI library through this file (AJWT_JNI_DIR overrides it).
echo "$jni_build" > "$java_dir/target/jni-dir"
run="$java_dir/run-example.sh"

step "example (in-process)"
"$run" example

step "the jar alone: java -cp the.jar, no java.library.path, no ajwt.jni.dir, no libajwt on the system"
unzip -l "$jar" > "$jni_bundled/jar-contents"
grep -q 'org/libajwt/native/linux-x86_64/libajwt_jni.so' "$jni_bundled/jar-contents" || fail "$jar does not carry libajwt_jni.so"
grep -q 'META-INF/LICENSE' "$jni_bundled/jar-contents" || fail "$jar has no META-INF/LICENSE"
for dir in $(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.library.path = //p' | tr ':' ' '); do
    [ ! -e "$dir/libajwt_jni.so" ] || fail "$dir/libajwt_jni.so exists: not a clean state for this check"
done
jar_check="$(mktemp -d)"
cat > "$jar_check/JarOnly.java" <<'EOF'
public class JarOnly {
    public static void main(String[] args) {
        String version = org.libajwt.Ajwt.version();
        String source = org.libajwt.NativeLoader.source();
        if (!source.contains("libajwt_jni-")) throw new AssertionError("loaded from " + source + ", not the jar's copy");
        if (new java.io.File(source).exists()) throw new AssertionError(source + " was left behind");
        System.out.println("libajwt " + version + ", libajwt_jni extracted from the jar to " + source);
    }
}
EOF
(cd "$jar_check" && env -u LD_LIBRARY_PATH java -cp "$jar" JarOnly.java &&
    env -u LD_LIBRARY_PATH java -cp "$jar:$java_dir/target/example-classes" Example) || fail "the jar alone did not run"
rm -rf "$jar_check"

step "examples over HTTP: Java server, Java client"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
"$run" client keygen --type ed25519 --out alice
"$run" client keygen --type rsa --out bob
"$run" server --addr 127.0.0.1:0 --user alice=alice.pub --user bob=bob.pub > server.out 2>&1 &
server_pid=$!
url=""
for _ in $(seq 100); do
    if grep -q '^listening on ' server.out; then
        url="$(sed -n 's/^listening on //p' server.out)"
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { cat server.out >&2; fail "the Java server did not start"; }
[ "$(head -n1 server.out)" = "listening on $url" ] || fail "'listening on' is not the server's first line"
echo "server: listening on $url"

requests=0
expect_request() { # want-exit key user [--replay]
    local want="$1" key="$2" user="$3" got=0
    shift 3
    "$run" client request --url "$url/hello" --key "$key" --user "$user" "$@" > request.out 2>&1 || got=$?
    sed 's/^/    /' request.out
    [ "$got" = "$want" ] || fail "client -> server as $user with $key $*: exit $got, want $want"
    requests=$((requests + 1))
}
echo "alice, then the same request replayed:"
expect_request 0 alice.pem alice --replay   # 200, then 401 for the replay
echo "bob (RSA):"
expect_request 0 bob.pem bob
echo "unknown user:"
expect_request 1 alice.pem mallory          # 401
echo "alice's key claiming to be bob:"
expect_request 1 alice.pem bob              # 401
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
echo "examples: $requests requests against the Java server behaved as expected"

step "client token/verify (the cross-language driver)"
t0=1700000000
token="$("$run" client token --key alice.pem --user alice --time "$t0")"
[ "$("$run" client verify --public alice.pub --token "$token" --now $((t0 + 19)))" = alice ] || fail "verify refused a good token"
sig="${token##*.}"
[ "${sig:0:1}" = A ] && swap=B || swap=A
drivers=0
for refused in "alice.pub ${token%.*}.$swap${sig:1} $t0" "alice.pub $token $((t0 + 21))" "bob.pub $token $t0"; do
    read -r public bad now <<< "$refused"
    if "$run" client verify --public "$public" --token "$bad" --now "$now" > verify.out 2>&1; then
        fail "verify accepted a token it must refuse ($public, now $now): $(cat verify.out)"
    fi
    drivers=$((drivers + 1))
done
if [ -n "$cli" ]; then # the C++ CLI verifies the Java client's token, and vice versa
    cli_token="$("$cli" sign --key bob.pem --user cli-user --time "$t0")"
    [ "$("$run" client verify --public bob.pub --token "$cli_token" --now "$t0")" = cli-user ] ||
        fail "the Java client refused the CLI's token"
    [ "$(printf '%s\n' "$token" | "$cli" verify --pub alice.pub --now $((t0 + 19)))" = alice ] ||
        fail "the CLI refused the Java client's token"
    drivers=$((drivers + 2))
fi
echo "client token/verify: 1 token accepted, $drivers other checks as expected"
cd "$root"

step "Java binding OK"
