#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Markdown table of bench/mixed_precision.jsonl: per model, method, size and
budget kind (auto: the uniform run's packed weight bytes; auto-bops: its
bit-operations), uniform against auto over the seeds run: mean test top-1,
the paired difference (mean ± std over seeds, and on how many seeds auto was
ahead), mean KL, and the auto runs' predicted KL (the sum of per-layer effects)."""
import collections
import json
import statistics
import sys

rows = collections.defaultdict(lambda: collections.defaultdict(dict))
for line in open(sys.argv[1] if len(sys.argv) > 1 else "bench/mixed_precision.jsonl"):
    r = json.loads(line)
    model, method, size, kind, seed = r["key"].split("/")
    rows[(model, method, size)][kind][seed] = r
print("| model | method | size | budget | seeds | uniform top-1 % | auto top-1 % | Δ pt (mean ± std) | auto ahead | uniform KL | auto KL | auto predicted KL |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (model, method, size), kinds in sorted(rows.items()):
    for kind, budget in (("auto", "weight bytes"), ("auto-bops", "BOPs")):
        seeds = sorted(set(kinds.get("uniform", {})) & set(kinds.get(kind, {})))
        if not seeds:
            continue
        u = [kinds["uniform"][s] for s in seeds]
        a = [kinds[kind][s] for s in seeds]
        mean = lambda rs, k: statistics.mean(x[k] for x in rs)
        d = [y["q_top1"] - x["q_top1"] for x, y in zip(u, a)]
        spread = f" ± {statistics.stdev(d):.2f}" if len(d) > 1 else ""
        ahead = sum(x > 0 for x in d)
        print(f"| {model} | {method} | {size} | {budget} | {len(seeds)} | {mean(u, 'q_top1'):.2f} | {mean(a, 'q_top1'):.2f} | "
              f"{statistics.mean(d):+.2f}{spread} | {ahead}/{len(d)} | {mean(u, 'kl'):.4f} | {mean(a, 'kl'):.4f} | "
              f"{mean(a, 'predicted_kl'):.4f} |")
