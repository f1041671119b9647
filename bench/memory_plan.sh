#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Planned against measured peak memory (issue: "the memory plan is far too
# low at 224"). Each case runs `metaaug quantize` once, reads the plan's
# "peak memory about N MiB" and the process's peak RSS (/usr/bin/time), and
# appends one JSON line to bench/memory_plan.jsonl. A benchmark, not a test:
# the ResNet cases take minutes each on 2 cores.
#   bench/memory_plan.sh [BIN] [CASE...]   (cases: see the table below; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bin/metaaug}; shift || true
FIX=${FIXTURES:-build/fixtures}
OUT=bench/memory_plan.jsonl
Q=(--no-store --threads 1 --wbits 4 --abits 4 --iters 5)
declare -A CASES=(
  [r20-geniem]="--method geniem --calib-size 256 --eval-limit 256"
  [r20-metaaug]="--method metaaug --calib-size 256 --eval-limit 256 --meta-iters 5 --warmup-steps 5"
  [mbv2-geniem]="--model resources/models/mobilenetv2s_fmnist.pt --method geniem --calib-size 256 --eval-limit 256"
  [mbv2-metaaug]="--model resources/models/mobilenetv2s_fmnist.pt --method metaaug --calib-size 256 --eval-limit 256 --meta-iters 5 --warmup-steps 5"
  [r18-224-geniem]="--model $FIX/resnet18_traced.pt --card imagenet --method geniem --calib-size 64 --eval-limit 64"
  [r18-224-metaaug]="--model $FIX/resnet18_traced.pt --card imagenet --method metaaug --calib-size 64 --eval-limit 64 --meta-iters 5 --warmup-steps 5"
  [r50-224-geniem]="--model $FIX/resnet50_traced.pt --card imagenet --method geniem --calib-size 64 --eval-limit 64"
  [r50-224-metaaug]="--model $FIX/resnet50_traced.pt --card imagenet --method metaaug --calib-size 64 --eval-limit 64 --meta-iters 5 --warmup-steps 5"
)
ORDER=(r20-geniem r20-metaaug mbv2-geniem mbv2-metaaug r18-224-geniem r18-224-metaaug r50-224-geniem r50-224-metaaug)
[ $# -gt 0 ] && ORDER=("$@")
for c in "${ORDER[@]}"; do
  log=$(mktemp)
  # shellcheck disable=SC2086
  /usr/bin/time -f 'PEAK_KB %M WALL %e' "$BIN" quantize "${Q[@]}" ${CASES[$c]} >/dev/null 2>"$log" || { echo "$c failed:"; tail -3 "$log"; rm -f "$log"; continue; }
  planned=$(grep -o 'peak memory about [0-9.]* [MG]iB' "$log" | awk '{u=$5; v=$4; if (u=="GiB") v*=1024; print int(v)}')
  peak=$(awk '/PEAK_KB/ {print int($2/1024)}' "$log")
  wall=$(awk '/PEAK_KB/ {print $4}' "$log")
  ratio=$(awk -v p="$planned" -v m="$peak" 'BEGIN {printf "%.2f", p/m}')
  line="{\"case\":\"$c\",\"planned_mib\":$planned,\"measured_mib\":$peak,\"ratio\":$ratio,\"wall_s\":$wall,\"commit\":\"$(git rev-parse --short HEAD)\",\"date\":\"$(date -u +%F)\"}"
  echo "$line" | tee -a "$OUT"
  rm -f "$log"
done
