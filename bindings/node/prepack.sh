#!/usr/bin/env bash
# npm pack / npm publish run this first (package.json "prepack"): the package carries the
# top-level LICENSE and a self-contained libajwt.so.0 for this platform in prebuilds/, which
# index.js loads before looking for a system libajwt. AJWT_BUILD_DIR: the CMake build to use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
platform="$(node -p 'process.platform + "-" + process.arch')"
[ "$platform" = linux-x64 ] || echo "prepack: building prebuilds/$platform (only linux-x64 is tested)" >&2
cp "$root/LICENSE" "$here/LICENSE"
rm -rf "$here/prebuilds"
"$root/scripts/build-native-bundle.sh" "$here/prebuilds/$platform"
