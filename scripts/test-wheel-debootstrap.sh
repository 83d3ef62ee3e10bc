#!/usr/bin/env bash
# The wheel on a bare machine: builds it (scripts/build-wheel.sh), makes a clean Debian root with
# debootstrap --variant=minbase holding python3 and python3-venv only (no compiler, no -dev
# package, no libsodium, no libajwt), and in it, as root in a chroot, installs the wheel with pip
# (Django comes from the package index) and runs tests/packaging/wheel_smoke.py: sign and verify
# with Ed25519 and RSA keys, tampered and stale tokens refused, a Django request through
# JWTAuthMiddleware on SQLite accepted and its replay refused, the wheel's own libcrypto and
# libsodium in use.
#
#   sudo scripts/test-wheel-debootstrap.sh   (3 min here: the wheel 66 s, debootstrap 95-107 s,
#                                            pip and the smoke test 9-13 s)
#
#   AJWT_WHEEL=path.whl      test this wheel instead of building one
#   AJWT_DEBIAN_MIRROR=url   Debian mirror (default: the first Debian URI in apt's sources)
#   AJWT_DEBIAN_SUITE=name   suite (default: this machine's VERSION_CODENAME)
#
# Needs root, debootstrap (apt-get install debootstrap) and network access to the mirror and PyPI.
# Not part of scripts/test.sh: the Debian root alone takes about two minutes to make.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || fail "debootstrap not found (apt-get install debootstrap)"

if [ -n "${AJWT_WHEEL:-}" ]; then
    wheel="$AJWT_WHEEL"
else
    step "the wheel (scripts/build-wheel.sh)"
    "$root/scripts/build-wheel.sh" > "$root/build-wheel/build-wheel.log" 2>&1 ||
        { tail -n 40 "$root/build-wheel/build-wheel.log"; fail "scripts/build-wheel.sh"; }
    wheel="$(ls "$root"/dist/libajwt_django-*manylinux*.whl | head -n1)"
fi
[ -f "$wheel" ] || fail "no wheel $wheel"
echo "wheel: $wheel"

suite="${AJWT_DEBIAN_SUITE:-$(. /etc/os-release && echo "$VERSION_CODENAME")}"
mirror="${AJWT_DEBIAN_MIRROR:-$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || true) |
    grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ')}"
mirror="${mirror:-http://deb.debian.org/debian}"

chroot_dir="$(mktemp -d /var/tmp/ajwt-wheel-root.XXXXXX)"
cleanup() {
    umount "$chroot_dir/proc" 2>/dev/null || true
    rm -rf --one-file-system "$chroot_dir"
}
trap cleanup EXIT

step "debootstrap --variant=minbase $suite from $mirror (python3, python3-venv)"
t0=$SECONDS
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates "$suite" "$chroot_dir" "$mirror" \
    > "$chroot_dir.log" 2>&1 || { tail -n 30 "$chroot_dir.log"; fail "debootstrap"; }
rm -f "$chroot_dir.log"
echo "Debian root made in $((SECONDS - t0)) s"

step "the root is bare: no compiler, no headers, no libsodium, no libajwt"
for tool in cc gcc g++ c++ clang cmake; do
    chroot "$chroot_dir" /bin/sh -c "command -v $tool" >/dev/null && fail "$tool is installed in the root"
done
[ ! -e "$chroot_dir/usr/include/openssl" ] || fail "OpenSSL headers are installed in the root"
[ ! -e "$chroot_dir/usr/include/python3.11/Python.h" ] || fail "Python headers are installed in the root"
! find "$chroot_dir/usr/lib" "$chroot_dir/usr/local" -name 'libsodium*' -o -name 'libajwt*' | grep -q . ||
    fail "libsodium or libajwt is installed in the root"
echo "ok: $(chroot "$chroot_dir" dpkg-query -W -f '${Package}\n' | wc -l) Debian packages, $(chroot "$chroot_dir" python3 --version)"

step "pip install the wheel (+ Django from the index) in a virtualenv in the root"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
# pip in the root trusts what this machine trusts (a TLS-intercepting proxy's CA, for one).
host_ca=""
for bundle in "${PIP_CERT:-}" /etc/ssl/certs/ca-certificates.crt; do
    if [ -n "$bundle" ] && [ -f "$bundle" ]; then
        cp "$bundle" "$chroot_dir/etc/ssl/certs/host-ca-bundle.crt"
        host_ca=/etc/ssl/certs/host-ca-bundle.crt
        break
    fi
done
mount -t proc proc "$chroot_dir/proc"
mkdir -p "$chroot_dir/tmp/ajwt"
cp "$wheel" "$root/tests/packaging/wheel_smoke.py" "$chroot_dir/tmp/ajwt/"
in_root() {
    chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
        ${host_ca:+PIP_CERT=$host_ca} ${PIP_INDEX_URL:+PIP_INDEX_URL=$PIP_INDEX_URL} "$@"
}
in_root python3 -m venv /opt/venv
in_root /opt/venv/bin/pip install -q "/tmp/ajwt/$(basename "$wheel")"
in_root /opt/venv/bin/pip check
in_root /opt/venv/bin/pip list --format=freeze

step "smoke test in the root"
in_root /bin/sh -c 'cd /tmp && /opt/venv/bin/python /tmp/ajwt/wheel_smoke.py'

step "the wheel works on a bare Debian root (total ${SECONDS} s)"
