#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts the workbench under Xvfb, runs a short MetaAug run and a geniem run
# on the bundled ResNet-20 (256 images, R = 80, M = 40, 2000 test images),
# saves screenshots of the main window mid-run, after the run, of the
# comparison and of the runs browser, and prints the GUI event loop's
# lateness during the MetaAug run (10 ms timer; target p99 < 50 ms).
# Usage: scripts/gui_screenshots.sh [OUT_DIR]   (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/screenshots}
DB=$(mktemp -d)/screenshots.sqlite
mkdir -p "$OUT"
start=$(date +%s)
xvfb-run -a -s "-screen 0 1600x1000x24" build/bin/metaaug-workbench --db "$DB" --screenshots "$OUT"
echo "wall $(( $(date +%s) - start )) s; screenshots in $OUT; runs in $DB"
