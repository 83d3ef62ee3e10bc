#!/usr/bin/env bash
# Tests of the Node binding (bindings/node, koffi over libajwt.so.0):
#   1. builds the targets ajwt and ajwt_cli in the CMake build directory;
#   2. installs the package's one dependency, koffi, and its devDependencies (redis, ioredis, fastify: the
#      optional peers the adapter tests use) with `npm ci` (package-lock.json pins them);
#   3. runs `node --test` with AJWT_LIBRARY pointing at the built libajwt.so.0 and AJWT_CLI at
#      the ajwt CLI: keys, JWK/JWKS, tokens, nonce stores (built-in and JS), the authenticator
#      with JS repositories (sync and async), handle lifetime, the compat and nonce-key vectors,
#      the CLI cross-check, the example server/client, the HTTP adapters over loopback
#      (middleware, Fastify, signedFetch, JwksCache), RedisNonceStore and example/fleet.js
#      against a redis-server each test starts (AJWT_REDIS_SERVER, else redis-server on the
#      PATH; those tests are skipped, saying so, without one).
#
# The example client also serves as a driver of the cross-language check in
# scripts/test-cross-language.sh (which puts the staged libajwt on LD_LIBRARY_PATH):
#   AJWT_CROSS_DRIVERS="node=node $PWD/bindings/node/example/client.js" scripts/test-cross-language.sh
# (koffi must be installed first: this script's npm ci does it.)
#
#   AJWT_BUILD_DIR=dir   CMake build directory (default build/); configured if needed
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$AJWT_ROOT"
build="$(cmake_build_dir)"

require_tools "Node >= 18.18 with npm" node npm cmake

step "libajwt and the ajwt CLI in $build"
configure_build "$build"
cmake --build "$build" --target ajwt ajwt_cli >/dev/null
# The library this build just made (not a copy an earlier ctest installed under tests/install_consumer).
AJWT_LIBRARY="$build/capi/libajwt.so.0"
[ -e "$AJWT_LIBRARY" ] || AJWT_LIBRARY=""
AJWT_CLI="$build/capi/cli/ajwt"
[ -x "$AJWT_CLI" ] || AJWT_CLI=
[ -n "$AJWT_LIBRARY" ] || fail "libajwt.so.0 not found under $build"
[ -n "$AJWT_CLI" ] || fail "the ajwt CLI not found under $build (is AJWT_BUILD_CLI off?)"
export AJWT_LIBRARY AJWT_CLI AJWT_VECTORS_DIR="$root/tests/vectors"
echo "AJWT_LIBRARY=$AJWT_LIBRARY"
echo "AJWT_CLI=$AJWT_CLI"

cd "$root/bindings/node"
step "npm ci (node $(node --version), npm $(npm --version))"
npm ci --no-audit --no-fund --loglevel=error

step "node --test"
node --test --test-reporter=spec test/

step "npm pack, then npm install of the tarball in an empty folder, no libajwt on the library path"
# prepack.sh puts LICENSE and a self-contained prebuilds/linux-x64/libajwt.so.0 into the package.
pack_dir="$(mktemp -d)"
trap 'rm -rf "$pack_dir"' EXIT
tarball="$pack_dir/$(AJWT_BUILD_DIR="$build" npm pack --silent --pack-destination "$pack_dir" | tail -n1)"
tar tzf "$tarball" > "$pack_dir/contents"
grep -qx package/prebuilds/linux-x64/libajwt.so.0 "$pack_dir/contents" || fail "$tarball has no prebuilds/linux-x64/libajwt.so.0"
for file in LICENSE README.md; do
    grep -qx "package/$file" "$pack_dir/contents" || fail "$tarball has no $file"
done
npm publish --dry-run --ignore-scripts "$tarball" >/dev/null 2>&1 || fail "npm publish --dry-run refuses $tarball"
mkdir "$pack_dir/app"
cd "$pack_dir/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$tarball"
cat > smoke.mjs <<'EOF'
import { Key, sign, verify, libraryFile, version } from 'ajwt';
import { realpathSync } from 'node:fs';
const key = Key.generate('ed25519');
const now = 1700000000;
const token = sign(key, 'alice', { time: now });
const { username } = verify(token, key, { now: now + 5 });
if (username !== 'alice') throw new Error(`verified as ${username}`);
let refused = false;
try { verify(token, key, { now: now + 60 }); } catch (e) { refused = e.code === 'AJWT_ERR_TOKEN_EXPIRED'; if (!refused) throw e; }
if (!refused) throw new Error('a token 60 s old was accepted');
const expected = realpathSync('node_modules/ajwt/prebuilds/linux-x64/libajwt.so.0');
if (realpathSync(libraryFile) !== expected) throw new Error(`loaded ${libraryFile}, not the packaged library`);
console.log(`libajwt ${version()} from ${libraryFile}: signed, verified, refused a stale token`);
EOF
env -u AJWT_LIBRARY -u LD_LIBRARY_PATH node smoke.mjs
cd "$root"

echo "cross-language driver: AJWT_CROSS_DRIVERS=\"node=node $root/bindings/node/example/client.js\""
step "done"
