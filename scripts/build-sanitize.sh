#!/usr/bin/env bash
# The hardening build: everything (engine, GUI, plugins, tests) with
# AddressSanitizer + UndefinedBehaviorSanitizer, and tests/fuzz as libFuzzer
# programs, in ./build-asan (clang-14, libclang-rt-14-dev). Then:
#   scripts/test-sanitize.sh          the whole CTest suite under ASan/UBSan
#   scripts/fuzz.sh TARGET [SECONDS]  one fuzzer (tests/fuzz/README.md)
# Extra arguments go to `cmake --build` (e.g. --target fuzz_idx).
set -euo pipefail
cd "$(dirname "$0")/.."
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || apt-get install -y --no-install-recommends libclang-rt-14-dev
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
if [ ! -f build-asan/CMakeCache.txt ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DMETAAUG_FUZZ=ON
fi
cmake --build build-asan -j "${JOBS:-$(nproc)}" "$@"
