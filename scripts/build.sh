#!/bin/bash
# Configures and builds.
#   scripts/build.sh                              RelWithDebInfo into ./build (what the tests use)
#   scripts/build.sh TYPE [DIR] [CMAKE_ARGS...]   another build type (Debug, Release, MinSizeRel)
# CXX=clang++ scripts/build.sh Debug build-clang  builds with clang.
# Unity build by default (CMake compiles the sources in batches, see CMakeLists.txt): a fresh
# build takes about a third of the CPU time. VERIFIED_UNITY=OFF for one object per source
# (faster rebuilds of one file while developing).
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-RelWithDebInfo}
dir=${2:-build}
shift $(($# < 2 ? $# : 2))
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DCMAKE_UNITY_BUILD="${VERIFIED_UNITY:-ON}" \
  "${launcher[@]}" "$@" > /dev/null
cmake --build "$dir" -j"$(nproc)"
