# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the sanitizer scripts: how ASan, LSan and UBSan report.
# Leaks inside LibTorch's and Qt's own one-time registries (allocated once
# per process, never freed by design) are suppressed in
# tests/sanitizers/lsan.supp; every other leak fails.
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$_root/tests/sanitizers/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$_root/tests/sanitizers/ubsan.supp}
unset _root
# Instrumented hot loops (the fused fake-quant kernel) run 10-50x slower: the
# Qt Test watchdog (300 s per test function by default) would kill them.
export QTEST_FUNCTION_TIMEOUT=${QTEST_FUNCTION_TIMEOUT:-7200000}
