#!/usr/bin/env bash
# The sanitizer build of everything (engine, GUI, plugins, tests) with
# AddressSanitizer + UndefinedBehaviorSanitizer, in ./build-asan (clang-14,
# libclang-rt-14-dev). scripts/test-sanitize.sh runs the CTest suite on it.
# (The fuzz targets have their own build, scripts/build-fuzz.sh: libFuzzer's
# coverage instrumentation would slow the suite's hot loops further.)
# Extra arguments go to `cmake --build`.
set -euo pipefail
cd "$(dirname "$0")/.."
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || apt-get install -y --no-install-recommends libclang-rt-14-dev
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DMETAAUG_SANITIZE=ON -DMETAAUG_FUZZ=OFF >/dev/null
cmake --build build-asan -j "${JOBS:-$(nproc)}" "$@"
