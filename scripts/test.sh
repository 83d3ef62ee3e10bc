#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the machine lacks, builds once,
# and runs every suite against that build.
#   scripts/test.sh            everything
#   AJWT_BUILD_DIR=dir         build directory (default: build)
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

step "C++ and C suites (ctest)"
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure

if [ -x scripts/test-python.sh ]; then
  step "Python suites"
  AJWT_BUILD_DIR="$build_dir" scripts/test-python.sh
fi

step "all suites passed"
