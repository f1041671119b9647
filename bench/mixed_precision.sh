#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 20's evidence: mixed precision (--bits auto) against uniform bits of
# the same packed weight size, on both bundled models, at the sizes of
# uniform W2, W3 and W4 (A4), 3 seeds; with geniem and with rtn. One JSON
# line per run in OUT (appended; a line already there for the same
# model/method/size/kind/seed is skipped, so the study resumes across sessions).
# KINDS: "weight" (auto at the uniform run's packed weight bytes) and/or
# "bops" (auto at the uniform run's bit-operations, input bits allocated too).
# Usage: bench/mixed_precision.sh [BIN] [OUT] [METHODS] [KINDS]
#   e.g. bench/mixed_precision.sh build/bin/metaaug bench/mixed_precision.jsonl "rtn geniem" weight
set -euo pipefail
bin=${1:-build/bin/metaaug}; out=${2:-bench/mixed_precision.jsonl}; methods=${3:-rtn geniem}; kinds=${4:-weight}
models=$(dirname "$("$bin" info --json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["model"])')")
touch "$out"
run() {  # name, args...: one quantize run, its key figures as one line
  local key=$1; shift
  grep -qF "\"key\": \"$key\"" "$out" && return 0
  "$bin" quantize --no-store --quiet --json "$@" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin); key = sys.argv[1]
print(json.dumps({"key": key, "q_top1": r["q_top1"], "kl": r["kl"], "agreement": r["agreement"],
                  "weight_bytes": r.get("weight_bytes"), "weight_bits_avg": r.get("weight_bits_avg"), "bops": r.get("bops"),
                  "predicted_kl": r["spec"].get("allocation", {}).get("predicted_kl"), "wall_s": r["wall_s"],
                  "layers": {l["name"]: [l["wbits"], l["abits"]] for l in r["layers"]}}))' "$key" >> "$out"
  tail -1 "$out" | cut -c1-160
}
for model in resnet20_fmnist mobilenetv2s_fmnist; do
  for method in $methods; do
    for w in 2 3 4; do
      for seed in 0 1 2; do
        common=(--model "$models/$model.pt" --method "$method" --abits 4 --seed "$seed")
        run "$model/$method/W${w}A4/uniform/$seed" "${common[@]}" --wbits "$w"
        uniform() { grep -F "\"key\": \"$model/$method/W${w}A4/uniform/$seed\"" "$out" | /usr/bin/python3 -c "import json,sys; print(int(json.loads(sys.stdin.readline())['$1']))"; }
        # An auto run gets the uniform run's packed weight size (or BOPs) as its budget.
        if [[ " $kinds " == *" weight "* ]]; then
          run "$model/$method/W${w}A4/auto/$seed" "${common[@]}" --bits auto --weight-budget "$(uniform weight_bytes)"
        fi
        if [[ " $kinds " == *" bops "* ]]; then
          run "$model/$method/W${w}A4/auto-bops/$seed" "${common[@]}" --bits auto --bops-budget "$(uniform bops)"
        fi
      done
    done
  done
done
