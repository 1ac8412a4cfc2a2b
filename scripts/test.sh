#!/bin/bash
# The whole test suite on a fresh machine: dependencies, build, unit + fuzz + end-to-end tests.
#   scripts/test.sh            everything
#   scripts/test.sh -L unit    one label (unit, fuzz, e2e), any ctest arguments
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j2 "$@"
