#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""MetaAug against its baselines (issue: MetaAug results): models x bit-widths
x calibration sizes x methods x seeds, then mean ± std of test top-1,
calibration top-1, gap and wall time per cell.

    scripts/metaaug_results.py [--models resnet20_fmnist,...] [--iters 200]
        [--meta-iters 50] [--seeds 0,1,2] [--calib-sizes 1024,128]
        [--methods geniem,qdrop,metaaug,metaaug-sgd] [--jobs 1] [--out metaaug_results.jsonl]

A method name "metaaug-<variant>" adds that variant's flags (VARIANTS).
Each run is one process (--threads 1); finished runs are kept in --out and
skipped when the script runs again with the same settings.
"""
import argparse, json, os, statistics, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BITS = [(2, 4), (2, 2)]
VARIANTS = {
    "metaaug": [],
    "metaaug-sgd": ["--inner", "sgd"],
    "metaaug-sgd-fast": ["--inner", "sgd", "--t-lr", "1e-3"],
    "metaaug-fast": ["--t-lr", "1e-3"],
    "metaaug-orig": ["--phase-b", "originals"],
}


def key_of(r):
    return (r["model"], r["label"], r["wbits"], r["abits"], r["calib_size"], r["seed_i"], r["iters"], r["meta_iters"])


def run(binary, models_dir, cfg, args):
    model, label, w, a, calib, seed = cfg
    method = "metaaug" if label.startswith("metaaug") else label
    cmd = [binary, "quantize", "--model", f"{models_dir}/{model}.pt", "--method", method,
           "--wbits", str(w), "--abits", str(a), "--iters", str(args.iters), "--seed", str(seed),
           "--calib-size", str(calib), "--json"]
    if args.eval_limit:
        cmd += ["--eval-limit", str(args.eval_limit)]
    if method == "metaaug":
        cmd += ["--meta-iters", str(args.meta_iters)] + VARIANTS[label]
    p = subprocess.run(cmd, capture_output=True, text=True)
    base = {"model": model, "label": label, "wbits": w, "abits": a, "calib_size": calib, "seed_i": seed,
            "iters": args.iters, "meta_iters": args.meta_iters if method == "metaaug" else 0}
    if p.returncode != 0:
        return dict(base, error=p.stderr.strip())
    r = json.loads(p.stdout)
    r.update(base)
    return r


def fmt(vals, digits=2):
    if not vals:
        return "–"
    if len(vals) == 1:
        return f"{vals[0]:.{digits}f}"
    return f"{statistics.mean(vals):.{digits}f} ± {statistics.stdev(vals):.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--models", default="resnet20_fmnist,mobilenetv2s_fmnist")
    ap.add_argument("--methods", default="geniem,qdrop,metaaug")
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--meta-iters", type=int, default=50)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--calib-sizes", default="1024,128")
    ap.add_argument("--eval-limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", default="metaaug_results.jsonl")
    ap.add_argument("--table-only", action="store_true")
    args = ap.parse_args()
    binary = os.path.join(args.build, "bin", "metaaug")
    models_dir = os.path.join(args.build, "share", "metaaug-workbench", "models")
    models, methods = args.models.split(","), args.methods.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    calibs = [int(c) for c in args.calib_sizes.split(",")]

    done = {}
    if os.path.exists(args.out):
        for line in open(args.out):
            r = json.loads(line)
            if "error" not in r:
                done[key_of(r)] = r
    cfgs = [(m, meth, w, a, c, s) for m in models for c in calibs for (w, a) in BITS for s in seeds for meth in methods]

    def key(cfg):
        m, meth, w, a, c, s = cfg
        return (m, meth, w, a, c, s, args.iters, args.meta_iters if meth.startswith("metaaug") else 0)

    todo = [c for c in cfgs if key(c) not in done] if not args.table_only else []
    with ThreadPoolExecutor(args.jobs) as pool, open(args.out, "a") as out:
        for r in pool.map(lambda c: run(binary, models_dir, c, args), todo):
            out.write(json.dumps(r) + "\n")
            out.flush()
            if "error" in r:
                print("FAILED", key_of(r), r["error"], file=sys.stderr)
            else:
                done[key_of(r)] = r
                print(f"{key_of(r)}: q_top1 {r['q_top1']:.2f} calib {r['q_calib_top1']:.2f} gap {r['gap']:.2f} "
                      f"({r['wall_s']:.0f}s)", file=sys.stderr)

    for m in models:
        for c in calibs:
            print(f"\n**{m}**, {c} calibration images, R = {args.iters}, M = {args.meta_iters} (metaaug), "
                  f"seeds {args.seeds}: mean ± std\n")
            print("| bits | method | test top-1 % | calib top-1 % | gap (pt) | wall s | n |")
            print("| --- | --- | --- | --- | --- | --- | --- |")
            for w, a in BITS:
                for meth in methods:
                    rs = [done[key((m, meth, w, a, c, s))] for s in seeds if key((m, meth, w, a, c, s)) in done]
                    print(f"| W{w}A{a} | {meth} | {fmt([r['q_top1'] for r in rs])} | "
                          f"{fmt([r['q_calib_top1'] for r in rs])} | {fmt([r['gap'] for r in rs])} | "
                          f"{fmt([r['wall_s'] for r in rs], 0)} | {len(rs)} |")


if __name__ == "__main__":
    main()
