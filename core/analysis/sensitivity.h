// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer sensitivity (issue 20): how much the model's output moves when
// one layer's weight, or one activation point, alone is quantized with RTN
// at a candidate bit-width while everything else stays FP. Plus the two
// whole-model views (all weights at b, activations FP; all activations at b,
// weights FP). The records feed the bit allocation (allocation.h) and the
// GUI's sensitivity chart.
#pragma once

#include "common/result.h"
#include "graph/executor.h"

#include "sensitivityrecord.h"

#include <functional>
#include <memory>

namespace metaaug::analysis {

struct SensitivityOptions {
    std::vector<int> weightBits{2, 3, 4, 8};
    std::vector<int> activationBits{2, 4, 8};
    int64_t batch = 64;                               // images per forward pass
    std::function<bool(int done, int total)> progress; // false: stop (cancel)
};

// How many records (candidates) an analysis of `executor` with these bit
// lists makes: every layer at each weight width, every activation point but
// the image at each input width, and the two whole-model views per width.
int sensitivityCandidates(const graph::Executor &executor, const std::vector<int> &weightBits,
                          const std::vector<int> &activationBits);

// `fit`: images the activation grids are fitted on (one batch); `measure`:
// the held-out images the effects are measured on. Each candidate runs from
// its layer's unit onwards on FP unit inputs computed once, unit by unit.
// Records come unit by unit in graph order, then the model views.
Result<std::vector<SensitivityRecord>> analyzeSensitivity(const std::shared_ptr<const graph::Executor> &executor,
                                                          const std::vector<graph::Unit> &units,
                                                          const torch::Tensor &fit, const torch::Tensor &measure,
                                                          const SensitivityOptions &options = {});

}  // namespace metaaug::analysis
