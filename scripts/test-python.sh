#!/usr/bin/env bash
# Builds and installs the Python package asymmetric_jwt_auth (the pybind11 extension over libajwt's C ABI,
# through scikit-build-core and the top-level CMake), builds a second virtualenv with the upstream
# asymmetric-jwt-auth 1.x for the interoperability tests, and runs the pytest suites:
#   1. tests/python with django.contrib.auth's User
#   2. tests/python/custom_user with a swapped-in user model (settings_custom_user)
#
# A full run (no extra arguments) ends with upstream 1.3.0's own test suite against this package and against
# upstream (scripts/test-upstream-suite.sh).
#
# The optional extras (drf, spectacular, requests, httpx) are installed too: their tests use the real libraries.
#
# Reuses both virtualenvs and the CMake build directory across runs (incremental rebuilds); pip's own
# cache keeps downloads. Extra arguments go to the first pytest run, e.g. scripts/test-python.sh -k jwks
#
# Environment:
#   AJWT_PY_VENV        our virtualenv (default .venv-test)
#   AJWT_UPSTREAM_VENV  the upstream 1.x virtualenv (default .venv-upstream)
#   AJWT_UPSTREAM_SPEC  what to install there (default asymmetric-jwt-auth==1.3.0)
#   PYTHON              interpreter to create the virtualenvs with (default python3)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT="$AJWT_ROOT"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV="${AJWT_PY_VENV:-$ROOT/.venv-test}"
UPSTREAM_VENV="${AJWT_UPSTREAM_VENV:-$ROOT/.venv-upstream}"
UPSTREAM_SPEC="${AJWT_UPSTREAM_SPEC:-asymmetric-jwt-auth==1.3.0}"
BUILD_DIR="$ROOT/build-python/{wheel_tag}"

# A fresh Debian machine may lack venv support or the headers the extension compiles against.
ensure_python_tooling() {
    if "$PYTHON" -c 'import venv, ensurepip, sysconfig, os, sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)' 2>/dev/null; then
        return
    fi
    step "$PYTHON lacks the venv module or its C headers: installing python3-venv and python3-dev"
    ensure_packages
}

make_venv() {
    local dir="$1"
    if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
        "$dir/bin/python" -m pip install -q --upgrade pip
    fi
}

ensure_python_tooling

step "virtualenv $VENV: build and test dependencies"
make_venv "$VENV"
# The build runs without isolation (next step), so its requirements live in the venv and are reused.
"$VENV/bin/python" -m pip install -q --upgrade-strategy only-if-needed \
    "scikit-build-core>=0.11" "pybind11>=2.12" \
    "django>=4.2" "pytest>=8" "pytest-django>=4.8" "freezegun>=1.4" "pyjwt>=2.8" "cryptography>=42" \
    "djangorestframework>=3.15" "drf-spectacular>=0.27" "requests>=2.31" "httpx>=0.27"

step "building and installing libajwt-django, the import package asymmetric_jwt_auth (pip install .)"
# A virtualenv from before the rename holds the same files under upstream's distribution name.
"$VENV/bin/python" -m pip uninstall -q -y asymmetric-jwt-auth 2>/dev/null || true
# At most two compile jobs: the machines this runs on have two cores.
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    "$VENV/bin/python" -m pip install -q --no-build-isolation --no-deps --force-reinstall \
    --config-settings=build-dir="$BUILD_DIR" \
    "$ROOT"
"$VENV/bin/python" -m pip check
# The import package belongs to our distribution alone, at ajwt.h's version, with the LICENSE.
"$VENV/bin/python" - "$(python3 "$ROOT/scripts/check-versions.py" | sed 's/.* //')" <<'EOF'
import sys
from importlib import metadata

owners = metadata.packages_distributions().get("asymmetric_jwt_auth")
assert owners == ["libajwt-django"], f"asymmetric_jwt_auth/ installed by {owners}"
dist = metadata.distribution("libajwt-django")
assert dist.version == sys.argv[1], f"libajwt-django {dist.version}, ajwt.h says {sys.argv[1]}"
assert any(f.name == "LICENSE" for f in dist.files), "no LICENSE in the installed metadata"
print(f"libajwt-django {dist.version} owns asymmetric_jwt_auth/")
EOF

step "virtualenv $UPSTREAM_VENV: $UPSTREAM_SPEC (interoperability tests)"
make_venv "$UPSTREAM_VENV"
if ! "$UPSTREAM_VENV/bin/python" -c 'import asymmetric_jwt_auth.keys, django, jwt' 2>/dev/null; then
    "$UPSTREAM_VENV/bin/python" -m pip install -q "$UPSTREAM_SPEC"
fi
export AJWT_UPSTREAM_PYTHON="$UPSTREAM_VENV/bin/python"
export AJWT_REQUIRE_UPSTREAM=1

# Run from the tests folder, so that the source tree's python/ is never importable instead of the wheel.
cd "$ROOT/tests/python"
export PYTHONDONTWRITEBYTECODE=1

step "pytest: tests/python (django.contrib.auth User)"
"$VENV/bin/python" -m pytest -c "$ROOT/pyproject.toml" --rootdir "$ROOT" "$ROOT/tests/python" "$@"

step "pytest: tests/python/custom_user (swapped user model)"
"$VENV/bin/python" -m pytest -c "$ROOT/pyproject.toml" --rootdir "$ROOT" "$ROOT/tests/python/custom_user" \
    --ds testproject.settings_custom_user

if [ "$#" -eq 0 ]; then
    "$ROOT/scripts/test-upstream-suite.sh"
fi
