#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 20: is the allocation's predicted loss (a sum of per-layer effects)
# borne out? RTN runs with --bits auto at mean weight bits along the Pareto
# front, on both bundled models, A8: the predicted KL beside the measured KL
# and top-1; the uniform runs at the integer widths for reference. One JSON
# line per run in OUT (resumable: a key already there is skipped).
# Usage: bench/front_check.sh [BIN] [OUT]
set -euo pipefail
bin=${1:-build/bin/metaaug}; out=${2:-bench/front_check.jsonl}
models=$(dirname "$("$bin" info --json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["model"])')")
touch "$out"
run() {  # key, args...
  local key=$1; shift
  grep -qF "\"key\": \"$key\"" "$out" && return 0
  "$bin" quantize --no-store --quiet --json --method rtn --abits 8 "$@" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print(json.dumps({"key": sys.argv[1], "q_top1": r["q_top1"], "fp_top1": r["fp_top1"], "kl": r["kl"], "agreement": r["agreement"],
                  "weight_bits_avg": r.get("weight_bits_avg"), "weight_bytes": r.get("weight_bytes"),
                  "predicted_kl": r["spec"].get("allocation", {}).get("predicted_kl"), "wall_s": r["wall_s"]}))' "$key" >> "$out"
  tail -1 "$out" | cut -c1-200
}
for model in resnet20_fmnist mobilenetv2s_fmnist; do
  for avg in 2.25 2.5 3 3.5 4 5 6; do
    run "$model/auto/$avg" --model "$models/$model.pt" --bits auto --avg-wbits "$avg"
  done
  for w in 2 3 4 8; do
    run "$model/uniform/$w" --model "$models/$model.pt" --wbits "$w"
  done
done
