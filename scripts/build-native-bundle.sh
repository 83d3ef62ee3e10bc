#!/usr/bin/env bash
# Builds a self-contained libajwt.so.0 for the packages that carry the native library (the npm
# package's prebuilds/linux-x64/): libajwt's static archive, OpenSSL's libcrypto, libsodium and the
# C++ runtime linked into one shared object that needs only glibc (libc, libm). Only the ajwt_*
# symbols are exported (capi/ajwt.map), so the bundled OpenSSL never meets another copy in the
# process: inside Node, libajwt runs on its own libcrypto, not on the one node exports.
#
#   scripts/build-native-bundle.sh OUT_DIR      writes OUT_DIR/libajwt.so.0
#   AJWT_BUILD_DIR=dir   CMake build directory whose target ajwt_static is used (default build/)
#
# Needs the static archives of libcrypto and libsodium (Debian: libssl-dev, libsodium-dev).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
out="${1:?usage: scripts/build-native-bundle.sh OUT_DIR}"
build="${AJWT_BUILD_DIR:-$root/build}"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJWT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target ajwt_static >/dev/null

static_lib() { # the static archive of a pkg-config package
    local dir
    dir="$(pkg-config --variable=libdir "$1")"
    [ -f "$dir/$2" ] || fail "no $dir/$2 (install the -dev package with the static library)"
    echo "$dir/$2"
}
crypto="$(static_lib libcrypto libcrypto.a)"
sodium="$(static_lib libsodium libsodium.a)"

mkdir -p "$out"
tmp="$out/.libajwt.so.0.tmp"
"${CXX:-c++}" -shared -o "$tmp" -Wl,-soname,libajwt.so.0 \
    -Wl,--whole-archive "$build/capi/libajwt.a" -Wl,--no-whole-archive "$sodium" "$crypto" \
    -Wl,--version-script="$root/capi/ajwt.map" -Wl,--exclude-libs,libcrypto.a:libsodium.a \
    -static-libstdc++ -static-libgcc -Wl,--no-undefined -Wl,-O1 -pthread -ldl
strip --strip-unneeded "$tmp"
mv "$tmp" "$out/libajwt.so.0"
echo "$out/libajwt.so.0: $(du -h "$out/libajwt.so.0" | cut -f1), needs: $(readelf -d "$out/libajwt.so.0" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
