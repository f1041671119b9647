#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 17's search over what the bi-level signal depends on (inner step,
# T's lr, beta, gamma, eps, M), on seed 0 of the 128-image W2A2 ResNet-20
# setting only, R = 100, M = 20 unless said; two searches at a time.
# Raw runs: bench/metaaug_tuning.jsonl (finished points are skipped).
# BUILD: a copy of build/ (bin, lib, share) that no rebuild touches.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/metaaug_tuning.jsonl}
BUILD=${BUILD:-build}
one() { scripts/metaaug_study.py --build "$BUILD" --settings r20-w2a2-128 --arms metaaug-warmup --seeds "${SEEDS:-0}" --jobs 1 --out "$OUT" "$@" >/dev/null; }
A=("--t-lr 1e-4" "--t-lr 1e-3" "--inner sgd" "--inner sgd --t-lr 1e-4" "--t-lr 1e-4 --beta 50" "--t-lr 1e-4 --gamma 300"
   "--inner sgd --t-lr 1e-4 --beta 50 --gamma 3000")
B=("--t-lr 1e-4 --beta 50 --gamma 3000" "--eps 0.05" "--eps 0.2" "--t-lr 1e-4 --inner sgd --beta 50" "--t-lr 1e-3 --beta 50"
   "--t-lr 1e-4 --eps 0.2 --beta 50")
( for e in "${A[@]}"; do one --extra "$e"; done ) &
( for e in "${B[@]}"; do one --extra "$e"; done ) &
wait
