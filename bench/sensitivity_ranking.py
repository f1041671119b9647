#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 20: how much does the ranking of layers change when the sensitivity
# analysis measures 32 held-out images instead of 256 (what --images auto
# gives ResNet-50 at 224)? For each model, three analyses: 32 images (seed 0),
# 256 images (seed 0) and 256 other images (seed 1, the noise floor of the
# comparison). Per candidate width: Spearman's rank correlation of the
# layers' KL and the overlap of the 5 most sensitive layers. Raw analyses and
# the summary go to OUT (one JSON line per model and comparison).
#   bench/sensitivity_ranking.py BIN OUT MODEL.pt [MODEL.pt ...] [-- sensitivity options]
import json, subprocess, sys

def analysis(binary, model, images, seed, extra):
    out = subprocess.run([binary, "sensitivity", "--model", model, "--images", str(images), "--seed", str(seed),
                          "--no-store", "--json"] + extra, check=True, capture_output=True, text=True).stdout
    return json.loads(out)

def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):  # average ranks for ties
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r

def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")

def by_candidate(result):
    table = {}
    for r in result["records"]:
        if r["kind"] in ("weight", "activation"):
            table.setdefault((r["kind"], r["bits"]), {})[r["target"]] = r["kl"]
    return table

def compare(a, b):
    ta, tb = by_candidate(a), by_candidate(b)
    rows = {}
    for key in sorted(ta):
        names = sorted(ta[key])
        x = [ta[key][n] for n in names]
        y = [tb[key][n] for n in names]
        top = lambda t: set(sorted(names, key=lambda n: -t[n])[:5])
        rows[f"{key[0]} {key[1]}"] = {"spearman": round(spearman(x, y), 3),
                                      "top5_overlap": len(top(ta[key]) & top(tb[key]))}
    return rows

def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[:args.index("--")] if "--" in args else args
    binary, out, models = args[0], args[1], args[2:]
    with open(out, "a") as f:
        for model in models:
            small, large, other = (analysis(binary, model, n, s, extra) for n, s in ((32, 0), (256, 0), (256, 1)))
            for name, a, b in (("32 vs 256", small, large), ("256 vs 256 (other images)", other, large)):
                line = {"model": model.rsplit("/", 1)[-1], "comparison": name, "candidates": compare(a, b),
                        "wall_s": [round(small["wall_s"], 1), round(large["wall_s"], 1)]}
                f.write(json.dumps(line) + "\n")
                print(json.dumps(line))

main()
