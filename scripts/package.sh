#!/bin/bash
# Builds the Debian package from a Release build:
#   scripts/package.sh [BUILD_DIR]      (default build-release) -> BUILD_DIR/verified_<v>_<arch>.deb
# Install it with `apt install ./BUILD_DIR/verified_*.deb`; `apt purge verified` takes verified
# out of every engine it was installed into and removes /etc/verified.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-release}
scripts/install-deps.sh
scripts/build.sh Release "$dir" -DVERIFIED_BUILD_TESTS=OFF -DVERIFIED_BUILD_BENCH=OFF
(cd "$dir" && cpack -G DEB > /dev/null)
ls "$dir"/verified_*.deb
