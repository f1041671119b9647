#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Markdown table of bench/mixed_precision.jsonl: per model, method and size,
uniform against auto (same packed weight bytes) over the seeds run: mean test
top-1, mean KL, and the auto runs' predicted KL (the sum of per-layer effects)."""
import collections
import json
import statistics
import sys

rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1] if len(sys.argv) > 1 else "bench/mixed_precision.jsonl"):
    r = json.loads(line)
    model, method, size, kind, seed = r["key"].split("/")
    rows[(model, method, size)][kind].append(r)
print("| model | method | size | seeds | uniform top-1 % | auto top-1 % | Δ pt | uniform KL | auto KL | auto predicted KL |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (model, method, size), kinds in sorted(rows.items()):
    u, a = kinds.get("uniform", []), kinds.get("auto", [])
    n = min(len(u), len(a))
    if n == 0:
        continue
    u, a = u[:n], a[:n]
    mean = lambda rs, k: statistics.mean(x[k] for x in rs)
    print(f"| {model} | {method} | {size} | {n} | {mean(u, 'q_top1'):.2f} | {mean(a, 'q_top1'):.2f} | "
          f"{mean(a, 'q_top1') - mean(u, 'q_top1'):+.2f} | {mean(u, 'kl'):.4f} | {mean(a, 'kl'):.4f} | {mean(a, 'predicted_kl'):.4f} |")
