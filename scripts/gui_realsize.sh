#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The workbench at real size (issue 19): opens a card-less 224x224 model
# under Xvfb (the card dialog is answered with the ImageNet preset), runs one
# spec with the engine's default threads, and saves the card dialog, the
# window before, during and after the run. Prints the GUI event loop's
# lateness during the run (10 ms timer; target p99 < 50 ms).
# Usage: scripts/gui_realsize.sh MODEL.pt IMAGE_FOLDER SPEC.json [OUT_DIR]
#   e.g. bench/onnx_zoo.py writes resnet50_traced.pt, bench/make_images.py a folder,
#   bench/gui_resnet50.json is the spec of the screenshots in docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:?model file}; images=${2:?image folder}; spec=${3:?run spec JSON}; OUT=${4:-docs/screenshots}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$model" "$work/"  # a writable folder without a card beside the model
mkdir -p "$OUT"
start=$(date +%s)
XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
  xvfb-run -a -s "-screen 0 1600x1000x24" build/bin/metaaug-workbench --no-settings --db "$work/runs.sqlite" \
  --model "$work/$(basename "$model")" --calib "$images" --eval "$images" --screenshots "$OUT" --screenshot-spec "$spec"
echo "wall $(( $(date +%s) - start )) s; screenshots in $OUT"
