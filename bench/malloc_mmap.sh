#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# How large tensor blocks are allocated, measured on ResNet-50 at 224x224:
# 64 images, R = 20, geniem W4A4, 2 threads, /usr/bin/time -v. One JSON line
# per run in bench/malloc_mmap.jsonl (wall, user, sys, peak RSS, minor
# faults, phases, medians, the quantized weights' hash).
#   bench/malloc_mmap.sh BUILD_DIR NAME MODEL.pt [PHOTOS]
# Models: bench/onnx_zoo.py writes resnet50_traced.pt; photos: bench/make_images.py.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1; name=$2; model=$3; photos=${4:-/tmp/metaaug-photos224}
[ -d "$photos" ] || /usr/bin/python3 "$here/bench/make_images.py" "$photos" 1024
args=(quantize --model "$model" --card imagenet --calib "$photos" --eval "$photos" --method geniem --wbits 4 --abits 4
      --calib-size 64 --iters 20 --eval-limit 32 --threads 2 --no-store --json --quiet)
log=$(mktemp); out=$(mktemp)
/usr/bin/time -v "$build/bin/metaaug" "${args[@]}" > "$out" 2> "$log"
/usr/bin/python3 - "$name" "$out" "$log" "${args[*]}" >> "$here/bench/malloc_mmap.jsonl" <<'PY'
import datetime, json, re, sys
name, out, log, args = sys.argv[1:5]
r = json.load(open(out)); t = open(log).read()
num = lambda key: float(re.search(re.escape(key) + r": ([0-9.]+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1)
print(json.dumps({"name": name, "model": "resnet50_traced.pt (torchvision, 224x224)", "args": args,
                  "date": datetime.date.today().isoformat(),
                  "wall_s": round(sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":")))), 2),
                  "user_s": num("User time (seconds)"), "sys_s": num("System time (seconds)"),
                  "peak_rss_mib": int(num("Maximum resident set size (kbytes)")) // 1024,
                  "minor_faults": int(num("Minor (reclaiming a frame) page faults")),
                  "phase_seconds": r.get("phases"),
                  "median_iteration_ms": [u.get("median_iteration_ms", {}).get("reconstruction") if isinstance(u.get("median_iteration_ms"), dict) else u.get("median_iteration_ms") for u in r.get("units", [])],
                  "qweights_sha256": r.get("qweights_sha256")}))
PY
rm -f "$log" "$out"
tail -1 "$here/bench/malloc_mmap.jsonl"
