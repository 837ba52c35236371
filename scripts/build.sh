#!/usr/bin/env bash
# build.sh — configure with CMake + Ninja into build/ and build everything
# (the tessera command, unit and integration tests, micro-benchmarks).
#
#   usage:  bash scripts/build.sh [extra cmake -D options...]
#   env:    BUILD_DIR (default build), CMAKE_BUILD_TYPE (default RelWithDebInfo, as CMakeLists.txt)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" "$@"
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
echo "build.sh: built $BUILD_DIR/tessera"
