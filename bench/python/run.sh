#!/usr/bin/env bash
# The Python benchmark: ours (the package built on libajwt) against upstream asymmetric-jwt-auth 1.x from PyPI
# and PyJWT, in one run. Prints the figures as the README's performance section and writes
#   bench/python/results.json   every figure measured
#   bench/python/results.md     the README section (tables and the reproducing command)
#   bench/python/results.png    the plot
#
#   bench/python/run.sh            the full run (about 10 minutes: most of it is the 10^6 verifications)
#   bench/python/run.sh --quick    a smoke test of the benchmark itself (short rounds; not figures)
# Other arguments go to bench_python.py run (e.g. --rounds 5, --rss-both).
#
# Virtualenvs, reused when present (the first two are the ones scripts/test-python.sh builds):
#   AJWT_PY_VENV        ours, with the package installed (default .venv-test; built here if missing)
#   AJWT_UPSTREAM_VENV  upstream (default .venv-upstream; AJWT_UPSTREAM_SPEC, default asymmetric-jwt-auth==1.3.0)
#   AJWT_BENCH_VENV     matplotlib for the plot only (default .venv-bench)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/python"
PYTHON="${PYTHON:-python3}"
VENV="${AJWT_PY_VENV:-$ROOT/.venv-test}"
UPSTREAM_VENV="${AJWT_UPSTREAM_VENV:-$ROOT/.venv-upstream}"
UPSTREAM_SPEC="${AJWT_UPSTREAM_SPEC:-asymmetric-jwt-auth==1.3.0}"
BENCH_VENV="${AJWT_BENCH_VENV:-$ROOT/.venv-bench}"

log() { printf '\n== %s\n' "$*" >&2; }

make_venv() {
    if [ ! -x "$1/bin/python" ]; then
        "$PYTHON" -m venv "$1"
        "$1/bin/python" -m pip install -q --upgrade pip
    fi
}

if ! "$VENV/bin/python" -c 'import asymmetric_jwt_auth._native, django, cryptography' 2>/dev/null; then
    log "building and installing asymmetric_jwt_auth into $VENV (Release, as pip install . does)"
    make_venv "$VENV"
    "$VENV/bin/python" -m pip install -q "scikit-build-core>=0.10" "pybind11>=2.12" "django>=4.2" "cryptography>=42"
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" "$VENV/bin/python" -m pip install -q --no-build-isolation \
        --config-settings=build-dir="$ROOT/build-python/{wheel_tag}" "$ROOT"
fi

if ! "$UPSTREAM_VENV/bin/python" -c 'import asymmetric_jwt_auth.keys, django, jwt, cryptography' 2>/dev/null; then
    log "virtualenv $UPSTREAM_VENV: $UPSTREAM_SPEC"
    make_venv "$UPSTREAM_VENV"
    "$UPSTREAM_VENV/bin/python" -m pip install -q "$UPSTREAM_SPEC"
fi

command_line="bench/python/run.sh${*:+ $*}"
log "benchmark ($command_line)"
"$VENV/bin/python" "$HERE/bench_python.py" run \
    --upstream-python "$UPSTREAM_VENV/bin/python" \
    --json "$HERE/results.json" --markdown "$HERE/results.md" \
    --command-line "$command_line" "$@"

if ! "$BENCH_VENV/bin/python" -c 'import matplotlib' 2>/dev/null; then
    log "virtualenv $BENCH_VENV: matplotlib (for the plot only)"
    make_venv "$BENCH_VENV"
    "$BENCH_VENV/bin/python" -m pip install -q matplotlib
fi
"$BENCH_VENV/bin/python" "$HERE/bench_python.py" plot "$HERE/results.json" "$HERE/results.png"
log "wrote $HERE/results.json, $HERE/results.md and $HERE/results.png"
