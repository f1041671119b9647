// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptwriter.h"

#include "graph/executor.h"

#include <sstream>

namespace metaaug::plugins {

namespace {

using graph::OpKind;

enum class Type { Tensor, Int, Float, Bool, None, IntList, FloatList, TensorList, Unknown };

std::string num(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    std::string s = buf;
    if (s.find_first_of(".eEn") == std::string::npos)
        s += ".0";
    if (s == "inf" || s == "-inf" || s == "nan")
        s = s == "nan" ? "float('nan')" : (s[0] == '-' ? "-float('inf')" : "float('inf')");
    return s;
}

template <typename T>
std::string list(const std::vector<T> &v)
{
    std::ostringstream o;
    o << '[';
    for (size_t i = 0; i < v.size(); ++i)
        o << (i ? ", " : "") << v[i];
    o << ']';
    return o.str();
}

class Writer {
public:
    Writer(const graph::Graph &g, const exporting::QuantizedState &s, const std::map<std::string, torch::Tensor> &probe)
        : m_g(g), m_state(s), m_probe(probe), m_types(g.numValues, Type::Unknown), m_names(g.numValues)
    {
    }

    Result<Script> run()
    {
        m_types[0] = Type::Tensor;
        m_names[0] = "v0";
        m_out << "def forward(self, x: Tensor) -> Tensor:\n";
        line("v0 = x");
        quantizeIfNeeded(0);
        const std::vector<int> producers = m_g.producers();
        for (int i = 0; i < int(m_g.nodes.size()); ++i) {
            if (auto r = node(i); !r)
                return r.error();
            for (int o : m_g.nodes[i].outputs)
                quantizeIfNeeded(o);
        }
        if (m_types[m_g.output] != Type::Tensor)
            return makeError(ErrorCode::Unsupported, QStringLiteral("the model's output is not a tensor"));
        line("return " + ref(m_g.output));
        m_script.source = m_out.str();
        return std::move(m_script);
    }

private:
    void line(const std::string &s) { m_out << "    " << s << '\n'; }

    std::string buffer(const std::string &prefix, const torch::Tensor &t)
    {
        const std::string name = prefix + std::to_string(m_script.buffers.size());
        m_script.buffers.emplace_back(name, t.detach().contiguous().clone());
        return "self." + name;
    }

    // A value's expression: its variable, or a literal / buffer for a constant.
    std::string ref(int v)
    {
        if (!m_g.isConstant(v))
            return m_names[v];
        const c10::IValue &c = *m_g.constants[v];
        if (c.isTensor()) {
            m_types[v] = Type::Tensor;
            if (m_names[v].empty())
                m_names[v] = buffer("c", c.toTensor());
            return m_names[v];
        }
        if (c.isInt()) {
            m_types[v] = Type::Int;
            return std::to_string(c.toInt());
        }
        if (c.isDouble()) {
            m_types[v] = Type::Float;
            return num(c.toDouble());
        }
        if (c.isBool()) {
            m_types[v] = Type::Bool;
            return c.toBool() ? "True" : "False";
        }
        if (c.isNone()) {
            m_types[v] = Type::None;
            return "None";
        }
        if (c.isIntList()) {
            m_types[v] = Type::IntList;
            const auto xs = c.toIntVector();
            return xs.empty() ? "torch.jit.annotate(List[int], [])" : list(xs);
        }
        if (c.isDoubleList()) {
            m_types[v] = Type::FloatList;
            std::vector<std::string> xs;
            for (double d : c.toDoubleVector())
                xs.push_back(num(d));
            return list(xs);
        }
        m_types[v] = Type::Unknown;
        return "None";
    }

    Type type(int v)
    {
        (void)ref(v);  // types constants
        return m_types[v];
    }

    void define(int v, Type t, const std::string &expr)
    {
        m_names[v] = "v" + std::to_string(v);
        m_types[v] = t;
        line(m_names[v] + " = " + expr);
    }

    void quantizeIfNeeded(int v)
    {
        const exporting::ActivationEncoding *a = m_state.activationOfValue(v);
        if (!a)
            return;
        const std::string s = num(a->step);
        // The engine's order of operations (fusedlsq.cpp): divide, clamp, round, scale.
        line(m_names[v] + " = torch.round(torch.clamp(" + m_names[v] + " / " + s + ", " + num(double(a->qmin())) + ", " +
             num(double(a->qmax())) + ")) * " + s);
    }

    Result<void> unsupported(const graph::Node &n, const std::string &why)
    {
        return makeError(ErrorCode::Unsupported, QStringLiteral("TorchScript export: node %1 (%2): %3")
                                                     .arg(QString::fromStdString(n.name), QLatin1String(graph::opKindName(n.op)),
                                                          QString::fromStdString(why)));
    }

    Result<void> binary(const graph::Node &n)
    {
        const int a = n.inputs[0], b = n.inputs[1];
        const std::string x = ref(a), y = ref(b);
        const Type ta = type(a), tb = type(b);
        const int out = n.outputs[0];
        const bool tensors = ta == Type::Tensor || tb == Type::Tensor;
        if (!tensors) {
            const bool ints = ta == Type::Int && tb == Type::Int;
            const std::string alpha = ints ? std::to_string(int64_t(n.alpha)) : num(n.alpha);
            switch (n.op) {
            case OpKind::Add: define(out, ints ? Type::Int : Type::Float, x + " + " + alpha + " * " + y); break;
            case OpKind::Sub: define(out, ints ? Type::Int : Type::Float, x + " - " + alpha + " * " + y); break;
            case OpKind::Mul: define(out, ints ? Type::Int : Type::Float, x + " * " + y); break;
            case OpKind::Div:
                if (n.floorDiv)
                    define(out, ints ? Type::Int : Type::Float, x + " // " + y);
                else
                    define(out, Type::Float, "float(" + x + ") / float(" + y + ")");
                break;
            default: return unsupported(n, "not a binary op");
            }
            return {};
        }
        // A scalar first operand becomes a 0-dim tensor like the engine's.
        const std::string lhs = ta == Type::Tensor ? x : "torch.scalar_tensor(" + x + ", dtype=" + y + ".dtype)";
        const std::string alpha = num(n.alpha);
        switch (n.op) {
        case OpKind::Add: define(out, Type::Tensor, "torch.add(" + lhs + ", " + y + ", alpha=" + alpha + ")"); break;
        case OpKind::Sub: define(out, Type::Tensor, "torch.sub(" + lhs + ", " + y + ", alpha=" + alpha + ")"); break;
        case OpKind::Mul: define(out, Type::Tensor, "torch.mul(" + lhs + ", " + y + ")"); break;
        case OpKind::Div:
            define(out, Type::Tensor, n.floorDiv ? "torch.div(" + lhs + ", " + y + ", rounding_mode='floor')"
                                                 : "torch.div(" + lhs + ", " + y + ")");
            break;
        default: return unsupported(n, "not a binary op");
        }
        return {};
    }

    Result<void> node(int index)
    {
        const graph::Node &n = m_g.nodes[index];
        const int out = n.outputs.empty() ? -1 : n.outputs[0];
        auto in = [&](size_t i) { return ref(n.inputs[i]); };
        switch (n.op) {
        case OpKind::Conv2d:
        case OpKind::Linear: {
            const exporting::LayerEncoding *l = m_state.layer(index);
            const torch::Tensor w = l ? l->dequantized() : n.weight;
            const std::string wb = buffer("w", w);
            const std::string bb = n.bias.defined() ? buffer("b", n.bias) : "None";
            if (n.op == OpKind::Linear)
                define(out, Type::Tensor, "torch.linear(" + in(0) + ", " + wb + ", " + bb + ")");
            else
                define(out, Type::Tensor, "torch.conv2d(" + in(0) + ", " + wb + ", " + bb + ", " + list(n.stride) + ", " +
                                              list(n.padding) + ", " + list(n.dilation) + ", " + std::to_string(n.groups) + ")");
            return {};
        }
        case OpKind::BatchNorm: {
            auto it = m_probe.find(n.name);
            const int64_t rank = it == m_probe.end() ? 4 : it->second.dim();
            std::vector<int64_t> shape(rank, 1);
            shape[1] = -1;
            define(out, Type::Tensor, in(0) + " * " + buffer("bns", n.bnScale.view(shape)) + " + " + buffer("bnb", n.bnShift.view(shape)));
            return {};
        }
        case OpKind::Relu: define(out, Type::Tensor, "torch.relu(" + in(0) + ")"); return {};
        case OpKind::Clamp:
            define(out, Type::Tensor, "torch.clamp(" + in(0) + ", " + (n.minValue ? num(*n.minValue) : "None") + ", " +
                                          (n.maxValue ? num(*n.maxValue) : "None") + ")");
            return {};
        case OpKind::Hardswish: define(out, Type::Tensor, "torch.hardswish(" + in(0) + ")"); return {};
        case OpKind::Hardsigmoid: define(out, Type::Tensor, "torch.hardsigmoid(" + in(0) + ")"); return {};
        case OpKind::Silu: define(out, Type::Tensor, "torch.silu(" + in(0) + ")"); return {};
        case OpKind::Sigmoid: define(out, Type::Tensor, "torch.sigmoid(" + in(0) + ")"); return {};
        case OpKind::Gelu:
            define(out, Type::Tensor, in(0) + ".gelu(approximate='" + (n.tanhGelu ? "tanh" : "none") + "')");
            return {};
        case OpKind::LayerNorm: {
            const std::string x = in(0);
            define(out, Type::Tensor, "torch.layer_norm(" + x + ", [" + x + ".size(-1)], " +
                                          (n.bnWeight.defined() ? buffer("lnw", n.bnWeight) : "None") + ", " +
                                          (n.bnBias.defined() ? buffer("lnb", n.bnBias) : "None") + ", " + num(n.bnEps) + ")");
            return {};
        }
        case OpKind::Softmax:
        case OpKind::LogSoftmax:
            define(out, Type::Tensor, std::string(n.op == OpKind::Softmax ? "torch.softmax(" : "torch.log_softmax(") + in(0) +
                                          ", " + std::to_string(n.dims[0]) + ")");
            return {};
        case OpKind::Add:
        case OpKind::Sub:
        case OpKind::Mul:
        case OpKind::Div: return binary(n);
        case OpKind::MaxPool2d:
            define(out, Type::Tensor, "torch.max_pool2d(" + in(0) + ", " + list(n.kernel) + ", " + list(n.stride) + ", " +
                                          list(n.padding) + ", " + list(n.dilation) + ", " + (n.ceilMode ? "True" : "False") + ")");
            return {};
        case OpKind::AvgPool2d:
            define(out, Type::Tensor, "torch.avg_pool2d(" + in(0) + ", " + list(n.kernel) + ", " + list(n.stride) + ", " +
                                          list(n.padding) + ", " + (n.ceilMode ? "True" : "False") + ", " +
                                          (n.countIncludePad ? "True" : "False") + ", " +
                                          (n.divisorOverride ? std::to_string(*n.divisorOverride) : "None") + ")");
            return {};
        case OpKind::AdaptiveAvgPool2d:
            // The engine computes global pooling as a mean; so does the export.
            if (n.outputSize == std::vector<int64_t>{1, 1} || n.outputSize == std::vector<int64_t>{1})
                define(out, Type::Tensor, "torch.mean(" + in(0) + ", [-2, -1], True)");
            else
                define(out, Type::Tensor, "torch.adaptive_avg_pool2d(" + in(0) + ", " + list(n.outputSize) + ")");
            return {};
        case OpKind::Mean:
            define(out, Type::Tensor, "torch.mean(" + in(0) + ", " + list(n.dims) + ", " + (n.keepDim ? "True" : "False") + ")");
            return {};
        case OpKind::Flatten:
            define(out, Type::Tensor, "torch.flatten(" + in(0) + ", " + std::to_string(n.dims[0]) + ", " + std::to_string(n.dims[1]) + ")");
            return {};
        case OpKind::Reshape: define(out, Type::Tensor, "torch.reshape(" + in(0) + ", " + in(1) + ")"); return {};
        case OpKind::Cat: define(out, Type::Tensor, "torch.cat(" + in(0) + ", " + std::to_string(n.dims[0]) + ")"); return {};
        case OpKind::Transpose:
            define(out, Type::Tensor, "torch.transpose(" + in(0) + ", " + std::to_string(n.dims[0]) + ", " + std::to_string(n.dims[1]) + ")");
            return {};
        case OpKind::Permute: define(out, Type::Tensor, "torch.permute(" + in(0) + ", " + list(n.dims) + ")"); return {};
        case OpKind::Slice:
            define(out, Type::Tensor, in(0) + ".slice(" + std::to_string(n.dims[0]) + ", " + std::to_string(n.sliceStart) + ", " +
                                          std::to_string(n.sliceEnd) + ", " + std::to_string(n.sliceStep) + ")");
            return {};
        case OpKind::Pad: define(out, Type::Tensor, "torch.constant_pad_nd(" + in(0) + ", " + list(n.padding) + ", 0.0)"); return {};
        case OpKind::Contiguous: define(out, Type::Tensor, in(0) + ".contiguous()"); return {};
        case OpKind::Identity: {
            const std::string x = in(0);
            define(out, type(n.inputs[0]), x);
            return {};
        }
        case OpKind::Chunk: {
            std::string sizes;
            for (int64_t s : n.splitSizes)
                sizes += (sizes.empty() ? "" : ", ") + std::to_string(s);
            if (n.splitSizes.size() > 1)
                sizes = "[" + sizes + "]";
            const std::string dim = std::to_string(n.dims[0]);
            define(out, Type::TensorList, n.splitSizes.empty() ? "torch.chunk(" + in(0) + ", " + std::to_string(n.chunks) + ", " + dim + ")"
                                                               : "torch.split(" + in(0) + ", " + sizes + ", " + dim + ")");
            return {};
        }
        case OpKind::Size:
            if (n.dims.empty())
                define(out, Type::IntList, in(0) + ".size()");
            else
                define(out, Type::Int, in(0) + ".size(" + std::to_string(n.dims[0]) + ")");
            return {};
        case OpKind::ToInt: {
            const std::string x = in(0);
            define(out, Type::Int, type(n.inputs[0]) == Type::Tensor ? "int(" + x + ")" : x);
            return {};
        }
        case OpKind::NumToTensor: define(out, Type::Tensor, "torch.scalar_tensor(" + in(0) + ")"); return {};
        case OpKind::ListConstruct: {
            std::vector<std::string> items;
            bool allTensors = !n.inputs.empty(), allInts = true;
            for (int v : n.inputs) {
                items.push_back(ref(v));
                allTensors = allTensors && type(v) == Type::Tensor;
                allInts = allInts && type(v) == Type::Int;
            }
            if (!allTensors && !allInts)
                return unsupported(n, "a list of mixed element types");
            define(out, allTensors ? Type::TensorList : Type::IntList,
                   items.empty() ? "torch.jit.annotate(List[int], [])" : list(items));
            return {};
        }
        case OpKind::ListUnpack: {
            const std::string l = in(0);
            const Type t = type(n.inputs[0]);
            if (t != Type::TensorList && t != Type::IntList)
                return unsupported(n, "unpacks something other than a tensor or int list");
            for (size_t i = 0; i < n.outputs.size(); ++i)
                define(n.outputs[i], t == Type::TensorList ? Type::Tensor : Type::Int, l + "[" + std::to_string(i) + "]");
            return {};
        }
        }
        return unsupported(n, "no TorchScript spelling");
    }

    const graph::Graph &m_g;
    const exporting::QuantizedState &m_state;
    const std::map<std::string, torch::Tensor> &m_probe;
    std::vector<Type> m_types;
    std::vector<std::string> m_names;
    std::ostringstream m_out;
    Script m_script;
};

}  // namespace

Result<Script> writeScript(const graph::Graph &graph, const exporting::QuantizedState &state, const torch::Tensor &probeInput)
{
    // Ranks of intermediate tensors (BatchNorm's broadcast shape) from one FP forward.
    std::vector<std::string> names;
    for (const auto &n : graph.nodes)
        if (n.op == OpKind::BatchNorm)
            names.push_back(n.name);
    std::map<std::string, torch::Tensor> probe;
    if (!names.empty()) {
        torch::NoGradGuard ng;
        probe = graph::Executor(std::make_shared<const graph::Graph>(graph)).intermediates(probeInput, names);
    }
    return Writer(graph, state, probe).run();
}

}  // namespace metaaug::plugins
