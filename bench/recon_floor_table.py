#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Markdown table of a `metaaug bench --recon --json` result (bench/recon_floor_*.json):
per unit, the reconstruction iteration at batch 32 and 64 beside its floor
(the unit's convolutions alone, forward and backward) and their ratio.
    bench/recon_floor_table.py FILE.json [LABEL]"""
import json
import sys

rows = json.load(open(sys.argv[1]))["recon_iteration_median_ms"]
label = sys.argv[2] if len(sys.argv) > 2 else "unit"
print(f"| {label} | b32 ms | floor | ratio | b64 ms | floor | ratio |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    cells = []
    for b in (32, 64):
        it, fl = r[f"batch{b}_ms"], r[f"floor_batch{b}_ms"]
        cells += [f"{it:.0f}", f"{fl:.0f}", f"{it / fl:.2f}" if fl else "–"]
    print(f"| {r['unit']} | " + " | ".join(cells) + " |")
