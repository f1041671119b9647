#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The table of bench/front_check.jsonl (bench/front_check.sh): predicted KL
(a sum of per-layer effects) against measured KL and top-1 along the front."""
import json, sys

rows = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else "bench/front_check.jsonl")]
print("| model | run | mean W bits | predicted KL | measured KL | measured / predicted | test top-1 % |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    model, kind, x = r["key"].split("/")
    p = r["predicted_kl"]
    run = "auto `--avg-wbits %s`" % x if kind == "auto" else "uniform W%s" % x
    pred = "–" if p is None else "%.4f" % p
    ratio = "–" if p is None else "%.1f×" % (r["kl"] / p)
    print("| %s | %s | %.3f | %s | %.4f | %s | %.2f |" % (model, run, r["weight_bits_avg"], pred, r["kl"], ratio, r["q_top1"]))
