// Process-wide runtime settings that change LibTorch's speed on small VMs by
// an order of magnitude (see README, "Performance notes").
#pragma once

#include <cstdint>

namespace metaaug {

struct RuntimeOptions {
    // glibc malloc thresholds: without them oneDNN's reorder buffers are
    // mmapped and page-faulted on every convolution (~20x slower).
    bool tuneMalloc = true;
    // LibTorch intra-op threads; 1 is fastest when the other core is busy.
    int threads = 1;
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

}  // namespace metaaug
