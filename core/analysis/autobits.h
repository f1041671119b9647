// SPDX-License-Identifier: GPL-3.0-or-later
// Mixed precision under a budget (issue 20): from the sensitivity records,
// the per-layer bits that minimise the predicted KL (the sum of each
// choice's own effect) within a weight-memory, mean-weight-bits or
// bit-operations budget. Items are activation points with the layers that
// read them, so that with a BOPs budget a point's bits, shared by its
// readers, are chosen once. What the bit policy pins (the first and last
// layers' 8 bits, the image kept FP, brecq's second input) stays pinned.
#pragma once

#include "allocation.h"
#include "budget.h"
#include "quant/layerbits.h"
#include "sensitivity.h"

namespace metaaug::analysis {

enum class BudgetKind { WeightBytes, AvgWeightBits, Bops };

struct BudgetRequest {
    BudgetKind kind = BudgetKind::AvgWeightBits;
    double value = 0;  // bytes, bits, or bit-operations per image
};

struct AutoBits {
    quant::LayerBitsMap bits;  // every layer, with its input's bits when allocated
    Allocation allocation;
    double budget = 0;         // in the cost's units (bytes, bits of all weights, BOPs)
    double gridStep = 0;       // the cost grid's step the dynamic programme rounded to
    std::vector<Allocation> front;  // the Pareto front (cost, predicted KL), cheapest first
    std::vector<quant::LayerBitsMap> frontBits;  // the bits of each front point, as `bits`
};

// `plan`: the uniform plan with the policy applied (planBits), whose
// activation bits stay unless the budget is in BOPs; `pinned`: what the
// policy fixes (pinnedBits). Errors: no allocation within the budget (naming
// the cheapest), a candidate without a sensitivity record.
Result<AutoBits> chooseBits(const graph::Executor &executor, const quant::BitPlan &plan, const quant::PinnedBits &pinned,
                            const std::vector<LayerCost> &costs, const std::vector<SensitivityRecord> &records,
                            const std::vector<int> &weightCandidates, const std::vector<int> &activationCandidates,
                            const BudgetRequest &request, int cells = 4096);

}  // namespace metaaug::analysis
