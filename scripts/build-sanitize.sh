#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The sanitizer build of everything (engine, GUI, plugins, tests) with
# AddressSanitizer + UndefinedBehaviorSanitizer, in ./build-asan (clang-14,
# libclang-rt-14-dev). scripts/test-sanitize.sh runs the CTest suite on it.
# (The fuzz targets have their own build, scripts/build-fuzz.sh: libFuzzer's
# coverage instrumentation would slow the suite's hot loops further.)
# Extra arguments go to `cmake --build`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/clang-configure.sh
. scripts/clang-configure.sh
clang_configure build-asan -DMETAAUG_SANITIZE=ON -DMETAAUG_FUZZ=OFF
cmake --build build-asan -j "${JOBS:-$(nproc)}" "$@"
