// SPDX-License-Identifier: GPL-3.0-or-later
// The quantized state of a whole model: one WeightQuantizer per conv/linear
// and one ActivationQuantizer per activation point, plugged into the
// executor as ExecutionHooks. Units are switched from FP to trained to
// fixed as reconstruction proceeds.
#pragma once

#include "activationquantizer.h"
#include "bitpolicy.h"
#include "weightquantizer.h"

#include <memory>

namespace metaaug::quant {

class QuantizedModel : public graph::ExecutionHooks {
public:
    // Initialises every weight grid by the 2.4-norm search. All layers start
    // in Rounding::Nearest, all activation quantizers enabled but
    // uninitialised: call initializeActivations() before running.
    QuantizedModel(std::shared_ptr<const graph::Executor> executor, const BitPlan &plan);

    const graph::Executor &executor() const { return *m_executor; }
    const BitPlan &plan() const { return m_plan; }

    // Sign and step of every activation quantizer from an FP forward of `batch`.
    void initializeActivations(const torch::Tensor &batch);

    WeightQuantizer &weight(int layerNode) { return m_weights.at(layerNode); }
    const WeightQuantizer &weight(int layerNode) const { return m_weights.at(layerNode); }
    ActivationQuantizer &activation(int point) { return m_acts[point]; }
    const ActivationQuantizer &activation(int point) const { return m_acts[point]; }

    void setRounding(int layerNode, Rounding r) { m_rounding[layerNode] = r; }
    Rounding rounding(int layerNode) const { return m_rounding.at(layerNode); }
    // Activation quantization on or off at a point (off: FP).
    void setActivationEnabled(int point, bool on) { m_actEnabled[point] = on; }
    bool activationEnabled(int point) const;
    // QDrop probability applied by every enabled activation quantizer (0 =
    // none). Set it for a scope with TrainingModeGuard.
    void setDropProbability(double p) { m_dropProb = p; }
    double dropProbability() const { return m_dropProb; }
    // On: activation quantizers use the composite ops whose backward can be
    // differentiated again (create_graph); off (default): the fused kernel.
    void setDifferentiableTwice(bool on) { m_twice = on; }
    bool differentiableTwice() const { return m_twice; }

    // Activation points read by the layers of `unit`.
    std::vector<int> pointsOf(const graph::Unit &unit) const;

    torch::Tensor weight(int node, const graph::Node &layer) override;
    torch::Tensor activation(int point, const torch::Tensor &x) override;

private:
    std::shared_ptr<const graph::Executor> m_executor;
    BitPlan m_plan;
    std::map<int, WeightQuantizer> m_weights;
    std::map<int, Rounding> m_rounding;
    std::vector<ActivationQuantizer> m_acts;
    std::vector<bool> m_actEnabled;
    double m_dropProb = 0.0;
    bool m_twice = false;
};

// Sets a QuantizedModel's QDrop probability and twice-differentiable mode
// for a scope and restores the previous ones when it ends, on every path
// (early returns, errors, cancel) alike.
class TrainingModeGuard {
public:
    TrainingModeGuard(QuantizedModel &q, double dropProbability, bool differentiableTwice = false)
        : m_q(q), m_drop(q.dropProbability()), m_twice(q.differentiableTwice())
    {
        q.setDropProbability(dropProbability);
        q.setDifferentiableTwice(differentiableTwice);
    }
    ~TrainingModeGuard()
    {
        m_q.setDropProbability(m_drop);
        m_q.setDifferentiableTwice(m_twice);
    }
    TrainingModeGuard(const TrainingModeGuard &) = delete;
    TrainingModeGuard &operator=(const TrainingModeGuard &) = delete;

private:
    QuantizedModel &m_q;
    double m_drop;
    bool m_twice;
};

}  // namespace metaaug::quant
