#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the machine lacks, builds once,
# and runs every suite against that build.
#   scripts/test.sh            everything
#   AJWT_BUILD_DIR=dir         build directory (default: build)
#   AJWT_FUZZ_SECONDS=n        seconds per fuzz target in the smoke run (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${AJWT_BUILD_DIR:-$root/build}
jobs=${AJWT_JOBS:-$(nproc)}

step() { printf '\n==== %s\n' "$*"; }

step "system packages"
scripts/install-deps.sh

step "configure and build (${build_dir})"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAJWT_BUILD_TESTS=ON
cmake --build "$build_dir" -j "$jobs"

step "C++, C and command-line suites (ctest)"
# The ajwt tool's suite is pytest driving the binary; the machine's python3 runs it.
python3 -c "import pytest" 2>/dev/null || python3 -m pip install --quiet pytest
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure

step "memory safety: ASan + UBSan GoogleTest suites (build-asan), the C program under valgrind"
AJWT_BUILD_DIR="$build_dir" AJWT_JOBS="$jobs" scripts/sanitize.sh

step "fuzz smoke: each libFuzzer target for ${AJWT_FUZZ_SECONDS:-10} s after replaying its past crashes (build-fuzz)"
AJWT_FUZZ_JOBS="$jobs" scripts/fuzz.sh "${AJWT_FUZZ_SECONDS:-10}"

step "Python suites (asymmetric_jwt_auth on SQLite; interop with upstream 1.x)"
scripts/test-python.sh

step "Python suites on real services (PostgreSQL, Redis, worker processes, JWKS over HTTP, async)"
scripts/test-services.sh

step "the admin's key flow in headless Chromium (Selenium; screenshots in build-python/artifacts)"
scripts/test-browser.sh

step "the demo (scripts/demo.sh, checked end to end)"
AJWT_BUILD_DIR="$build_dir" .venv-test/bin/python -m pytest -c pyproject.toml --rootdir . tests/demo

step "Node binding (node --test)"
AJWT_BUILD_DIR="$build_dir" scripts/test-bindings-node.sh

step "Java binding over SWIG (JUnit, examples over HTTP)"
AJWT_BUILD_DIR="$build_dir" scripts/test-bindings-java.sh

step "Go and Rust bindings (go test -race, cargo test, examples), cross-language check of all five"
# The Node and Java example clients join Go, Rust and Python in the signer x verifier matrix.
AJWT_BUILD_DIR="$build_dir" \
AJWT_CROSS_DRIVERS="node=node $root/bindings/node/example/client.js;java=$root/bindings/swig/java/run-example.sh client" \
  scripts/test-bindings-go-rust.sh

step "all suites passed"
