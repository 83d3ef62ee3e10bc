#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need: the base set, plus the groups named
# (fuzz, services, browser, lint). The one place scripts get system packages from (lib.sh ensure_packages).
# Idempotent: does nothing (and asks no registry) when everything is already there.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev libsodium-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
  python3-venv python3-dev
  openssh-client valgrind curl ca-certificates
  swig maven
)
# Any JDK will do for the Java binding; the machine image may ship one outside Debian's default.
command -v javac >/dev/null || packages+=(default-jdk-headless)
# Extra groups, asked for by the callers that need them.
for group in "$@"; do
  case "$group" in
    fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    services) packages+=(postgresql redis-server) ;;
    browser) packages+=(chromium chromium-driver) ;;
    lint) packages+=(clang-format-14) ;;
    *) fail "install-deps: unknown group '$group' (groups: fuzz, services, browser, lint)" ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
log "installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
