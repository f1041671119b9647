#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 18's behaviour check: the same seed must give the same qweights_sha256
# for every method before and after the run-contract refactor. Short runs
# (R 20, 256 calibration images, 500 test images) on the bundled ResNet-20.
# Usage: bench/contract_check.sh BIN OUT.jsonl
set -euo pipefail
bin=${1:?metaaug binary}; out=${2:?output jsonl}
: > "$out"
for m in rtn adaround brecq qdrop geniem metaaug; do
  extra=()
  [ "$m" = metaaug ] && extra=(--meta-iters 5)
  for s in "--wbits 2 --abits 4" "--wbits 4 --abits 4 --setting brecq --no-fold-bn"; do
    "$bin" quantize --no-store --json --method "$m" $s --iters 20 --calib-size 256 --eval-limit 500 --seed 3 "${extra[@]}" \
      | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({k: r.get(k) for k in ["method","wbits","abits","setting","qweights_sha256","q_top1","gap"]}))' >> "$out"
  done
done
