#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reruns the grid behind one of docs/results.md's tables as a sweep, in
# pieces that may span sessions (issue 21):
#   bench/sweeps/run_table.sh BIN NAME [sweep options...]   NAME: a sweep file's name (results_table, metaaug_study_r20-w2a2-128, ...)
# State: bench/sweeps/NAME.sqlite (not committed: it holds every run's whole
# record; on the same machine the next call resumes the queued, interrupted
# and failed points; in a fresh clone the grid starts again). Every finished
# point's run bundle (with its grid point) goes to
# bench/sweeps/NAME/point-INDEX.sqlite (not committed: 1-2 MB each), and
# the bundles' records, one JSON line per run, to bench/sweeps/NAME.jsonl,
# which is committed; the table is `metaaug sweep show bench/sweeps/NAME.jsonl
# --markdown` (the same table as from the folder of bundles).
# Stop it with `metaaug sweep cancel 1 --db bench/sweeps/NAME.sqlite` (the
# cancelled points are rerun next time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1; name=$2; shift 2
[[ $bin == */* ]] && bin=$(realpath "$bin")  # the script works from its own folder
db=$here/$name.sqlite; bundles=$here/$name
mkdir -p "$bundles"
cd "$here"  # the sweep files name the bundled models relative to bench/sweeps/
if [ -s "$db" ] && "$bin" sweep status 1 --db "$db" > /dev/null 2>&1; then
  "$bin" sweep run 1 --retry-failed --db "$db" "$@" || true
else
  "$bin" sweep "$name.json" --db "$db" "$@" || true
fi
"$bin" sweep status 1 --db "$db" --json | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin)["points"]:
    if p["status"] == "succeeded":
        print(p["index"], p["run"])' | while read -r index run; do
  [ -f "$bundles/point-$index.sqlite" ] || "$bin" runs export "$run" --out "$bundles/point-$index.sqlite" --db "$db" > /dev/null
done
"$bin" sweep export "$bundles" --out "$here/$name.jsonl" > /dev/null
"$bin" sweep status 1 --db "$db" | head -1
"$bin" sweep show "$here/$name.jsonl" --markdown
