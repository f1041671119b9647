// SPDX-License-Identifier: GPL-3.0-or-later
// The executor's side of a bit plan's cost (costs.h): each layer's weights
// and MACs, and the figures of a BitPlan.
#pragma once

#include "costs.h"
#include "graph/executor.h"
#include "quant/bitpolicy.h"

#include <QtCore/QString>

namespace metaaug::analysis {

// Every conv/linear layer in graph order, its MACs from one run of `oneImage`.
std::vector<LayerCost> layerCosts(const graph::Executor &executor, const torch::Tensor &oneImage);

// Each layer of `costs` with its weight bits and its input point's bits in `plan`.
std::vector<PlannedLayer> plannedLayers(const graph::Executor &executor, const std::vector<LayerCost> &costs, const quant::BitPlan &plan);
BudgetFigures budgetFigures(const graph::Executor &executor, const std::vector<LayerCost> &costs, const quant::BitPlan &plan);

}  // namespace metaaug::analysis
