# Shared by the scripts in scripts/ (source it: `. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"`):
# strict mode, the repository root, how a script reports progress and failure, and the one way
# to get system packages (scripts/install-deps.sh and its groups).
set -euo pipefail

AJWT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AJWT_SCRIPT="$(basename "$0" .sh)"

# A step of a script, with the seconds the script has run so far.
step() { printf '\n== %s  [%ss]\n' "$*" "$SECONDS"; }

# A note on stderr, named after the script (stdout stays the script's own output).
log() { printf '%s: %s\n' "$AJWT_SCRIPT" "$*" >&2; }

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# require_tools "hint" tool...: fails with the hint when a tool is not on PATH.
require_tools() {
    local hint="$1" tool
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || fail "$tool not found ($hint)"
    done
}

# require_go_rust "what is skipped": Go, cargo and the build tools, on PATH with their usual homes
# added; with AJWT_SKIP_MISSING_TOOLCHAINS=1 a missing one ends the script with SKIPPED (exit 0).
require_go_rust() {
    local tool
    export PATH="$PATH:/usr/local/go/bin:$HOME/.cargo/bin"
    for tool in go cargo cmake pkg-config python3; do
        command -v "$tool" >/dev/null && continue
        if [ "${AJWT_SKIP_MISSING_TOOLCHAINS:-0}" = 1 ]; then
            echo "SKIPPED: $tool not found; $1 did not run"
            exit 0
        fi
        fail "$tool not found (Go >= 1.24, e.g. /usr/local/go/bin; Rust >= 1.74 via rustup)"
    done
}

# ensure_packages [group...]: the Debian packages of scripts/install-deps.sh (the base set plus
# the groups named); installs only what is missing, asks no registry when nothing is.
ensure_packages() { "$AJWT_ROOT/scripts/install-deps.sh" "$@" >&2; }

# The CMake build directory of AJWT_BUILD_DIR (default build/, relative to the root), made absolute.
cmake_build_dir() {
    (cd "$AJWT_ROOT" && mkdir -p "${AJWT_BUILD_DIR:-build}" && cd "${AJWT_BUILD_DIR:-build}" && pwd)
}

# configure_build dir: configures the CMake build (no tests) unless it already is.
configure_build() {
    [ -f "$1/CMakeCache.txt" ] || cmake -S "$AJWT_ROOT" -B "$1" -G Ninja -DAJWT_BUILD_TESTS=OFF >/dev/null
}

# stage_libajwt build targets...: builds the targets, installs the library (header, CMake package,
# .pc) into build/bindings-stage and points pkg-config, cgo and the loader at it.
stage_libajwt() {
    local build="$1" stage pc_dir
    shift
    configure_build "$build"
    cmake --build "$build" --target "$@" >/dev/null
    stage="$build/bindings-stage"
    rm -rf "$stage"
    # Unspecified: the library, header, CMake package and .pc (not e.g. the Python module).
    cmake --install "$build" --prefix "$stage" --component Unspecified >/dev/null
    pc_dir="$(dirname "$(find "$stage" -name ajwt.pc | head -n1)")"
    # ajwt.pc carries the configure-time prefix; point it at the staging directory.
    sed -i "s|^prefix=.*|prefix=$stage|" "$pc_dir/ajwt.pc"
    export PKG_CONFIG_PATH="$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    AJWT_STAGED_LIBDIR="$(pkg-config --variable=libdir ajwt)"
    export LD_LIBRARY_PATH="$AJWT_STAGED_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    # Go's build cache does not key cgo packages on pkg-config's output (golang/go#24544): a package built
    # against an earlier staging prefix would be reused and fail to link. Flags in CGO_* are part of the key.
    export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} $(pkg-config --cflags ajwt)"
    export CGO_LDFLAGS="${CGO_LDFLAGS:--O2 -g} $(pkg-config --libs ajwt)"
    export CGO_ENABLED=1
}
