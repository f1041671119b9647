#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs ONNX Runtime for Node (npm onnxruntime-node, CPU build for Linux
# x64; Debian has no onnxruntime) into build/ort for the onnx-qdq export
# check. --ignore-scripts: the package's install script only fetches GPU
# providers from nuget.org; the CPU runtime ships inside the npm package.
# Idempotent: reinstalls only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DEST="$BUILD_DIR/ort"
mkdir -p "$DEST"
if [ -d "$DEST/node_modules/onnxruntime-node" ] && cmp -s tests/export/ort/package-lock.json "$DEST/package-lock.json"; then
  echo "setup-node: onnxruntime-node present"
  exit 0
fi
cp tests/export/ort/package.json tests/export/ort/package-lock.json "$DEST/"
if ! (cd "$DEST" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); then
  echo "setup-node: warning: npm could not install onnxruntime-node; the onnx-qdq runtime check (export_onnx_ort) will fail" >&2
  rm -f "$DEST/package-lock.json"
fi
