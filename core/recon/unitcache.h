// SPDX-License-Identifier: GPL-3.0-or-later
// Tensors cached per unit for the whole calibration set (docs/algorithms.md, "Reconstruction"):
// the FP input, the quantized-prefix input and the FP output. Built
// incrementally where the graph allows (unit b+1's inputs from unit b's
// outputs through the FP ops between them, so each image passes each unit
// once); layer-wise units inside residual blocks run their prefix instead.
#pragma once

#include "common/result.h"
#include "graph/executor.h"
#include "quant/quantizedmodel.h"
#include "rowstore.h"

#include <functional>

namespace metaaug::recon {

struct UnitCache {
    RowStore xFp;  // [N, ...] FP input of the unit
    RowStore xQ;   // [N, ...] input with earlier units quantized (fixed)
    RowStore yFp;  // [N, ...] FP output of the unit on xFp

    int64_t bytes() const;
    bool onDisk() const { return yFp.onDisk(); }
};

// Bytes the cache of `unit` takes for n images at `elementBytes` per value
// (input twice, or once when no layer precedes the unit; output once), from
// a probe forward of one image.
int64_t estimateCacheBytes(const graph::Executor &ex, const graph::Unit &unit, const torch::Tensor &oneImage, int64_t n,
                           int64_t elementBytes = 4);

// Largest cache over all units, in bytes.
int64_t estimatePeakCacheBytes(const graph::Executor &ex, const std::vector<graph::Unit> &units,
                               const torch::Tensor &oneImage, int64_t n, int64_t elementBytes = 4);

// Largest sum of two consecutive units' caches: what is held while a unit's
// cache is built from the previous one's.
int64_t estimatePeakCachePairBytes(const graph::Executor &ex, const std::vector<graph::Unit> &units,
                                   const torch::Tensor &oneImage, int64_t n, int64_t elementBytes = 4);

// Float32 bytes of the largest value one image makes in a forward pass: the
// unit of the per-batch memory of whole-set passes.
int64_t largestActivationBytes(const graph::Executor &ex, const torch::Tensor &oneImage);

// Bytes that `forward` keeps alive through its result with autograd on (the
// values saved for backward and the result), measured as the growth of the
// heap in use (heapInUseBytes()) while the result is held; 0 where malloc
// does not tell. What a training step on that forward holds before its
// backward.
int64_t retainedBytes(const std::function<torch::Tensor()> &forward);

// Memory the machine can give now (MemAvailable), in bytes; -1 if unknown.
// $METAAUG_MEMORY_LIMIT_MB caps it (to share a machine, and for tests).
int64_t availableMemoryBytes();

class CacheBuilder {
public:
    CacheBuilder(const graph::Executor &ex, const std::vector<graph::Unit> &units, CachePolicy policy = {},
                 int64_t batch = 64)
        : m_ex(ex), m_units(units), m_policy(std::move(policy)), m_batch(batch) {}

    // The cache of unit `b`, given the calibration images (normalised) and
    // the quantized model in which units < b are fixed. Must be called for
    // b = 0, 1, 2, ... in order.
    UnitCache build(int b, const torch::Tensor &images, quant::QuantizedModel &qmodel);

private:
    const graph::Executor &m_ex;
    const std::vector<graph::Unit> &m_units;
    CachePolicy m_policy;
    int64_t m_batch;
    int m_prev = -1;
    RowStore m_prevYFp;  // FP output of unit m_prev
    RowStore m_prevXQ;   // quantized input of unit m_prev
};

}  // namespace metaaug::recon
