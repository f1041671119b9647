// SPDX-License-Identifier: GPL-3.0-or-later
#include "quantizedmodel.h"

#include <functional>

namespace metaaug::quant {

QuantizedModel::QuantizedModel(std::shared_ptr<const graph::Executor> executor, const BitPlan &plan)
    : m_executor(std::move(executor)), m_plan(plan)
{
    const graph::Graph &g = m_executor->graph();
    for (const auto &[node, bits] : plan.weightBits) {
        m_weights.emplace(node, WeightQuantizer(g.nodes[node].weight, bits));
        m_rounding[node] = Rounding::Nearest;
    }
    for (int bits : plan.activationBits)
        m_acts.emplace_back(std::max(bits, 2));
    m_actEnabled.assign(m_acts.size(), true);
}

bool QuantizedModel::activationEnabled(int point) const
{
    return m_actEnabled[point] && m_plan.activationBits[point] > 0;
}

namespace {
// Fits each activation point's grid to the FP value passing it, as the value
// passes: no point's batch outlives its use (at 224x224 all of them at once
// would take gigabytes).
struct Observer : graph::ExecutionHooks {
    std::function<void(int, const torch::Tensor &)> fit;
    torch::Tensor activation(int point, const torch::Tensor &x) override
    {
        fit(point, x.detach());
        return x;
    }
};
}  // namespace

void QuantizedModel::initializeActivations(const torch::Tensor &batch)
{
    torch::NoGradGuard ng;
    Observer obs;
    obs.fit = [this](int point, const torch::Tensor &x) {
        if (m_plan.activationBits[point] > 0)
            m_acts[point].initialize(x);
    };
    m_executor->run(batch, &obs);
}

std::vector<int> QuantizedModel::pointsOf(const graph::Unit &unit) const
{
    std::vector<int> points;
    for (int layer : unit.layers) {
        const int p = m_executor->pointOfValue(m_executor->graph().nodes[layer].inputs[0]);
        if (p >= 0 && std::find(points.begin(), points.end(), p) == points.end())
            points.push_back(p);
    }
    return points;
}

torch::Tensor QuantizedModel::weight(int node, const graph::Node &layer)
{
    auto it = m_weights.find(node);
    if (it == m_weights.end())
        return layer.weight;
    return it->second.quantized(m_rounding[node]);
}

torch::Tensor QuantizedModel::activation(int point, const torch::Tensor &x)
{
    if (!activationEnabled(point) || !m_acts[point].initialized())
        return x;
    return m_acts[point].forward(x, m_dropProb, !m_twice);
}

}  // namespace metaaug::quant
