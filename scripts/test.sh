#!/bin/bash
# The whole test suite on a fresh machine: dependencies, build, unit + fuzz + end-to-end tests.
#   scripts/test.sh            everything
#   scripts/test.sh -L unit    one label (unit, fuzz, e2e), any ctest arguments
# The build in ./build is RelWithDebInfo, or $VERIFIED_BUILD_TYPE (CI: Release).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh "${VERIFIED_BUILD_TYPE:-RelWithDebInfo}" build
cd build
ctest --output-on-failure -j2 "$@"
