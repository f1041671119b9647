#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 17's study: does MetaAug's T, now able to leave the identity, beat
Genie-M and the controls that separate augmentation from meta-learning?

Settings (model, bits, calibration size) x arms x seeds; every arm of a seed
uses the same calibration images (the seed chooses them). R and M are the
same for every arm. Raw results go to --out (JSONL, one run per line);
finished points are skipped, so the grid can be continued in later sessions.

    scripts/metaaug_study.py [--iters 100] [--meta-iters 20] [--seeds 0,1,2]
        [--settings all|NAME,...] [--arms all|NAME,...] [--jobs 2]
        [--out bench/metaaug_study.jsonl] [--table-only] [--extra "--t-lr 1e-4"]

Arms (flags added to `metaaug quantize`):
  geniem           the baseline
  geniem-b64       geniem at phase B's batch (64): the batch-size control
  metaaug-none     --t-init none: T starts at exactly x (the old behaviour)
  metaaug-warmup   the default: T warmed up to MSE(T(x), x) = eps, then meta-learned
  metaaug-frozen   --t-frozen: warmed up, no bi-level updates (augmentation only)
  augment-random   --augment random: random shift/flip/noise at the same MSE eps, no T
"""
import argparse, json, os, statistics, subprocess
from concurrent.futures import ThreadPoolExecutor

from metaaug_results import fmt  # mean ± std, shared with the baselines study

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETTINGS = {  # name: (model, wbits, abits, calib size)
    "r20-w2a2-16": ("resnet20_fmnist", 2, 2, 16),
    "r20-w2a2-128": ("resnet20_fmnist", 2, 2, 128),
    "r20-w2a4-128": ("resnet20_fmnist", 2, 4, 128),
    "mbv2-w2a2-128": ("mobilenetv2s_fmnist", 2, 2, 128),
    "r20-w2a2-1024": ("resnet20_fmnist", 2, 2, 1024),
}
ARMS = {
    "geniem": ("geniem", []),
    "geniem-b64": ("geniem", ["--batch", "64"]),
    "metaaug-none": ("metaaug", ["--t-init", "none"]),
    "metaaug-warmup": ("metaaug", []),
    "metaaug-frozen": ("metaaug", ["--t-frozen"]),
    "augment-random": ("metaaug", ["--augment", "random"]),
}


def key_of(r):
    return (r["setting"], r["arm"], r["seed_i"], r["iters"], r["meta_iters"], r.get("extra", ""))


def run(binary, models_dir, setting, arm, seed, args):
    model, w, a, calib = SETTINGS[setting]
    method, flags = ARMS[arm]
    cmd = [binary, "quantize", "--model", f"{models_dir}/{model}.pt", "--method", method, "--wbits", str(w),
           "--abits", str(a), "--iters", str(args.iters), "--seed", str(seed), "--calib-size", str(calib),
           "--json", "--no-store"] + flags
    extra = args.extra if method == "metaaug" else ""
    if method == "metaaug":
        cmd += ["--meta-iters", str(args.meta_iters)] + extra.split()
    p = subprocess.run(cmd, capture_output=True, text=True)
    base = {"setting": setting, "arm": arm, "seed_i": seed, "iters": args.iters, "meta_iters": args.meta_iters, "extra": extra}
    if p.returncode != 0:
        return dict(base, error=p.stderr.strip())
    r = json.loads(p.stdout)
    r.pop("layers", None)
    r.update(base)
    return r


def table(rows, args):
    print(f"R = {args.iters}, M = {args.meta_iters}{', extra: ' + args.extra if args.extra else ''}; mean ± std over seeds\n")
    print("| setting | arm | n | test top-1 % | calib top-1 % | gap (pt) | final MSE(T(x), x) | mean t_change % | wall s |")
    print("| --- | --- | ---: | --- | --- | --- | --- | --- | --- |")
    for setting in SETTINGS:
        for arm in ARMS:
            rs = [r for r in rows if r["setting"] == setting and r["arm"] == arm and "error" not in r
                  and r["iters"] == args.iters and r["meta_iters"] == args.meta_iters
                  and r.get("extra", "") == (args.extra if ARMS[arm][0] == "metaaug" else "")]
            if not rs:
                continue
            summ = [r.get("method_summary", {}) for r in rs]
            mse = [s["t_mse_final"] for s in summ if "t_mse_final" in s]
            if arm == "augment-random":
                mse = [statistics.mean(u["t_mse"] for u in r["units"] if "t_mse" in u) for r in rs]
            tch = [100 * statistics.mean(u.get("t_change", 0) for u in r["units"][1:-1]) for r in rs if r["method"] == "metaaug"]
            print(f"| {setting} | {arm} | {len(rs)} | {fmt([r['q_top1'] for r in rs])} | {fmt([r['q_calib_top1'] for r in rs])} "
                  f"| {fmt([r['gap'] for r in rs])} | {fmt(mse, 4)} | {fmt(tch, 3)} | {fmt([r['wall_s'] for r in rs], 0)} |")


def by_extra(rows):
    """The tuning search: one line per setting of the metaaug flags."""
    print("| metaaug flags (the rest at their defaults) | seeds | test top-1 % | calib top-1 % | gap (pt) | final MSE(T(x), x) | mean t_change % | min class_kept |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    extras = []
    for r in rows:
        if r.get("extra", "") not in extras and "error" not in r:
            extras.append(r.get("extra", ""))
    for e in extras:
        rs = list({(r["seed_i"], r["iters"], r["meta_iters"]): r for r in rows  # a point run twice counts once
                   if r.get("extra", "") == e and "error" not in r and r["arm"] == "metaaug-warmup"}.values())
        if not rs:
            continue
        kept = min(u.get("class_kept", 1) for r in rs for u in r["units"][1:-1])
        print(f"| `{e or '(default)'}` | {','.join(str(r['seed_i']) for r in rs)} | {fmt([r['q_top1'] for r in rs])} "
              f"| {fmt([r['q_calib_top1'] for r in rs])} | {fmt([r['gap'] for r in rs])} "
              f"| {fmt([r['method_summary']['t_mse_final'] for r in rs], 4)} "
              f"| {fmt([100 * statistics.mean(u.get('t_change', 0) for u in r['units'][1:-1]) for r in rs], 3)} | {kept:.2f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--meta-iters", type=int, default=20)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--settings", default="all")
    ap.add_argument("--arms", default="all")
    ap.add_argument("--extra", default="", help="flags added to every metaaug arm (the tuning runs)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "metaaug_study.jsonl"))
    ap.add_argument("--table-only", action="store_true")
    ap.add_argument("--by-extra", action="store_true", help="print the tuning table (rows grouped by --extra) and stop")
    args = ap.parse_args()
    binary = os.path.join(args.build, "bin", "metaaug")
    models_dir = os.path.join(args.build, "share", "metaaug-workbench", "models")
    settings = list(SETTINGS) if args.settings == "all" else args.settings.split(",")
    arms = list(ARMS) if args.arms == "all" else args.arms.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = []
    if os.path.exists(args.out):
        with open(args.out) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    if args.by_extra:
        by_extra(rows)
        return
    done = {key_of(r) for r in rows if "error" not in r}
    todo = []
    for setting in settings:  # setting-major (the 1024-image one last): a partial grid has whole settings
        for seed in seeds:
            for arm in arms:
                # At 16 images both batch sizes take the whole set.
                if arm == "geniem-b64" and SETTINGS[setting][3] <= 32:
                    continue
                k = (setting, arm, seed, args.iters, args.meta_iters, args.extra if ARMS[arm][0] == "metaaug" else "")
                if k not in done:
                    todo.append((setting, arm, seed))
    if not args.table_only and todo:
        print(f"{len(todo)} runs to do", flush=True)
        with ThreadPoolExecutor(args.jobs) as pool, open(args.out, "a") as out:
            for r in pool.map(lambda c: run(binary, models_dir, *c, args), todo):
                out.write(json.dumps(r) + "\n")
                out.flush()
                rows.append(r)
                print(r["setting"], r["arm"], r["seed_i"], r.get("q_top1", r.get("error")), flush=True)
    table(rows, args)


if __name__ == "__main__":
    main()
