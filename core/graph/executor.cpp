// SPDX-License-Identifier: GPL-3.0-or-later
#include "executor.h"

#include <algorithm>
#include <stdexcept>

namespace metaaug::graph {

torch::Tensor ExecutionHooks::weight(int, const Node &layer) { return layer.weight; }
torch::Tensor ExecutionHooks::activation(int, const torch::Tensor &x) { return x; }

namespace {

c10::Scalar scalarOf(const c10::IValue &v)
{
    if (v.isTensor())
        return v.toTensor().item();
    return v.toScalar();
}

// Element-wise binary op on tensors, ints or doubles (shape arithmetic of
// traced graphs runs on 0-dim tensors and ints alike).
c10::IValue binary(OpKind op, const c10::IValue &a, const c10::IValue &b, double alpha, bool floorDiv)
{
    if (a.isInt() && b.isInt()) {
        const int64_t x = a.toInt(), y = b.toInt();
        switch (op) {
        case OpKind::Add: return x + int64_t(alpha) * y;
        case OpKind::Sub: return x - int64_t(alpha) * y;
        case OpKind::Mul: return x * y;
        case OpKind::Div:
            if (y == 0)
                throw std::runtime_error("integer division by zero in shape arithmetic");
            if (floorDiv) {
                int64_t q = x / y;
                if ((x % y != 0) && ((x < 0) != (y < 0)))
                    --q;
                return q;
            }
            return double(x) / double(y);
        default: break;
        }
    }
    const bool ta = a.isTensor(), tb = b.isTensor();
    if (!ta && !tb) {
        const double x = a.toScalar().toDouble(), y = b.toScalar().toDouble();
        switch (op) {
        case OpKind::Add: return x + alpha * y;
        case OpKind::Sub: return x - alpha * y;
        case OpKind::Mul: return x * y;
        case OpKind::Div: return floorDiv ? std::floor(x / y) : x / y;
        default: break;
        }
    }
    const torch::Tensor x = ta ? a.toTensor() : torch::scalar_tensor(scalarOf(a), b.toTensor().options());
    switch (op) {
    case OpKind::Add: return tb ? at::add(x, b.toTensor(), alpha) : at::add(x, scalarOf(b), alpha);
    case OpKind::Sub: return tb ? at::sub(x, b.toTensor(), alpha) : at::sub(x, scalarOf(b), alpha);
    case OpKind::Mul: return tb ? at::mul(x, b.toTensor()) : at::mul(x, scalarOf(b));
    case OpKind::Div: {
        const torch::Tensor y = tb ? b.toTensor() : torch::scalar_tensor(scalarOf(b), x.options());
        return floorDiv ? at::div(x, y, "floor") : at::div(x, y);
    }
    default: break;
    }
    throw std::logic_error("not a binary op");
}

}  // namespace

Executor::Executor(std::shared_ptr<const Graph> graph) : m_graph(std::move(graph))
{
    const Graph &g = *m_graph;
    m_pointOfValue.assign(g.numValues, -1);
    m_lastUse.assign(g.numValues, -1);
    for (int i = 0; i < int(g.nodes.size()); ++i) {
        const Node &n = g.nodes[i];
        for (int v : n.inputs)
            m_lastUse[v] = i;
        if (!n.isLayer())
            continue;
        const int v = n.inputs[0];
        if (m_pointOfValue[v] < 0) {
            m_pointOfValue[v] = int(m_points.size());
            m_points.push_back({v, n.name, {}, v == 0});
        }
        m_points[m_pointOfValue[v]].layers.push_back(i);
    }
}

int Executor::pointOfValue(int value) const
{
    return value >= 0 && value < int(m_pointOfValue.size()) ? m_pointOfValue[value] : -1;
}

int Executor::pointOfLayer(const std::string &layerName) const
{
    const int node = m_graph->findNode(layerName);
    if (node < 0 || !m_graph->nodes[node].isLayer())
        return -1;
    return m_pointOfValue[m_graph->nodes[node].inputs[0]];
}

const c10::IValue &Executor::get(const Env &env, int v) const
{
    if (m_graph->isConstant(v))
        return *m_graph->constants[v];
    const c10::IValue &iv = env[v];
    if (iv.isNone())
        throw std::runtime_error("graph value " + m_graph->valueNames[v] + " is not available in this range "
                                 "(it crosses a unit boundary)");
    return iv;
}

void Executor::exec(int index, Env &env, ExecutionHooks *hooks) const
{
    const Node &n = m_graph->nodes[index];
    auto t = [&](size_t i) { return get(env, n.inputs[i]).toTensor(); };
    auto set = [&](c10::IValue v) { env[n.outputs[0]] = std::move(v); };
    switch (n.op) {
    case OpKind::Conv2d: {
        const torch::Tensor w = hooks ? hooks->weight(index, n) : n.weight;
        set(at::conv2d(t(0), w, n.bias, n.stride, n.padding, n.dilation, n.groups));
        return;
    }
    case OpKind::Linear: {
        const torch::Tensor w = hooks ? hooks->weight(index, n) : n.weight;
        set(at::linear(t(0), w, n.bias));
        return;
    }
    case OpKind::BatchNorm: {
        const torch::Tensor x = t(0);
        std::vector<int64_t> shape(x.dim(), 1);
        shape[1] = -1;
        set(x * n.bnScale.view(shape) + n.bnShift.view(shape));
        return;
    }
    case OpKind::Relu: set(at::relu(t(0))); return;
    case OpKind::Clamp: {
        c10::optional<c10::Scalar> lo, hi;
        if (n.minValue) lo = *n.minValue;
        if (n.maxValue) hi = *n.maxValue;
        set(at::clamp(t(0), lo, hi));
        return;
    }
    case OpKind::Hardswish: set(at::hardswish(t(0))); return;
    case OpKind::Hardsigmoid: set(at::hardsigmoid(t(0))); return;
    case OpKind::Silu: set(at::silu(t(0))); return;
    case OpKind::Sigmoid: set(at::sigmoid(t(0))); return;
    case OpKind::Gelu: set(at::gelu(t(0), n.tanhGelu ? "tanh" : "none")); return;
    case OpKind::LayerNorm: {
        const torch::Tensor x = t(0);
        set(at::layer_norm(x, {x.size(-1)}, n.bnWeight, n.bnBias, n.bnEps));
        return;
    }
    case OpKind::Softmax: set(at::softmax(t(0), n.dims[0])); return;
    case OpKind::LogSoftmax: set(at::log_softmax(t(0), n.dims[0])); return;
    case OpKind::Add:
    case OpKind::Sub:
    case OpKind::Mul:
    case OpKind::Div:
        set(binary(n.op, get(env, n.inputs[0]), get(env, n.inputs[1]), n.alpha, n.floorDiv));
        return;
    case OpKind::MaxPool2d: set(at::max_pool2d(t(0), n.kernel, n.stride, n.padding, n.dilation, n.ceilMode)); return;
    case OpKind::AvgPool2d:
        set(at::avg_pool2d(t(0), n.kernel, n.stride, n.padding, n.ceilMode, n.countIncludePad,
                           n.divisorOverride ? c10::optional<int64_t>(*n.divisorOverride) : c10::nullopt));
        return;
    case OpKind::AdaptiveAvgPool2d: {
        const torch::Tensor x = t(0);
        // Global pooling as a mean: same result, faster than the adaptive kernel.
        if (n.outputSize == std::vector<int64_t>{1, 1} || n.outputSize == std::vector<int64_t>{1})
            set(x.mean({-2, -1}, true));
        else
            set(at::adaptive_avg_pool2d(x, n.outputSize));
        return;
    }
    case OpKind::Mean: set(at::mean(t(0), n.dims, n.keepDim)); return;
    case OpKind::Flatten: set(at::flatten(t(0), n.dims[0], n.dims[1])); return;
    case OpKind::Reshape: set(at::reshape(t(0), get(env, n.inputs[1]).toIntVector())); return;
    case OpKind::Cat: set(at::cat(get(env, n.inputs[0]).toTensorVector(), n.dims[0])); return;
    case OpKind::Transpose: set(at::transpose(t(0), n.dims[0], n.dims[1])); return;
    case OpKind::Permute: set(t(0).permute(n.dims)); return;
    case OpKind::Slice: {
        const torch::Tensor x = t(0);
        const int64_t size = x.size(n.dims[0]);
        auto clampIndex = [size](int64_t i) { return std::clamp(i < 0 ? i + size : i, int64_t(0), size); };
        const int64_t start = clampIndex(n.sliceStart), end = std::max(start, clampIndex(n.sliceEnd));
        set(x.slice(n.dims[0], start, end, n.sliceStep));
        return;
    }
    case OpKind::Pad: set(at::constant_pad_nd(t(0), n.padding, 0)); return;
    case OpKind::Contiguous: set(t(0).contiguous()); return;
    case OpKind::Identity: set(get(env, n.inputs[0])); return;
    case OpKind::Chunk:
        if (n.splitSizes.size() == 1)
            set(c10::IValue(at::split(t(0), n.splitSizes[0], n.dims[0])));
        else if (!n.splitSizes.empty())
            set(c10::IValue(at::split_with_sizes(t(0), n.splitSizes, n.dims[0])));
        else
            set(c10::IValue(at::chunk(t(0), n.chunks, n.dims[0])));
        return;
    case OpKind::Size: {
        const torch::Tensor x = t(0);
        if (n.dims.empty())
            set(c10::IValue(x.sizes().vec()));
        else
            set(x.size(n.dims[0]));
        return;
    }
    case OpKind::ToInt: {
        const c10::IValue &v = get(env, n.inputs[0]);
        set(v.isTensor() ? c10::IValue(v.toTensor().item<int64_t>()) : v);
        return;
    }
    case OpKind::NumToTensor: set(torch::scalar_tensor(get(env, n.inputs[0]).toScalar())); return;
    case OpKind::ListConstruct: {
        bool allInts = true, allTensors = true;
        for (int v : n.inputs) {
            const c10::IValue &iv = get(env, v);
            allInts = allInts && iv.isInt();
            allTensors = allTensors && iv.isTensor();
        }
        if (allTensors && !n.inputs.empty()) {
            std::vector<torch::Tensor> ts;
            for (int v : n.inputs)
                ts.push_back(get(env, v).toTensor());
            set(c10::IValue(ts));
        } else if (allInts) {
            std::vector<int64_t> xs;
            for (int v : n.inputs)
                xs.push_back(get(env, v).toInt());
            set(c10::IValue(xs));
        } else {
            throw std::runtime_error("node " + n.name + ": a list of mixed element types is not supported");
        }
        return;
    }
    case OpKind::ListUnpack: {
        const c10::IValue &list = get(env, n.inputs[0]);
        std::vector<c10::IValue> items;
        if (list.isTensorList()) {
            for (const auto &x : list.toTensorVector())
                items.emplace_back(x);
        } else if (list.isIntList()) {
            for (int64_t x : list.toIntVector())
                items.emplace_back(x);
        } else if (list.isTuple()) {
            for (const auto &x : list.toTupleRef().elements())
                items.push_back(x);
        } else {
            items = list.toListRef().vec();
        }
        if (items.size() != n.outputs.size())
            throw std::runtime_error("node " + n.name + ": unpacks " + std::to_string(items.size()) + " items into " +
                                     std::to_string(n.outputs.size()) + " values");
        for (size_t i = 0; i < items.size(); ++i)
            env[n.outputs[i]] = std::move(items[i]);
        return;
    }
    }
    // Every case returns: an op kind without one arrives here (tests/core/graph/tst_optable).
    throw std::runtime_error("node " + n.name + ": op " + opKindName(n.op) + " is not handled by the executor");
}

torch::Tensor Executor::runImpl(int begin, int end, int from, const torch::Tensor &x, int to, ExecutionHooks *hooks,
                                const std::vector<int> *collect, std::map<std::string, torch::Tensor> *collected) const
{
    const Graph &g = *m_graph;
    Env env(g.numValues);
    // Activation points whose layers run in [begin, end) get their hook.
    auto hookIfUsedHere = [&](int v) {
        const int p = hooks ? m_pointOfValue[v] : -1;
        if (p < 0)
            return;
        for (int layer : m_points[p].layers)
            if (layer >= begin && layer < end) {
                env[v] = hooks->activation(p, env[v].toTensor());
                return;
            }
    };
    env[from] = x;
    hookIfUsedHere(from);
    for (int i = begin; i < end; ++i) {
        try {
            exec(i, env, hooks);
        } catch (const c10::Error &e) {
            // LibTorch's message says what is wrong, not where: name the layer.
            const Node &n = g.nodes[i];
            throw std::runtime_error("layer " + n.name + " (" + n.sourceKind + "): " + e.what_without_backtrace());
        }
        for (int o : g.nodes[i].outputs)
            hookIfUsedHere(o);
        if (collect && (*collect)[i] && env[g.nodes[i].outputs[0]].isTensor())
            (*collected)[g.nodes[i].name] = env[g.nodes[i].outputs[0]].toTensor();
        // Free what no later node reads (keeps peak memory at the live set).
        for (int v : g.nodes[i].inputs)
            if (m_lastUse[v] == i && v != to && !g.isConstant(v))
                env[v] = c10::IValue();
    }
    return get(env, to).toTensor();
}

int64_t Executor::peakLiveBytes(const torch::Tensor &input) const
{
    const Graph &g = *m_graph;
    const std::vector<c10::IValue> values = allValues(input);
    auto bytes = [&](int v) -> int64_t {
        if (v >= int(values.size()) || !values[size_t(v)].isTensor() || g.isConstant(v))
            return 0;
        const torch::Tensor &t = values[size_t(v)].toTensor();
        return t.numel() * int64_t(t.element_size());
    };
    int64_t live = bytes(0), peak = live;
    for (int i = 0; i < int(g.nodes.size()); ++i) {
        for (int o : g.nodes[size_t(i)].outputs)
            live += bytes(o);
        peak = std::max(peak, live);
        for (int v : g.nodes[size_t(i)].inputs)
            if (m_lastUse[size_t(v)] == i)
                live -= bytes(v);
    }
    return peak;
}

torch::Tensor Executor::runRange(int begin, int end, int from, const torch::Tensor &x, int to, ExecutionHooks *hooks) const
{
    return runImpl(begin, end, from, x, to, hooks, nullptr, nullptr);
}

torch::Tensor Executor::run(const torch::Tensor &input, ExecutionHooks *hooks) const
{
    return runImpl(0, int(m_graph->nodes.size()), 0, input, m_graph->output, hooks, nullptr, nullptr);
}

torch::Tensor Executor::runPrefix(const Unit &unit, const torch::Tensor &input, ExecutionHooks *hooks) const
{
    if (unit.input == 0)
        return input;
    return runImpl(0, unit.firstNode, 0, input, unit.input, hooks, nullptr, nullptr);
}

torch::Tensor Executor::runUnit(const Unit &unit, const torch::Tensor &unitInput, ExecutionHooks *hooks) const
{
    return runImpl(unit.firstNode, unit.lastNode + 1, unit.input, unitInput, unit.output, hooks, nullptr, nullptr);
}

torch::Tensor Executor::runSuffix(const Unit &unit, const torch::Tensor &unitOutput, ExecutionHooks *hooks) const
{
    if (unit.output == m_graph->output)
        return unitOutput;
    return runImpl(unit.lastNode + 1, int(m_graph->nodes.size()), unit.output, unitOutput, m_graph->output, hooks,
                   nullptr, nullptr);
}

std::vector<c10::IValue> Executor::allValues(const torch::Tensor &input, ExecutionHooks *hooks) const
{
    const Graph &g = *m_graph;
    Env env(g.numValues);
    env[0] = input;
    for (int v = 0; v < g.numValues; ++v)
        if (g.isConstant(v))
            env[v] = *g.constants[v];
    for (int i = 0; i < int(g.nodes.size()); ++i)
        exec(i, env, hooks);
    return env;
}

std::vector<int> Executor::collectMask(const std::vector<std::string> &names) const
{
    std::vector<int> collect(m_graph->nodes.size(), 0);
    for (const std::string &name : names) {
        const int i = m_graph->findNode(name);
        if (i < 0)
            throw std::invalid_argument("no node named '" + name + "'");
        collect[i] = 1;
    }
    return collect;
}

std::map<std::string, torch::Tensor> Executor::intermediates(const torch::Tensor &input,
                                                             const std::vector<std::string> &names,
                                                             ExecutionHooks *hooks) const
{
    const std::vector<int> collect = collectMask(names);
    std::map<std::string, torch::Tensor> out;
    runImpl(0, int(m_graph->nodes.size()), 0, input, m_graph->output, hooks, &collect, &out);
    return out;
}

std::map<std::string, torch::Tensor> Executor::unitIntermediates(const Unit &unit, const torch::Tensor &unitInput,
                                                                 const std::vector<std::string> &names,
                                                                 ExecutionHooks *hooks) const
{
    const std::vector<int> collect = collectMask(names);
    std::map<std::string, torch::Tensor> out;
    runImpl(unit.firstNode, unit.lastNode + 1, unit.input, unitInput, unit.output, hooks, &collect, &out);
    return out;
}

}  // namespace metaaug::graph
