// SPDX-License-Identifier: GPL-3.0-or-later
// A caching CPU allocator for LibTorch's large tensor blocks (tensorcache.cpp
// says why). In AddressSanitizer builds it is installed at start-up; in
// other builds configureRuntime() installs it.
#pragma once

#include <cstdint>

namespace metaaug {

// Makes LibTorch allocate CPU tensors through the cache (idempotent).
void installTensorCache();

// True once installTensorCache() ran (or the sanitizer build installed it).
bool tensorCacheInstalled();

// Frees every cached block and returns glibc's free heap pages to the
// system. The run calls it after each unit and at its end: a unit's shapes
// repeat on every iteration, the next unit's do not.
void releaseTensorCache();

// Bytes of LibTorch's live CPU tensors, and their most since the last
// resetPeakTensorBytes() (0 until installTensorCache()): the memory plan
// measures a probe forward's working set with them.
int64_t liveTensorBytes();
int64_t peakTensorBytes();
void resetPeakTensorBytes();

// Bytes held by freed blocks kept for reuse.
int64_t tensorCacheBytes();

}  // namespace metaaug
