#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one fuzz target of the fuzz build (scripts/build-fuzz.sh)
# until 10^6 executions or SECONDS (default 1800), whichever comes first.
#   scripts/fuzz.sh idx|image|torchscript|onnx|runbundle|modelcard|datasource|graphwire [SECONDS]
# METAAUG_FUZZ_MODE=crc with torchscript: mutations that keep the CRCs valid
# (fuzz_torchscript.cpp); add FUZZ_ARGS="-fork=1 -ignore_crashes=1".
# The corpus grows in build-fuzz/fuzz-corpus/TARGET (seeded from
# tests/fuzz/corpus/TARGET); crashes, leaks and timeouts land in
# build-fuzz/fuzz-artifacts/TARGET; the log, ending in libFuzzer's final
# statistics (stat::number_of_executed_units), in build-fuzz/fuzz-logs/TARGET.log.
# A finding becomes a regression input: copy it to tests/fuzz/regressions/TARGET
# (crc mode: regressions/torchscript_crafted, replayed only through the helper).
# FUZZ_TIMEOUT (default 20 s) is the time one input may take; FUZZ_ARGS adds
# further libFuzzer options, e.g. "-fork=1 -ignore_ooms=1".
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target}
seconds=${2:-1800}
bin=build-fuzz/fuzz/fuzz_$target
[ -x "$bin" ] || { echo "no $bin: run scripts/build-fuzz.sh" >&2; exit 2; }
corpus=build-fuzz/fuzz-corpus/$target
artifacts=build-fuzz/fuzz-artifacts/$target/
mkdir -p "$corpus" "$artifacts" build-fuzz/fuzz-logs
cp -n tests/fuzz/corpus/"$target"/* "$corpus"/
# shellcheck source=scripts/sanitizer-env.sh
. scripts/sanitizer-env.sh
regressions=()
[ -d tests/fuzz/regressions/"$target" ] && regressions=(tests/fuzz/regressions/"$target")
# shellcheck disable=SC2086
"$bin" ${FUZZ_ARGS:-} -runs=1000000 -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$corpus" "${regressions[@]}" 2>&1 | tee build-fuzz/fuzz-logs/"$target".log | grep -E "^#[0-9]+ +(pulse|DONE)|ERROR|SUMMARY|stat::" || true
log=build-fuzz/fuzz-logs/"$target".log
# Fork mode (-fork=N) prints no stat:: lines: its last "#N: cov: ..." line
# has the execution count and the crash tally.
if grep -q "^INFO: exiting:" "$log"; then
  grep -E "^#[0-9]+: cov:" "$log" | tail -1
  echo "findings: $(find "$artifacts" -type f | wc -l) in $artifacts"
else
  grep -q "stat::number_of_executed_units" "$log"
fi
