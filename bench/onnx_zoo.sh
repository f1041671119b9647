#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The ONNX import benchmark: every torchvision CNN family at opsets 13, 14
# and 17 (bench/onnx_zoo.py), each imported, partitioned into the units of
# its TorchScript import and run against ONNX Runtime (relative difference
# <= the tests' kEngineRelTolerance). Too long for CI; run before touching the
# ONNX importer.
#   bench/onnx_zoo.sh [BUILD_DIR] [ZOO_DIR] [FAMILY ...]   -> bench/onnx_zoo.txt
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}; zoo=${2:-/tmp/metaaug-onnx-zoo}; shift $(( $# > 2 ? 2 : $# ))
/usr/bin/python3 "$here/bench/onnx_zoo.py" "$zoo" "$@"
METAAUG_ONNX_ZOO=$zoo METAAUG_MODELS_DIR=$build/share/metaaug-workbench/models \
METAAUG_ORT_DIR=$build/ort METAAUG_TESTS_DIR=$here/tests \
  "$build/tests/tst_onnximport" torchvisionExport 2>&1 | grep -E "^(PASS|FAIL|QINFO|QWARN|Totals|   Loc)" | tee "$here/bench/onnx_zoo.txt"
