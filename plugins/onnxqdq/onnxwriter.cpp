// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnxwriter.h"

#include "graph/executor.h"

#include <cmath>
#include <numeric>

namespace metaaug::plugins {

namespace {

using graph::OpKind;

onnx::TensorProto tensorProto(const std::string &name, const torch::Tensor &t)
{
    onnx::TensorProto p;
    p.set_name(name);
    const torch::Tensor c = t.contiguous();
    for (int64_t d : c.sizes())
        p.add_dims(d);
    switch (c.scalar_type()) {
    case torch::kFloat: p.set_data_type(onnx::TensorProto::FLOAT); break;
    case torch::kByte: p.set_data_type(onnx::TensorProto::UINT8); break;
    case torch::kChar: p.set_data_type(onnx::TensorProto::INT8); break;
    case torch::kLong: p.set_data_type(onnx::TensorProto::INT64); break;
    default: throw std::invalid_argument("tensorProto: unsupported dtype");
    }
    p.set_raw_data(c.data_ptr(), size_t(c.numel() * c.element_size()));
    return p;
}

class Writer {
public:
    Writer(const graph::Graph &g, const exporting::QuantizedState &s, std::vector<c10::IValue> at2, std::vector<c10::IValue> at3)
        : m_g(g), m_state(s), m_at2(std::move(at2)), m_at3(std::move(at3)), m_names(g.numValues), m_lists(g.numValues)
    {
        m_graph = m_model.mutable_graph();
    }

    Result<onnx::ModelProto> run()
    {
        m_model.set_ir_version(7);
        m_model.set_producer_name("metaaug-workbench");
        m_model.set_producer_version(METAAUG_VERSION);
        m_model.add_opset_import()->set_version(kOnnxOpset);
        m_graph->set_name("metaaug_quantized");
        auto *in = m_graph->add_input();
        in->set_name("input");
        auto *shape = in->mutable_type()->mutable_tensor_type();
        shape->set_elem_type(onnx::TensorProto::FLOAT);
        const torch::Tensor x0 = m_at2[0].toTensor();
        for (int64_t i = 0; i < x0.dim(); ++i) {
            auto *d = shape->mutable_shape()->add_dim();
            if (i == 0)
                d->set_dim_param("N");
            else
                d->set_dim_value(x0.size(i));
        }
        m_names[0] = "input";
        quantizeIfNeeded(0);
        for (int i = 0; i < int(m_g.nodes.size()); ++i) {
            if (auto r = node(i); !r)
                return r.error();
            for (int o : m_g.nodes[i].outputs)
                if (isTensor(o))
                    quantizeIfNeeded(o);
        }
        if (!isTensor(m_g.output))
            return makeError(ErrorCode::Unsupported, QStringLiteral("ONNX export: the model's output is not a tensor"));
        add("Identity", {name(m_g.output)}, {"logits"});
        auto *out = m_graph->add_output();
        out->set_name("logits");
        auto *outType = out->mutable_type()->mutable_tensor_type();
        outType->set_elem_type(onnx::TensorProto::FLOAT);
        const torch::Tensor y = m_at2[m_g.output].toTensor();
        for (int64_t i = 0; i < y.dim(); ++i) {
            auto *d = outType->mutable_shape()->add_dim();
            if (i == 0)
                d->set_dim_param("N");
            else
                d->set_dim_value(y.size(i));
        }
        return std::move(m_model);
    }

private:
    bool isTensor(int v) const { return m_at2[v].isTensor(); }
    int64_t rank(int v) const { return m_at2[v].toTensor().dim(); }
    bool batchIndependent(int v) const { return sameValue(m_at2[v], m_at3[v]); }

    static bool sameValue(const c10::IValue &a, const c10::IValue &b)
    {
        if (a.isTensor() && b.isTensor())
            return a.toTensor().sizes() == b.toTensor().sizes() && torch::equal(a.toTensor(), b.toTensor());
        if (a.isInt() && b.isInt())
            return a.toInt() == b.toInt();
        if (a.isDouble() && b.isDouble())
            return a.toDouble() == b.toDouble();
        if (a.isIntList() && b.isIntList())
            return a.toIntVector() == b.toIntVector();
        return a.isNone() && b.isNone();
    }

    std::string fresh(const std::string &base) { return base + "_" + std::to_string(m_counter++); }

    onnx::NodeProto *add(const std::string &op, const std::vector<std::string> &inputs, const std::vector<std::string> &outputs)
    {
        auto *n = m_graph->add_node();
        n->set_op_type(op);
        n->set_name(fresh(op));
        for (const auto &i : inputs)
            n->add_input(i);
        for (const auto &o : outputs)
            n->add_output(o);
        return n;
    }
    static void attr(onnx::NodeProto *n, const std::string &key, int64_t v)
    {
        auto *a = n->add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(v);
    }
    static void attr(onnx::NodeProto *n, const std::string &key, float v)
    {
        auto *a = n->add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(v);
    }
    static void attr(onnx::NodeProto *n, const std::string &key, const std::vector<int64_t> &v)
    {
        auto *a = n->add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t x : v)
            a->add_ints(x);
    }
    std::string initializer(const std::string &base, const torch::Tensor &t)
    {
        const std::string n = fresh(base);
        *m_graph->add_initializer() = tensorProto(n, t);
        return n;
    }
    std::string scalar(float v) { return initializer("c", torch::tensor(v)); }

    // The ONNX name of a tensor value; constants become initializers.
    std::string name(int v)
    {
        if (!m_names[v].empty())
            return m_names[v];
        if (m_g.isConstant(v) && m_g.constants[v]->isTensor())
            return m_names[v] = initializer("const", m_g.constants[v]->toTensor().to(torch::kFloat));
        if (isTensor(v) && batchIndependent(v))  // folded shape arithmetic that yields a tensor
            return m_names[v] = initializer("folded", m_at2[v].toTensor().to(torch::kFloat));
        return {};
    }

    void quantizeIfNeeded(int v)
    {
        const exporting::ActivationEncoding *a = m_state.activationOfValue(v);
        if (!a)
            return;
        std::string x = m_names[v];
        if (a->bits < 8) {  // the container is 8 bit: clip to the real bit-width's range first
            const std::string c = fresh("clip");
            add("Clip", {x, scalar(float(a->qmin()) * a->step), scalar(float(a->qmax()) * a->step)}, {c});
            x = c;
        }
        const std::string step = scalar(a->step);
        const std::string zp = initializer("zp", a->isSigned ? torch::zeros({}, torch::kChar) : torch::zeros({}, torch::kByte));
        const std::string q = fresh("q"), dq = fresh("dq");
        add("QuantizeLinear", {x, step, zp}, {q});
        add("DequantizeLinear", {q, step, zp}, {dq});
        m_names[v] = dq;
    }

    Result<void> unsupported(const graph::Node &n, const std::string &why)
    {
        return makeError(ErrorCode::Unsupported, QStringLiteral("ONNX export: node %1 (%2): %3")
                                                     .arg(QString::fromStdString(n.name), QLatin1String(graph::opKindName(n.op)),
                                                          QString::fromStdString(why)));
    }

    std::string weight(int index, const graph::Node &n)
    {
        const exporting::LayerEncoding *l = m_state.layer(index);
        if (!l)
            return initializer("w", n.weight.to(torch::kFloat));
        const std::string out = fresh("w");
        auto *dq = add("DequantizeLinear", {initializer("wq", l->codes), initializer("ws", l->scale),
                                           initializer("wz", l->zeroPoint.to(torch::kByte))}, {out});
        attr(dq, "axis", int64_t(0));
        return out;
    }

    Result<void> binary(const graph::Node &n)
    {
        const int a = n.inputs[0], b = n.inputs[1], out = n.outputs[0];
        if (!isTensor(out))
            return {};  // scalar arithmetic: folded
        auto operand = [&](int v) -> std::string {
            if (isTensor(v))
                return name(v);
            if (!batchIndependent(v))
                return {};
            return scalar(float(m_at2[v].toScalar().toDouble()));
        };
        std::string x = operand(a), y = operand(b);
        if (x.empty() || y.empty())
            return unsupported(n, "an operand depends on the batch size");
        if ((n.op == OpKind::Add || n.op == OpKind::Sub) && n.alpha != 1.0) {
            const std::string scaled = fresh("alpha");
            add("Mul", {y, scalar(float(n.alpha))}, {scaled});
            y = scaled;
        }
        const std::string op = n.op == OpKind::Add ? "Add" : n.op == OpKind::Sub ? "Sub" : n.op == OpKind::Mul ? "Mul" : "Div";
        m_names[out] = fresh("v");
        if (n.op == OpKind::Div && n.floorDiv) {
            const std::string q = fresh("div");
            add("Div", {x, y}, {q});
            add("Floor", {q}, {m_names[out]});
        } else {
            add(op, {x, y}, {m_names[out]});
        }
        return {};
    }

    // Opset 14 has neither Gelu nor LayerNormalization: both in primitive ops.
    // Exact: 0.5 x (1 + erf(x / sqrt 2)); tanh: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    Result<void> gelu(const graph::Node &n)
    {
        const std::string x = name(n.inputs[0]), inner = fresh("gelu"), shaped = fresh("gelu"), one = fresh("gelu"),
                          half = fresh("gelu");
        if (n.tanhGelu) {
            const std::string x3 = fresh("gelu"), sum = fresh("gelu"), scaled = fresh("gelu");
            add("Mul", {x, x}, {x3 + "_sq"});
            add("Mul", {x3 + "_sq", x}, {x3});
            add("Mul", {x3, scalar(0.044715f)}, {inner + "_c"});
            add("Add", {x, inner + "_c"}, {sum});
            add("Mul", {sum, scalar(float(std::sqrt(2.0 / M_PI)))}, {scaled});
            add("Tanh", {scaled}, {shaped});
        } else {
            add("Div", {x, scalar(float(std::sqrt(2.0)))}, {inner});
            add("Erf", {inner}, {shaped});
        }
        add("Add", {shaped, scalar(1.0f)}, {one});
        add("Mul", {x, one}, {half});
        m_names[n.outputs[0]] = fresh("v");
        add("Mul", {half, scalar(0.5f)}, {m_names[n.outputs[0]]});
        return {};
    }

    // Over the last axis: (x - mean) / sqrt(mean((x - mean)^2) + eps) * weight + bias.
    Result<void> layerNorm(const graph::Node &n)
    {
        const std::string x = name(n.inputs[0]), mean = fresh("ln"), centred = fresh("ln"), square = fresh("ln"),
                          var = fresh("ln"), shifted = fresh("ln"), stdev = fresh("ln");
        attr(add("ReduceMean", {x}, {mean}), "axes", std::vector<int64_t>{-1});
        add("Sub", {x, mean}, {centred});
        add("Mul", {centred, centred}, {square});
        attr(add("ReduceMean", {square}, {var}), "axes", std::vector<int64_t>{-1});
        add("Add", {var, scalar(float(n.bnEps))}, {shifted});
        add("Sqrt", {shifted}, {stdev});
        std::string y = fresh("ln");
        add("Div", {centred, stdev}, {y});
        if (n.bnWeight.defined()) {
            const std::string scaled = fresh("ln");
            add("Mul", {y, initializer("lnw", n.bnWeight.to(torch::kFloat))}, {scaled});
            y = scaled;
        }
        if (n.bnBias.defined()) {
            const std::string biased = fresh("ln");
            add("Add", {y, initializer("lnb", n.bnBias.to(torch::kFloat))}, {biased});
            y = biased;
        }
        m_names[n.outputs[0]] = y;
        return {};
    }

    Result<void> node(int index)
    {
        const graph::Node &n = m_g.nodes[index];
        const int out = n.outputs.empty() ? -1 : n.outputs[0];
        auto simple = [&](const std::string &op) {
            m_names[out] = fresh("v");
            return add(op, {name(n.inputs[0])}, {m_names[out]});
        };
        switch (n.op) {
        case OpKind::Conv2d: {
            // The bias is added after the Conv, in float as the engine does:
            // as Conv's third input ONNX Runtime would requantize it to
            // int32 at input step x weight scale and round it.
            const std::string conv = n.bias.defined() ? fresh("conv") : (m_names[out] = fresh("conv"));
            auto *c = add("Conv", {name(n.inputs[0]), weight(index, n)}, {conv});
            attr(c, "kernel_shape", std::vector<int64_t>{n.weight.size(2), n.weight.size(3)});
            attr(c, "strides", n.stride);
            attr(c, "pads", std::vector<int64_t>{n.padding[0], n.padding[1], n.padding[0], n.padding[1]});
            attr(c, "dilations", n.dilation);
            attr(c, "group", n.groups);
            if (n.bias.defined()) {
                m_names[out] = fresh("v");
                add("Add", {conv, initializer("b", n.bias.to(torch::kFloat).view({-1, 1, 1}))}, {m_names[out]});
            }
            return {};
        }
        case OpKind::Linear: {
            const std::string w = weight(index, n);
            m_names[out] = fresh("linear");
            if (rank(n.inputs[0]) == 2) {
                std::vector<std::string> ins{name(n.inputs[0]), w};
                if (n.bias.defined())
                    ins.push_back(initializer("b", n.bias.to(torch::kFloat)));
                attr(add("Gemm", ins, {m_names[out]}), "transB", int64_t(1));
            } else {
                const std::string wt = fresh("wt"), mm = n.bias.defined() ? fresh("mm") : m_names[out];
                attr(add("Transpose", {w}, {wt}), "perm", std::vector<int64_t>{1, 0});
                add("MatMul", {name(n.inputs[0]), wt}, {mm});
                if (n.bias.defined())
                    add("Add", {mm, initializer("b", n.bias.to(torch::kFloat))}, {m_names[out]});
            }
            return {};
        }
        case OpKind::BatchNorm: {
            std::vector<int64_t> shape(rank(n.inputs[0]), 1);
            shape[1] = -1;
            const std::string scaled = fresh("bn");
            add("Mul", {name(n.inputs[0]), initializer("bns", n.bnScale.to(torch::kFloat).view(shape))}, {scaled});
            m_names[out] = fresh("v");
            add("Add", {scaled, initializer("bnb", n.bnShift.to(torch::kFloat).view(shape))}, {m_names[out]});
            return {};
        }
        case OpKind::Relu: simple("Relu"); return {};
        case OpKind::Sigmoid: simple("Sigmoid"); return {};
        case OpKind::Hardswish: simple("HardSwish"); return {};
        case OpKind::Hardsigmoid: {
            auto *h = simple("HardSigmoid");  // torch: relu6(x + 3) / 6
            attr(h, "alpha", 1.0f / 6.0f);
            attr(h, "beta", 0.5f);
            return {};
        }
        case OpKind::Gelu: return gelu(n);
        case OpKind::LayerNorm: return layerNorm(n);
        case OpKind::Softmax: attr(simple("Softmax"), "axis", n.dims[0]); return {};
        case OpKind::LogSoftmax: attr(simple("LogSoftmax"), "axis", n.dims[0]); return {};
        case OpKind::Silu: {
            const std::string s = fresh("sig");
            add("Sigmoid", {name(n.inputs[0])}, {s});
            m_names[out] = fresh("v");
            add("Mul", {name(n.inputs[0]), s}, {m_names[out]});
            return {};
        }
        case OpKind::Clamp:
            m_names[out] = fresh("v");
            add("Clip", {name(n.inputs[0]), n.minValue ? scalar(float(*n.minValue)) : std::string(),
                         n.maxValue ? scalar(float(*n.maxValue)) : std::string()}, {m_names[out]});
            return {};
        case OpKind::Add:
        case OpKind::Sub:
        case OpKind::Mul:
        case OpKind::Div: return binary(n);
        case OpKind::MaxPool2d: {
            auto *p = simple("MaxPool");
            attr(p, "kernel_shape", n.kernel);
            attr(p, "strides", n.stride.empty() ? n.kernel : n.stride);
            attr(p, "pads", std::vector<int64_t>{n.padding[0], n.padding[1], n.padding[0], n.padding[1]});
            attr(p, "dilations", n.dilation);
            attr(p, "ceil_mode", int64_t(n.ceilMode));
            return {};
        }
        case OpKind::AvgPool2d: {
            if (n.divisorOverride)
                return unsupported(n, "divisor_override has no ONNX AveragePool equivalent");
            auto *p = simple("AveragePool");
            attr(p, "kernel_shape", n.kernel);
            attr(p, "strides", n.stride.empty() ? n.kernel : n.stride);
            attr(p, "pads", std::vector<int64_t>{n.padding[0], n.padding[1], n.padding[0], n.padding[1]});
            attr(p, "ceil_mode", int64_t(n.ceilMode));
            attr(p, "count_include_pad", int64_t(n.countIncludePad));
            return {};
        }
        case OpKind::AdaptiveAvgPool2d:
            if (m_at2[out].toTensor().size(-1) != 1 || m_at2[out].toTensor().size(-2) != 1)
                return unsupported(n, "only global adaptive average pooling is written");
            simple("GlobalAveragePool");
            return {};
        case OpKind::Mean: {
            auto *r = simple("ReduceMean");
            attr(r, "axes", n.dims);
            attr(r, "keepdims", int64_t(n.keepDim));
            return {};
        }
        case OpKind::Flatten: {
            const int64_t r = rank(n.inputs[0]);
            const int64_t end = n.dims[1] < 0 ? n.dims[1] + r : n.dims[1];
            if (n.dims[0] == 1 && end == r - 1) {
                attr(simple("Flatten"), "axis", int64_t(1));
                return {};
            }
            return reshapeTo(n, m_at2[out].toTensor().sizes().vec(), m_at3[out].toTensor().sizes().vec());
        }
        case OpKind::Reshape:
            return reshapeTo(n, m_at2[out].toTensor().sizes().vec(), m_at3[out].toTensor().sizes().vec());
        case OpKind::Cat: {
            const std::vector<std::string> &items = m_lists[n.inputs[0]];
            if (items.empty())
                return unsupported(n, "concatenates a list the exporter cannot follow");
            m_names[out] = fresh("cat");
            attr(add("Concat", items, {m_names[out]}), "axis", n.dims[0]);
            return {};
        }
        case OpKind::Transpose: {
            std::vector<int64_t> perm(rank(n.inputs[0]));
            std::iota(perm.begin(), perm.end(), 0);
            auto norm = [&](int64_t d) { return d < 0 ? d + int64_t(perm.size()) : d; };
            std::swap(perm[norm(n.dims[0])], perm[norm(n.dims[1])]);
            attr(simple("Transpose"), "perm", perm);
            return {};
        }
        case OpKind::Permute: attr(simple("Transpose"), "perm", n.dims); return {};
        case OpKind::Slice: {
            auto ints = [&](const char *base, int64_t v) { return initializer(base, torch::tensor({v}, torch::kLong)); };
            m_names[out] = fresh("v");
            add("Slice", {name(n.inputs[0]), ints("start", n.sliceStart), ints("end", n.sliceEnd), ints("axis", n.dims[0]),
                          ints("step", n.sliceStep)}, {m_names[out]});
            return {};
        }
        case OpKind::Pad: {
            // torch: (begin, end) pairs from the last axis; ONNX: all begins, then all ends, from the first.
            const int64_t r = rank(n.inputs[0]);
            std::vector<int64_t> pads(size_t(2 * r), 0);
            for (size_t k = 0; k + 1 < n.padding.size(); k += 2) {
                const int64_t axis = r - 1 - int64_t(k / 2);
                pads[size_t(axis)] = n.padding[k];
                pads[size_t(axis + r)] = n.padding[k + 1];
            }
            m_names[out] = fresh("v");
            add("Pad", {name(n.inputs[0]), initializer("pads", torch::tensor(pads, torch::kLong))}, {m_names[out]});
            return {};
        }
        case OpKind::Contiguous:
        case OpKind::Identity:
            if (isTensor(out))
                m_names[out] = name(n.inputs[0]);
            m_lists[out] = m_lists[n.inputs[0]];
            return {};
        case OpKind::Chunk: {
            const auto parts = m_at2[out].toTensorVector();
            std::vector<int64_t> sizes;
            std::vector<std::string> outs;
            for (const auto &t : parts) {
                sizes.push_back(t.size(n.dims[0]));
                outs.push_back(fresh("chunk"));
            }
            auto *s = add("Split", {name(n.inputs[0]), initializer("split", torch::tensor(sizes, torch::kLong))}, outs);
            attr(s, "axis", n.dims[0]);
            m_lists[out] = outs;
            return {};
        }
        case OpKind::ListConstruct:
            if (isTensorList(out)) {
                for (int v : n.inputs)
                    m_lists[out].push_back(name(v));
            }
            return {};  // int lists: folded
        case OpKind::ListUnpack:
            for (size_t i = 0; i < n.outputs.size(); ++i)
                if (isTensor(n.outputs[i]) && i < m_lists[n.inputs[0]].size())
                    m_names[n.outputs[i]] = m_lists[n.inputs[0]][i];
            return {};
        case OpKind::Size:
        case OpKind::ToInt:
            return {};  // folded
        case OpKind::NumToTensor:
            if (!batchIndependent(out))
                return unsupported(n, "a tensor computed from the batch size");
            return {};  // name() folds it into an initializer when used
        }
        return unsupported(n, "no ONNX spelling");
    }

    bool isTensorList(int v) const { return m_at2[v].isTensorList(); }

    Result<void> reshapeTo(const graph::Node &n, const std::vector<int64_t> &at2, const std::vector<int64_t> &at3)
    {
        std::vector<int64_t> shape = at2;
        for (size_t i = 0; i < shape.size(); ++i) {
            if (at2[i] == at3[i])
                continue;
            if (i == 0 && at2[i] == 2 && at3[i] == 3)
                shape[i] = 0;  // ONNX Reshape: 0 copies the input's dimension (the batch)
            else
                return unsupported(n, "a target shape that depends on the batch size other than in its first dimension");
        }
        m_names[n.outputs[0]] = fresh("v");
        add("Reshape", {name(n.inputs[0]), initializer("shape", torch::tensor(shape, torch::kLong))}, {m_names[n.outputs[0]]});
        return {};
    }

    const graph::Graph &m_g;
    const exporting::QuantizedState &m_state;
    std::vector<c10::IValue> m_at2, m_at3;  // every value at batch 2 and batch 3
    std::vector<std::string> m_names;
    std::vector<std::vector<std::string>> m_lists;  // tensor lists: their elements' names
    onnx::ModelProto m_model;
    onnx::GraphProto *m_graph;
    int m_counter = 0;
};

}  // namespace

Result<onnx::ModelProto> writeOnnx(const graph::Graph &graph, const exporting::QuantizedState &state, const torch::Tensor &probeInput)
{
    torch::NoGradGuard ng;
    const graph::Executor ex(std::make_shared<const graph::Graph>(graph));
    auto at2 = ex.allValues(probeInput.expand({2, -1, -1, -1}).contiguous());
    auto at3 = ex.allValues(probeInput.expand({3, -1, -1, -1}).contiguous());
    return Writer(graph, state, std::move(at2), std::move(at3)).run();
}

}  // namespace metaaug::plugins
