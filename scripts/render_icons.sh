#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders resources/icons/metaaug-workbench.svg into the hicolor PNG sizes
# committed beside it (rsvg-convert from Debian's librsvg2-bin). Run after
# changing the SVG.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for s in 16 24 32 48 64 128 256; do
  mkdir -p hicolor/${s}x${s}/apps
  rsvg-convert -w $s -h $s metaaug-workbench.svg -o hicolor/${s}x${s}/apps/metaaug-workbench.png
done
