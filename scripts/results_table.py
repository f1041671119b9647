#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs `metaaug quantize` over models x methods x bit-widths and prints the
README's results table (test top-1 and calibration-vs-test gap).

    scripts/results_table.py [--iters 500] [--jobs 2] [--out results.jsonl]

Each run is one process (--threads 1); --jobs of them run side by side.
Finished runs are kept in --out and skipped when the script is run again.
"""
import argparse, json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = ["resnet20_fmnist", "mobilenetv2s_fmnist"]
METHODS = ["rtn", "adaround", "brecq", "qdrop", "geniem"]
BITS = [(4, 4), (3, 3), (2, 4), (2, 2)]


def run(binary, models_dir, model, method, w, a, iters, seed, calib_size):
    cmd = [binary, "quantize", "--model", f"{models_dir}/{model}.pt", "--method", method,
           "--wbits", str(w), "--abits", str(a), "--iters", str(iters), "--seed", str(seed),
           "--calib-size", str(calib_size), "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return {"model": model, "method": method, "wbits": w, "abits": a, "error": p.stderr.strip()}
    r = json.loads(p.stdout)
    r["model"] = model
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--iters", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--calib-size", type=int, default=1024)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default="results.jsonl")
    args = ap.parse_args()
    binary = os.path.join(args.build, "bin", "metaaug")
    models_dir = os.path.join(args.build, "share", "metaaug-workbench", "models")

    done = {}
    if os.path.exists(args.out):
        for line in open(args.out):
            r = json.loads(line)
            if "error" not in r and r.get("spec", {}).get("iters") == args.iters:
                done[(r["model"], r["method"], r["wbits"], r["abits"])] = r
    todo = [(m, meth, w, a) for m in MODELS for (w, a) in BITS for meth in METHODS if (m, meth, w, a) not in done]
    with ThreadPoolExecutor(args.jobs) as pool, open(args.out, "a") as out:
        futures = [pool.submit(run, binary, models_dir, m, meth, w, a, args.iters, args.seed, args.calib_size)
                   for (m, meth, w, a) in todo]
        for f in futures:
            r = f.result()
            out.write(json.dumps(r) + "\n")
            out.flush()
            key = (r["model"], r["method"], r["wbits"], r["abits"])
            if "error" in r:
                print("FAILED", key, r["error"], file=sys.stderr)
            else:
                done[key] = r
                print(f"{key}: q_top1 {r['q_top1']:.2f} gap {r['gap']:.2f} ({r['wall_s']:.0f}s)", file=sys.stderr)

    for m in MODELS:
        fp = next((r["fp_top1"] for k, r in done.items() if k[0] == m), None)
        print(f"\n**{m}** (FP test top-1 {fp:.2f} %; R = {args.iters}, 1024 calibration images, seed {args.seed}): "
              "test top-1 % / gap (calibration − test top-1, pt)\n")
        print("| method | " + " | ".join(f"W{w}A{a}" for w, a in BITS) + " |")
        print("| --- |" + " --- |" * len(BITS))
        for meth in METHODS:
            cells = []
            for w, a in BITS:
                r = done.get((m, meth, w, a))
                cells.append(f"{r['q_top1']:.2f} / {r['gap']:+.2f}" if r else "–")
            print(f"| {meth} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
