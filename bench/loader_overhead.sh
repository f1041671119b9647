#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The sandboxed loader's cost (issue 22, docs/sandbox.md): Model::load
# through the helper vs in this process, alternately (median of 11), and the
# peak RSS of the program with each mode alone (/usr/bin/time) plus the
# helper's. One JSON line per model in bench/loader_overhead.jsonl.
#   bench/loader_overhead.sh BUILD_DIR [MODEL[:CARD] ...]
# Default models: the two bundled ones and, when present, /tmp/zoo's ResNet-50
# (bench/onnx_zoo.py writes resnet50_traced.pt and resnet50_op17.onnx).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1; shift
cli=$build/bin/metaaug
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=("$build/share/metaaug-workbench/models/resnet20_fmnist.pt" "$build/share/metaaug-workbench/models/mobilenetv2s_fmnist.pt")
  for f in /tmp/zoo/resnet50_traced.pt /tmp/zoo/resnet50_op17.onnx; do
    [ -f "$f" ] && models+=("$f:imagenet")
  done
fi
for m in "${models[@]}"; do
  model=${m%%:*}; card=""; [ "$m" != "$model" ] && card=${m#*:}
  args=(--model "$model"); [ -n "$card" ] && args+=(--card "$card")
  timing=$("$cli" bench --load --repeat 11 --json "${args[@]}")
  peak() { /usr/bin/time -f %M "$cli" bench --load --isolation "$1" --repeat 1 --json "${args[@]}" 2>&1 >/dev/null | tail -1; }
  /usr/bin/python3 - "$timing" "$(peak helper)" "$(peak in-process)" "$(stat -c %s "$model")" <<'PY' | tee -a "$here/bench/loader_overhead.jsonl"
import json, sys
t = json.loads(sys.argv[1])
helper_kib, local_kib, size = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
over = t["helper_ms"] - t["in_process_ms"]
print(json.dumps({"model": t["model"], "file_mib": round(size / 2**20, 1), "helper_ms": round(t["helper_ms"], 1),
                  "in_process_ms": round(t["in_process_ms"], 1), "overhead_ms": round(over, 1),
                  "overhead_pct": round(100 * over / t["in_process_ms"], 1),
                  "target_met": over < max(0.2 * t["in_process_ms"], 500),
                  "peak_rss_mib_with_helper": helper_kib // 1024, "peak_rss_mib_in_process": local_kib // 1024,
                  "helper_peak_rss_mib": round(t["helper_peak_rss_mib"])}))
PY
done
