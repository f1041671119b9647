// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a graph IR with LibTorch ops (no TorchScript interpreter): the whole
// model, one unit, the prefix before a unit or the suffix after it, and any
// named intermediate tensor. Quantization plugs in through ExecutionHooks.
//
// Thread safety: an Executor is immutable after construction; run*() may be
// called from several threads at once. Autograd flows through when the
// caller enables it (hooks may return tensors that carry history).
#pragma once

#include "graph.h"
#include "partition.h"

#include <map>
#include <memory>

namespace metaaug::graph {

// A conv/linear input: one tensor value, maybe feeding several layers
// (one quantizer for all of them).
struct ActivationPoint {
    int value = -1;
    std::string name;          // the first consuming layer's name
    std::vector<int> layers;   // consuming Conv2d/Linear node indices
    bool isModelInput = false; // the image itself
};

class ExecutionHooks {
public:
    virtual ~ExecutionHooks() = default;
    // The weight to use for a Conv2d/Linear node (default: its FP weight).
    virtual torch::Tensor weight(int node, const Node &layer);
    // Replaces the value at activation point `point` for all its consumers
    // (default: unchanged). Called once per point and run, only when one of
    // the point's layers runs in that call.
    virtual torch::Tensor activation(int point, const torch::Tensor &x);
};

class Executor {
public:
    explicit Executor(std::shared_ptr<const Graph> graph);

    const Graph &graph() const { return *m_graph; }
    const std::vector<ActivationPoint> &activationPoints() const { return m_points; }
    // Activation point index of a value or of a layer's input, or -1.
    int pointOfValue(int value) const;
    int pointOfLayer(const std::string &layerName) const;

    // The model's output for a batch.
    torch::Tensor run(const torch::Tensor &input, ExecutionHooks *hooks = nullptr) const;
    // Runs nodes [begin, end) with `from` set to x and returns value `to`.
    torch::Tensor runRange(int begin, int end, int from, const torch::Tensor &x, int to,
                           ExecutionHooks *hooks = nullptr) const;
    // The input of `unit` for a model input (FP or quantized, by the hooks).
    torch::Tensor runPrefix(const Unit &unit, const torch::Tensor &input, ExecutionHooks *hooks = nullptr) const;
    // The unit's output for its input.
    torch::Tensor runUnit(const Unit &unit, const torch::Tensor &unitInput, ExecutionHooks *hooks = nullptr) const;
    // The model output from the unit's output onwards.
    torch::Tensor runSuffix(const Unit &unit, const torch::Tensor &unitOutput, ExecutionHooks *hooks = nullptr) const;
    // Every value of one run (tensors, ints, lists; constants included), for
    // exporters that fold shape arithmetic.
    std::vector<c10::IValue> allValues(const torch::Tensor &input, ExecutionHooks *hooks = nullptr) const;
    // The most tensor bytes a run on `input` holds at once: values are freed
    // after their last reader (as run() does), plus the node's outputs while
    // it runs. For the memory plan.
    int64_t peakLiveBytes(const torch::Tensor &input) const;
    // Outputs of the named nodes inside `unit` for the unit's input; unknown
    // names throw.
    std::map<std::string, torch::Tensor> unitIntermediates(const Unit &unit, const torch::Tensor &unitInput,
                                                           const std::vector<std::string> &names,
                                                           ExecutionHooks *hooks = nullptr) const;
    // Outputs of the named nodes (first output each, when a tensor); unknown
    // names throw.
    std::map<std::string, torch::Tensor> intermediates(const torch::Tensor &input, const std::vector<std::string> &names,
                                                       ExecutionHooks *hooks = nullptr) const;

private:
    using Env = std::vector<c10::IValue>;
    void exec(int index, Env &env, ExecutionHooks *hooks) const;
    const c10::IValue &get(const Env &env, int v) const;
    std::vector<int> collectMask(const std::vector<std::string> &names) const;
    torch::Tensor runImpl(int begin, int end, int from, const torch::Tensor &x, int to, ExecutionHooks *hooks,
                          const std::vector<int> *collect, std::map<std::string, torch::Tensor> *collected) const;

    std::shared_ptr<const Graph> m_graph;
    std::vector<ActivationPoint> m_points;
    std::vector<int> m_pointOfValue;   // by value id
    std::vector<int> m_lastUse;        // by value id: last consuming node
};

}  // namespace metaaug::graph
