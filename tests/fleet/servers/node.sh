#!/usr/bin/env bash
# The Node fleet service (bindings/node/example/fleet.js). Builds and installs nothing: it needs
# bindings/node/node_modules as scripts/test-bindings-node.sh's `npm ci` leaves it (koffi, and the
# redis devDependency), and libajwt from AJWT_LIBRARY, else the staged library of scripts/test-fleet.sh
# (AJWT_STAGED_LIBDIR), else the system loader's path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
node_dir="$root/bindings/node"
if [ ! -d "$node_dir/node_modules/redis" ]; then
    echo "node.sh: $node_dir/node_modules has no redis package: run scripts/test-bindings-node.sh (npm ci) first" >&2
    exit 1
fi
if [ -z "${AJWT_LIBRARY:-}" ] && [ -n "${AJWT_STAGED_LIBDIR:-}" ]; then
    export AJWT_LIBRARY="$AJWT_STAGED_LIBDIR/libajwt.so.0"
fi
exec node "$node_dir/example/fleet.js" "$@"
