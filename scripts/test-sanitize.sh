#!/usr/bin/env bash
# The whole CTest suite on the sanitizer build (ASan + UBSan; see
# scripts/build-sanitize.sh). Arguments go to ctest (e.g. -L badinput).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-sanitize.sh
# shellcheck source=scripts/sanitizer-env.sh
. scripts/sanitizer-env.sh
ctest --test-dir build-asan --output-on-failure --timeout 3000 "$@"
