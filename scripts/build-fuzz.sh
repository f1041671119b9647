#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The fuzz targets (tests/fuzz) as libFuzzer programs with ASan + UBSan, in
# ./build-fuzz (clang-14, libclang-rt-14-dev); run them with scripts/fuzz.sh.
# Extra arguments go to `cmake --build` (default: all seven targets).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/clang-configure.sh
. scripts/clang-configure.sh
clang_configure build-fuzz -DMETAAUG_FUZZ=ON -DMETAAUG_BUILD_GUI=OFF
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(--target fuzz_idx fuzz_image fuzz_torchscript fuzz_onnx fuzz_runbundle fuzz_modelcard fuzz_datasource fuzz_graphwire)
cmake --build build-fuzz -j "${JOBS:-$(nproc)}" "${targets[@]}"
