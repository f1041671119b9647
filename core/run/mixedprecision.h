// SPDX-License-Identifier: GPL-3.0-or-later
// bits auto (issue 20): a sensitivity analysis on the calibration images,
// then the per-layer bits that fit the spec's one budget with the least
// predicted KL (analysis/autobits.h). Part of a run, after the model and the
// calibration set are loaded and before the quantizers are made.
#pragma once

#include "analysis/budget.h"
#include "common/result.h"
#include "events/runsink.h"
#include "quant/layerbits.h"

#include <QtCore/QJsonObject>

namespace metaaug {

class Model;
struct RunSpec;

struct MixedPrecision {
    quant::BitPlan plan;     // the uniform plan with the chosen bits applied
    quant::LayerBitsMap bits;
    QJsonObject record;      // budget, cost, predicted KL, grid step, the Pareto front, the bits
};

// Images: the first quarter (at most 64) fits the activation grids, the next
// (at most 256) measures the effects. Layers the spec's layer_bits names keep
// those bits, as the policy's pinned layers do.
Result<MixedPrecision> chooseMixedPrecision(const RunSpec &spec, const Model &model, const quant::BitPlan &plan,
                                            const quant::LayerBitsMap &given, const std::vector<analysis::LayerCost> &costs,
                                            const torch::Tensor &calibImages, RunSink &sink);

}  // namespace metaaug
