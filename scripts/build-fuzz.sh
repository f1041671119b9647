#!/usr/bin/env bash
# The fuzz targets (tests/fuzz) as libFuzzer programs with ASan + UBSan, in
# ./build-fuzz (clang-14, libclang-rt-14-dev); run them with scripts/fuzz.sh.
# Extra arguments go to `cmake --build` (default: all seven targets).
set -euo pipefail
cd "$(dirname "$0")/.."
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || apt-get install -y --no-install-recommends libclang-rt-14-dev
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DMETAAUG_FUZZ=ON -DMETAAUG_BUILD_GUI=OFF >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(--target fuzz_idx fuzz_image fuzz_torchscript fuzz_onnx fuzz_runbundle fuzz_modelcard fuzz_datasource)
cmake --build build-fuzz -j "${JOBS:-$(nproc)}" "${targets[@]}"
