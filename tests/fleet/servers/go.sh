#!/usr/bin/env bash
# The Go fleet service (bindings/go/examples/fleet: net/http + ajwthttp middleware and Transport,
# ajwtredis nonce store, JWKS cache): builds it into $FLEET_BUILD_DIR/go (else $AJWT_BUILD_DIR/fleet/go,
# else a temporary directory; Go's build cache makes a rebuild of unchanged sources immediate), then runs
# it with the arguments given. libajwt comes from pkg-config (scripts/lib.sh stage_libajwt sets
# PKG_CONFIG_PATH, CGO_* and LD_LIBRARY_PATH). Build output goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
if [ -n "${FLEET_BUILD_DIR:-}" ]; then
    out="$FLEET_BUILD_DIR/go"
elif [ -n "${AJWT_BUILD_DIR:-}" ]; then
    out="$AJWT_BUILD_DIR/fleet/go"
else
    out="$(mktemp -d)"
fi
mkdir -p "$out"
export PATH="$PATH:/usr/local/go/bin"
cd "$root/bindings/go/examples/fleet"
go build -o "$out/fleet-server" . >&2
exec "$out/fleet-server" "$@"
