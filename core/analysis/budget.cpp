// SPDX-License-Identifier: GPL-3.0-or-later
#include "budget.h"

namespace metaaug::analysis {

std::vector<LayerCost> layerCosts(const graph::Executor &executor, const torch::Tensor &oneImage)
{
    torch::NoGradGuard ng;
    const graph::Graph &g = executor.graph();
    const std::vector<c10::IValue> values = executor.allValues(oneImage.slice(0, 0, 1));
    std::vector<LayerCost> out;
    for (int node : g.layers()) {
        const graph::Node &n = g.nodes[node];
        const torch::Tensor y = values[size_t(n.outputs[0])].toTensor();
        // Each output element is one dot product over the weight's fan-in.
        const int64_t fanIn = n.weight.numel() / n.weight.size(0);
        out.push_back({node, QString::fromStdString(n.name), n.weight.numel(), y.numel() / y.size(0) * fanIn});
    }
    return out;
}

int64_t packedBytes(int64_t parameters, int bits)
{
    return (parameters * bits + 7) / 8;
}

BudgetFigures budgetFigures(const std::vector<PlannedLayer> &layers)
{
    BudgetFigures f;
    double weightedBits = 0, params = 0;
    for (const PlannedLayer &l : layers) {
        weightedBits += double(l.cost.parameters) * l.weightBits;
        params += double(l.cost.parameters);
        f.weightBytes += packedBytes(l.cost.parameters, l.weightBits);
        f.bops += double(l.cost.macs) * l.weightBits * (l.inputBits > 0 ? l.inputBits : kFpBits);
    }
    f.weightBitsAvg = params > 0 ? weightedBits / params : 0;
    return f;
}

std::vector<PlannedLayer> plannedLayers(const graph::Executor &executor, const std::vector<LayerCost> &costs, const quant::BitPlan &plan)
{
    const graph::Graph &g = executor.graph();
    std::vector<PlannedLayer> out;
    for (const LayerCost &c : costs) {
        const int point = executor.pointOfValue(g.nodes[c.node].inputs[0]);
        out.push_back({c, plan.weightBits.at(c.node), point >= 0 ? plan.activationBits[size_t(point)] : 0, point});
    }
    return out;
}

BudgetFigures budgetFigures(const graph::Executor &executor, const std::vector<LayerCost> &costs, const quant::BitPlan &plan)
{
    return budgetFigures(plannedLayers(executor, costs, plan));
}

}  // namespace metaaug::analysis
