#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real-size runs (issue 19): 224x224 torchvision models on a folder of
# synthetic photos, peak RSS from /usr/bin/time -v, wall time and the run's
# phase times. One JSON line per run in bench/realsize.jsonl.
#   bench/realsize.sh BUILD_DIR NAME MODEL.pt [quantize options...]
# e.g. bench/realsize.sh build resnet50_w4a4 /tmp/zoo/resnet50_traced.pt --calib-size 1024 --iters 5
# Models: bench/onnx_zoo.py writes NAME_traced.pt; photos: bench/make_images.py.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1; name=$2; model=$3; shift 3
photos=${PHOTOS:-/tmp/metaaug-photos224}
[ -d "$photos" ] || /usr/bin/python3 "$here/bench/make_images.py" "$photos" 1024
log=$(mktemp); out=$(mktemp)
/usr/bin/time -v "$build/bin/metaaug" quantize --model "$model" --card imagenet --calib "$photos" --eval "$photos" \
  --method geniem --wbits 4 --abits 4 --no-store --json "$@" > "$out" 2> "$log"
grep '^plan:' "$log" >&2 || true
/usr/bin/python3 - "$name" "$out" "$log" "$*" >> "$here/bench/realsize.jsonl" <<'PY'
import json, re, sys
name, out, log, args = sys.argv[1:5]
r = json.load(open(out)); t = open(log).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1)
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
plan = [l for l in t.splitlines() if l.startswith("plan:")]
print(json.dumps({"name": name, "args": args, "peak_rss_mib": rss // 1024, "wall_s": round(secs, 1),
                  "phase_seconds": r.get("phases"), "median_iteration_ms": [u.get("median_iteration_ms") for u in r.get("units", [])],
                  "q_top1": r.get("q_top1"), "qweights_sha256": r.get("qweights_sha256"), "plan": plan}))
PY
tail -1 "$here/bench/realsize.jsonl"
rm -f "$log" "$out"
