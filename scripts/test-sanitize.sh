#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole CTest suite on the sanitizer build (ASan + UBSan; see
# scripts/build-sanitize.sh). Arguments go to ctest (e.g. -L badinput).
# Every process (tests and the CLI processes they start) writes its
# sanitizer reports to build-asan/sanitizer-reports/; a test that expects a
# failing exit code cannot hide one there. The script fails when any
# report was written, even if every test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-sanitize.sh
# ONNX Runtime for the onnx-qdq export check: the normal build's copy when
# there is one, else its own.
if [ -d build/ort/node_modules ]; then ln -sfn ../build/ort build-asan/ort; else BUILD_DIR=build-asan scripts/setup-node.sh; fi
reports=$PWD/build-asan/sanitizer-reports
rm -rf "$reports" && mkdir -p "$reports"
# shellcheck source=scripts/sanitizer-env.sh
. scripts/sanitizer-env.sh
export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/asan"
export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/ubsan"
status=0
ctest --test-dir build-asan --output-on-failure --timeout 14400 "$@" || status=$?
if [ -n "$(ls -A "$reports")" ]; then
  echo "sanitizer reports in $reports:" >&2
  head -n 40 "$reports"/* >&2
  exit 1
fi
echo "no sanitizer reports"
exit "$status"
