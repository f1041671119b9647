#!/usr/bin/env bash
# The whole CTest suite on the sanitizer build (ASan + UBSan; see
# scripts/build-sanitize.sh). Arguments go to ctest (e.g. -L badinput).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-sanitize.sh
# ONNX Runtime for the onnx-qdq export check: the normal build's copy when
# there is one, else its own.
if [ -d build/ort/node_modules ]; then ln -sfn ../build/ort build-asan/ort; else BUILD_DIR=build-asan scripts/setup-node.sh; fi
# shellcheck source=scripts/sanitizer-env.sh
. scripts/sanitizer-env.sh
ctest --test-dir build-asan --output-on-failure --timeout 14400 "$@"
