#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 19: does the same spec give the same result at 1 and 2 threads?
# Usage: bench/threads_check.sh [BIN] > bench/threads_check.jsonl
bin=${1:-build/bin/metaaug}
for t in 1 2; do
for m in rtn adaround brecq qdrop geniem metaaug; do
  extra=(); [ "$m" = metaaug ] && extra=(--meta-iters 5)
  s=$(date +%s.%N)
  "$bin" quantize --no-store --json --quiet --method "$m" --wbits 2 --abits 4 --iters 20 --calib-size 256 --eval-limit 500 --seed 3 --threads $t "${extra[@]}" \
   | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({k: r.get(k) for k in ["method","qweights_sha256","q_top1","kl","agreement"]} | {"threads":'$t'}))'
done; done
