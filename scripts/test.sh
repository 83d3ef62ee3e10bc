#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the machine lacks, builds once,
# and runs every suite against that build.
#   scripts/test.sh            everything
#   AJWT_BUILD_DIR=dir         build directory (default: build)
#   AJWT_FUZZ_SECONDS=n        seconds per fuzz target in the smoke run (default 10)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$AJWT_ROOT"
root="$AJWT_ROOT"
build_dir=${AJWT_BUILD_DIR:-$root/build}
jobs=${AJWT_JOBS:-$(nproc)}

# The suites' own steps are "== ..."; this script's are one level up.
suite() { printf '\n==== %s\n' "$*"; }

suite "system packages"
ensure_packages lint  # lint: clang-format for scripts/lint.sh

suite "lint: the fast lane (ruff, mypy, gofmt, go vet, cargo fmt, clippy, clang-format)"
scripts/lint.sh

suite "configure and build (${build_dir})"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAJWT_BUILD_TESTS=ON
cmake --build "$build_dir" -j "$jobs"

suite "C++, C and command-line suites (ctest)"
# The ajwt tool's suite is pytest driving the binary; the machine's python3 runs it.
python3 -c "import pytest" 2>/dev/null || python3 -m pip install --quiet pytest
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure

suite "memory safety: ASan + UBSan GoogleTest suites (build-asan), the C program under valgrind"
AJWT_BUILD_DIR="$build_dir" AJWT_JOBS="$jobs" scripts/sanitize.sh

suite "fuzz smoke: each libFuzzer target for ${AJWT_FUZZ_SECONDS:-10} s after replaying its past crashes (build-fuzz)"
AJWT_FUZZ_JOBS="$jobs" scripts/fuzz.sh "${AJWT_FUZZ_SECONDS:-10}"

suite "Python suites (asymmetric_jwt_auth on SQLite; interop with upstream 1.x)"
scripts/test-python.sh

suite "Python suites on real services (PostgreSQL, Redis, worker processes, JWKS over HTTP, async)"
scripts/test-services.sh

suite "the admin's key flow in headless Chromium (Selenium; screenshots in build-python/artifacts)"
scripts/test-browser.sh

suite "the demo (scripts/demo.sh, checked end to end)"
AJWT_BUILD_DIR="$build_dir" .venv-test/bin/python -m pytest -c pyproject.toml --rootdir . tests/demo

suite "Node binding (node --test)"
AJWT_BUILD_DIR="$build_dir" scripts/test-bindings-node.sh

suite "Java binding over SWIG (JUnit, examples over HTTP)"
AJWT_BUILD_DIR="$build_dir" scripts/test-bindings-java.sh

suite "Go and Rust bindings (go test -race, cargo test, examples)"
AJWT_BUILD_DIR="$build_dir" scripts/test-bindings-go-rust.sh

suite "cross-language check of all five (Go, Rust, Python, Node, Java)"
# The Node and Java example clients join Go, Rust and Python in the signer x verifier matrix.
AJWT_BUILD_DIR="$build_dir" \
AJWT_CROSS_DRIVERS="node=node $root/bindings/node/example/client.js;java=$root/bindings/swig/java/run-example.sh client" \
  scripts/test-cross-language.sh

suite "the fleet: Go, Rust, Node, Java and Django services sharing one Redis (tests/fleet/README.md)"
# After the binding suites: it uses their node_modules, Maven cache and Cargo target, and the test virtualenv.
AJWT_BUILD_DIR="$build_dir" scripts/test-fleet.sh

suite "all suites passed"
