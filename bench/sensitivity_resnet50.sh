#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 20's "a ResNet-50 analysis takes minutes": `metaaug sensitivity` at
# the defaults on torchvision's ResNet-50 at 224 (bench/onnx_zoo.py writes
# /tmp/zoo/resnet50_traced.pt; bench/make_images.py the photos), wall time
# and peak RSS from /usr/bin/time, one JSON line in bench/sensitivity_resnet50.jsonl.
#   bench/sensitivity_resnet50.sh BUILD_DIR [TIMEOUT_S] [sensitivity options...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1; limit=${2:-3600}; shift 2 || shift $#
photos=${PHOTOS:-/tmp/imgs224}
log=$(mktemp); out=$(mktemp)
rc=0
timeout "$limit" /usr/bin/time -v "$build/bin/metaaug" sensitivity --model /tmp/zoo/resnet50_traced.pt --card imagenet \
  --calib "$photos" --no-store --json "$@" > "$out" 2> "$log" || rc=$?
/usr/bin/python3 - "$out" "$log" "$rc" "$*" >> "$here/bench/sensitivity_resnet50.jsonl" <<'PY'
import datetime, json, re, sys
out, log, rc, args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
t = open(log).read()
line = {"name": "resnet50_sensitivity" + ("_" + args.replace(" ", "_") if args else "_defaults"), "args": args,
        "date": datetime.date.today().isoformat(), "finished": rc == 0}
m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
if m:
    line["peak_rss_kib"] = int(m.group(1))
w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t)
if w:
    line["wall_s"] = round(sum(float(x) * 60 ** i for i, x in enumerate(reversed(w.group(1).split(":")))), 1)
if rc == 0:
    r = json.load(open(out))
    line.update({"images": r["images"], "fit_images": r["fit_images"], "records": len(r["records"]), "analysis_s": round(r["wall_s"], 1)})
else:
    line["stopped_by"] = f"exit {rc}" + (" (timeout)" if rc == 124 else "")
    line["progress"] = [l for l in t.splitlines() if l.startswith("sensitivity:")][-1:]
print(json.dumps(line))
PY
tail -1 "$here/bench/sensitivity_resnet50.jsonl"
rm -f "$log" "$out"
