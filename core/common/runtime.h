// SPDX-License-Identifier: GPL-3.0-or-later
// Process-wide runtime settings that change LibTorch's speed on small VMs by
// an order of magnitude (see docs/performance.md, "Two machine-level settings").
#pragma once

#include <cstdint>

namespace metaaug {

// Physical cores this process may run on: distinct (package, core) pairs of
// the CPUs in its affinity mask, capped by a cgroup v2 CPU quota; at least 1.
// The default thread count of a run, so that it is fixed per machine (hyper-
// threads share a core's arithmetic units and only add contention to
// LibTorch's kernels; results depend on the thread count, see
// docs/performance.md, "Threads").
int physicalCores();

struct RuntimeOptions {
    // glibc malloc thresholds: without them oneDNN's reorder buffers are
    // mmapped and page-faulted on every convolution (~20x slower).
    bool tuneMalloc = true;
    // LibTorch intra-op threads: one per physical core (see physicalCores()).
    int threads = physicalCores();
};

// Applies the options; call once at process start, before any tensor work.
// The environment variable METAAUG_NO_MALLOC_TUNING=1 turns the malloc
// tuning off (used by the benchmark to show its effect).
void configureRuntime(const RuntimeOptions &options = {});

// Sets LibTorch's intra-op thread count (>= 1).
void setThreads(int threads);

// True when configureRuntime applied the malloc thresholds.
bool mallocTuned();

// This process's resident memory now and at its peak (VmRSS, VmHWM), in
// bytes; -1 where /proc does not tell.
int64_t residentBytes();
int64_t peakResidentBytes();

// Bytes this process's malloc has handed out and not taken back (glibc's
// mallinfo2: heap and mmapped blocks), less the freed blocks the tensor
// cache keeps for reuse: what live tensors and the libraries hold. The
// memory plan measures what a forward keeps with it (docs/performance.md,
// "The memory plan").
int64_t heapInUseBytes();

}  // namespace metaaug
