#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `metaaug bench` (3x3 conv forward/backward, 512x512 matmul) under the
# four combinations of the two machine-level settings that matter on small
# VMs: the BLAS LibTorch resolves (OpenBLAS via Debian's alternative vs the
# reference BLAS) and glibc's malloc thresholds (tuned at start vs default).
# Usage: bench/runtime_settings.sh [build-dir]
set -euo pipefail
BUILD=${1:-build}
BIN="$BUILD/bin/metaaug"
REF_BLAS_DIR=/usr/lib/x86_64-linux-gnu/blas
printf '%-34s %12s %16s %12s\n' "setting" "conv fwd ms" "conv fwd+bwd ms" "matmul ms"
row() {
  local label=$1; shift
  local json
  json=$(env "$@" "$BIN" bench --json --repeat 30)
  /usr/bin/python3 - "$label" "$json" <<'PY'
import json, sys
label, j = sys.argv[1], json.loads(sys.argv[2])
print(f"{label:<34} {j['conv3x3_fwd_ms']:12.3f} {j['conv3x3_fwd_bwd_ms']:16.3f} {j['matmul512_ms']:12.3f}   ({j['blas']})")
PY
}
row "OpenBLAS + malloc tuned (default)" METAAUG_DUMMY=1
row "OpenBLAS, glibc malloc default" METAAUG_NO_MALLOC_TUNING=1
row "reference BLAS + malloc tuned" LD_LIBRARY_PATH=$REF_BLAS_DIR
row "reference BLAS, malloc default" LD_LIBRARY_PATH=$REF_BLAS_DIR METAAUG_NO_MALLOC_TUNING=1
