// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnxreader.h"

#include "onnxattributes.h"
#include "onnxfolding.h"
#include "onnxfusion.h"
#include "graph/batchnormfolding.h"
#include "graph/executor.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <QtCore/QFile>
#include <numeric>
#include <regex>
#include <set>

namespace metaaug::plugins {

namespace {

using graph::Node;
using graph::OpKind;

const char kSequential[] = "__torch__.torch.nn.modules.container.Sequential";

struct ReadError : std::runtime_error {
    ErrorCode code;
    ReadError(ErrorCode c, const std::string &m) : std::runtime_error(m), code(c) {}
};

torch::Tensor fromProto(const onnx::TensorProto &t)
{
    std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
    auto make = [&](torch::ScalarType type, const void *data, size_t count) {
        return torch::from_blob(const_cast<void *>(data), {int64_t(count)}, type).clone().view(dims);
    };
    const std::string &raw = t.raw_data();
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
        if (!raw.empty())
            return make(torch::kFloat, raw.data(), raw.size() / 4);
        return make(torch::kFloat, t.float_data().data(), size_t(t.float_data_size()));
    case onnx::TensorProto::DOUBLE:
        if (!raw.empty())
            return make(torch::kDouble, raw.data(), raw.size() / 8).to(torch::kFloat);
        return make(torch::kDouble, t.double_data().data(), size_t(t.double_data_size())).to(torch::kFloat);
    case onnx::TensorProto::INT64:
        if (!raw.empty())
            return make(torch::kLong, raw.data(), raw.size() / 8);
        return make(torch::kLong, t.int64_data().data(), size_t(t.int64_data_size()));
    case onnx::TensorProto::INT32:
        if (!raw.empty())
            return make(torch::kInt, raw.data(), raw.size() / 4).to(torch::kLong);
        return make(torch::kInt, t.int32_data().data(), size_t(t.int32_data_size())).to(torch::kLong);
    default:
        throw ReadError(ErrorCode::Unsupported, "tensor " + t.name() + " has ONNX data type " + std::to_string(t.data_type()) +
                                                    " (float, double, int64 and int32 are read)");
    }
}

// Static shapes by value name (-1 for a dimension that is not fixed), from
// ONNX's own shape inference; what Shape nodes fold into.
using Shapes = std::map<std::string, std::vector<int64_t>>;

class Reader {
public:
    Reader(const onnx::GraphProto &g, Shapes shapes, std::string what)
        : m_onnx(g), m_shapes(std::move(shapes)), m_what(std::move(what)) {}

    graph::Graph run()
    {
        for (const auto &init : m_onnx.initializer())
            m_consts[init.name()] = fromProto(init);
        // Constants as Constant nodes and Identity aliases, known before the
        // fusion pass looks for eps, weights and biases.
        for (const auto &n : m_onnx.node()) {
            if (n.op_type() == "Constant" && n.output_size() == 1)
                readConstant(n);
            else if (n.op_type() == "Identity" && n.input_size() == 1 && n.output_size() == 1 && m_consts.count(n.input(0)))
                m_consts[n.output(0)] = m_consts.at(n.input(0));
        }
        findContainers();
        for (const auto &in : m_onnx.input()) {
            if (m_consts.count(in.name()))
                continue;
            if (m_ids.count("#input"))
                throw ReadError(ErrorCode::Unsupported, m_what + ": the model has more than one input (" + in.name() + ")");
            m_ids[in.name()] = 0;
            m_ids["#input"] = 0;
            m_g.valueNames = {in.name()};
            m_g.constants.resize(1);
            const auto &dims = in.type().tensor_type().shape().dim();
            m_staticBatch = dims.size() > 0 && dims[0].has_dim_value() && dims[0].dim_value() == 1;
            if (dims.size() == 4 && dims[1].has_dim_value() && dims[2].has_dim_value() && dims[3].has_dim_value())
                m_g.declaredInput = {dims[1].dim_value(), dims[2].dim_value(), dims[3].dim_value()};
            // The probe image of shapeOf(): batch 1, the fixed image shape (a
            // bounded size: a damaged file must not make it allocate gigabytes).
            int64_t numel = 1;
            for (int d = 1; d < dims.size() && dims[d].has_dim_value() && dims[d].dim_value() > 0; ++d)
                m_inputShape.push_back(dims[d].dim_value()), numel *= dims[d].dim_value();
            if (dims.size() != 4 || m_inputShape.size() != 3 || numel > (int64_t(1) << 26))
                m_inputShape.clear();
            else
                m_inputShape.insert(m_inputShape.begin(), 1);
        }
        if (!m_ids.count("#input"))
            throw ReadError(ErrorCode::Unsupported, m_what + ": the model has no image input");
        std::vector<std::string> outputs;
        for (const auto &o : m_onnx.output())
            outputs.push_back(o.name());
        const std::vector<onnx::NodeProto> nodes(m_onnx.node().begin(), m_onnx.node().end());
        for (const auto &n : fuseDecomposedOps(nodes, m_consts, outputs))
            translate(n);
        if (m_onnx.output_size() != 1)
            throw ReadError(ErrorCode::Unsupported, m_what + ": the model has " + std::to_string(m_onnx.output_size()) +
                                                        " outputs (one, the logits, is supported)");
        m_g.output = value(m_onnx.output(0).name(), nullptr);
        return std::move(m_g);
    }

private:
    // Module path components of a torch.onnx.export node name: "/layer1/0/conv1/Conv" -> layer1, 0, conv1.
    static std::vector<std::string> modulePath(const std::string &nodeName)
    {
        std::vector<std::string> parts;
        size_t start = 0;
        while (start <= nodeName.size()) {
            const size_t end = nodeName.find('/', start);
            const std::string p = nodeName.substr(start, end == std::string::npos ? std::string::npos : end - start);
            if (!p.empty())
                parts.push_back(p);
            if (end == std::string::npos)
                break;
            start = end + 1;
        }
        if (!parts.empty() && nodeName.find('/') != std::string::npos)
            parts.pop_back();  // the op's own name
        else
            parts.clear();
        // torch.onnx.export (1.13+) names each module's scope by its dotted
        // path from the nearest ancestor that is not a plain container
        // ("/layer1/layer1.0/conv1/Conv", "/features/features.1/block/block.0/...").
        // Keep each level's own instance name ("layer1", "0", "conv1"), as a
        // TorchScript import has it: strip the longest run of enclosing
        // levels the name starts with.
        std::vector<std::string> levels;
        for (std::string p : parts) {
            for (size_t k = levels.size(); k > 0; --k) {
                std::string prefix;
                for (size_t i = levels.size() - k; i < levels.size(); ++i)
                    prefix += levels[i] + ".";
                if (p.size() > prefix.size() && p.compare(0, prefix.size(), prefix) == 0) {
                    p = p.substr(prefix.size());
                    break;
                }
            }
            // A remainder may still hold several levels ("0.0"): keep them apart.
            size_t start = 0;
            for (size_t dot; (dot = p.find('.', start)) != std::string::npos; start = dot + 1)
                levels.push_back(p.substr(start, dot - start));
            levels.push_back(p.substr(start));
        }
        return levels;
    }

    // Plain containers: a module with a numbered child ("layer1" has "0"),
    // and a module with no op of its own whose children (two or more) hold
    // layers (regnet's trunk_output and stages, which the file cannot tell
    // from a Sequential).
    void findContainers()
    {
        static const std::regex digits("[0-9]+");
        std::set<std::string> withOwnOps;
        std::map<std::string, std::set<std::string>> layerChildren;
        for (const auto &n : m_onnx.node()) {
            const auto parts = modulePath(n.name());
            const bool layer = n.op_type() == "Conv" || n.op_type() == "Gemm" || n.op_type() == "MatMul";
            std::string prefix;
            for (size_t i = 0; i < parts.size(); ++i) {
                prefix += (i ? "." : "") + parts[i];
                if (i + 1 < parts.size() && std::regex_match(parts[i + 1], digits))
                    m_containers.insert(prefix);
                if (i + 1 < parts.size() && layer)
                    layerChildren[prefix].insert(parts[i + 1]);
            }
            if (n.op_type() != "Constant")
                withOwnOps.insert(prefix);
        }
        for (const auto &[module, children] : layerChildren)
            if (children.size() >= 2 && !withOwnOps.count(module))
                m_containers.insert(module);
    }

    static std::string supportedOps()
    {
        std::string list;
        for (const auto &[type, handler] : handlers())
            list += (list.empty() ? "" : ", ") + type;
        return list;
    }

    [[noreturn]] void unsupported(const onnx::NodeProto &n, const std::string &why) const
    {
        throw ReadError(ErrorCode::Unsupported, m_what + ": node " + n.name() + " (" + n.op_type() + ") " + why +
                                                    "; supported ONNX ops: " + supportedOps());
    }

    int value(const std::string &name, const onnx::NodeProto *user)
    {
        if (auto it = m_ids.find(name); it != m_ids.end())
            return it->second;
        if (auto c = m_consts.find(name); c != m_consts.end()) {
            const int v = m_g.addValue(name);
            m_g.constants[v] = c10::IValue(c->second);
            m_ids[name] = v;
            return v;
        }
        if (user)
            unsupported(*user, "reads " + name + ", which no supported node produces");
        throw ReadError(ErrorCode::BadFile, m_what + ": value " + name + " is undefined");
    }

    const torch::Tensor &constant(const onnx::NodeProto &n, int input, const char *what)
    {
        if (input >= n.input_size() || !m_consts.count(n.input(input)))
            unsupported(n, std::string("needs a constant ") + what);
        return m_consts.at(n.input(input));
    }

    // pads [b0, b1, e0, e1] -> symmetric [p0, p1]
    std::vector<int64_t> symmetricPads(const onnx::NodeProto &n)
    {
        const auto pads = intsAttr(n, "pads", {0, 0, 0, 0});
        if (attr(n, "auto_pad") && attr(n, "auto_pad")->s() != "NOTSET")
            unsupported(n, "uses auto_pad");
        if (pads.size() != 4 || pads[0] != pads[2] || pads[1] != pads[3])
            unsupported(n, "has asymmetric padding");
        return {pads[0], pads[1]};
    }

    Node &add(const onnx::NodeProto &n, OpKind op, std::vector<int> inputs, bool isLayer = false)
    {
        Node node;
        node.op = op;
        const auto parts = modulePath(n.name());
        std::string path;
        for (size_t i = 0; i < parts.size(); ++i) {
            path += (i ? "." : "") + parts[i];
            node.moduleStack.push_back({parts[i], m_containers.count(path) ? kSequential : "__torch__.Module"});
        }
        node.modulePath = path;
        std::string name = isLayer && !path.empty() ? path : (path.empty() ? n.op_type() : path + "." + n.op_type());
        if (m_names.count(name))
            name += "#" + std::to_string(m_names[name]++ + 1);
        else
            m_names[name] = 1;
        node.name = name;
        node.sourceKind = "onnx::" + n.op_type();
        node.inputs = std::move(inputs);
        for (const auto &o : n.output()) {
            const int v = m_g.addValue(o);
            m_ids[o] = v;
            node.outputs.push_back(v);
        }
        m_g.nodes.push_back(std::move(node));
        return m_g.nodes.back();
    }

    int in(const onnx::NodeProto &n, int i)
    {
        if (i >= n.input_size())
            unsupported(n, "has " + std::to_string(n.input_size()) + " inputs, input " + std::to_string(i) + " is missing");
        return value(n.input(i), &n);
    }

public:
    // The op table: each ONNX op type and the handler that adds its node(s);
    // the supported list in messages is its keys.
    using Handler = void (Reader::*)(const onnx::NodeProto &);
    static const std::map<std::string, Handler> &handlers()
    {
        static const std::map<std::string, Handler> table = [] {
            std::map<std::string, Handler> t;
            const std::pair<std::vector<const char *>, Handler> rows[] = {
            {{"Constant"}, &Reader::readConstant},
            {{"Conv"}, &Reader::readConv},
            {{"Gemm"}, &Reader::readGemm},
            {{"MatMul"}, &Reader::readMatMul},
            {{"BatchNormalization"}, &Reader::readBatchNormalization},
            {{"Relu", "Sigmoid", "HardSwish"}, &Reader::readRelu},
            {{"Gelu"}, &Reader::readGelu},
            {{"LayerNormalization"}, &Reader::readLayerNormalization},
            {{"Softmax", "LogSoftmax"}, &Reader::readSoftmax},
            {{"Slice"}, &Reader::readSlice},
            {{"Split"}, &Reader::readSplit},
            {{"Pad"}, &Reader::readPad},
            {{"HardSigmoid"}, &Reader::readHardSigmoid},
            {{"Clip"}, &Reader::readClip},
            {{"Add", "Sub", "Mul", "Div"}, &Reader::readAdd},
            {{"MaxPool", "AveragePool"}, &Reader::readMaxPool},
            {{"GlobalAveragePool"}, &Reader::readGlobalAveragePool},
            {{"ReduceMean"}, &Reader::readReduceMean},
            {{"Flatten"}, &Reader::readFlatten},
            {{"Reshape"}, &Reader::readReshape},
            {{"Concat"}, &Reader::readConcat},
            {{"Transpose"}, &Reader::readTranspose},
            {{"Identity", "Dropout"}, &Reader::readIdentity},
            };
            for (const auto &[types, handler] : rows)
                for (const char *type : types)
                    t[type] = handler;
            return t;
        }();
        return table;
    }

private:
    void translate(const onnx::NodeProto &n)
    {
        // The checker does not run on every path here: arity is ours to check (found by fuzzing).
        if (n.output_size() < 1)
            unsupported(n, "has no output");
        if (fold(n))
            return;
        const auto it = handlers().find(n.op_type());
        if (it == handlers().end())
            unsupported(n, isFoldableOp(n.op_type()) ? "computes at run time what only constants may compute "
                                                              "(shape arithmetic on a dynamic batch: export with a fixed input shape)"
                                                            : "is not supported");
        (this->*it->second)(n);
    }

    // The static shape of a value (-1 where not fixed): ONNX's inference, or
    // else the graph read so far run on a zero image of the input's shape
    // (batch 1), which also sees through the shape arithmetic that inference
    // cannot (Shape -> Gather -> Div -> Slice).
    std::vector<int64_t> shapeOf(const std::string &name)
    {
        if (auto it = m_shapes.find(name); it != m_shapes.end() && !std::count(it->second.begin(), it->second.end(), -1))
            return it->second;
        const auto id = m_ids.find(name);
        if (id == m_ids.end() || m_inputShape.empty())
            return m_shapes.count(name) ? m_shapes.at(name) : std::vector<int64_t>{};
        graph::Graph sofar = m_g;
        sofar.output = id->second;
        const graph::Executor probe(std::make_shared<const graph::Graph>(std::move(sofar)));
        torch::NoGradGuard noGrad;
        const torch::Tensor y = probe.runRange(0, int(m_g.nodes.size()), 0, torch::zeros(m_inputShape), id->second);
        return m_shapes[name] = y.sizes().vec();
    }

    bool fold(const onnx::NodeProto &n)
    {
        // Shape from the static shapes; the rest when every input is a
        // constant (onnxfolding). In a file exported for batch 1 the batch
        // folds to 1, which readReshape reads back as the batch.
        if (!isFoldableOp(n.op_type()) || n.input_size() < 1)
            return false;
        if (n.op_type() == "Shape") {
            const auto shape = shapeOf(n.input(0));
            if (shape.empty() || std::count(shape.begin(), shape.end(), -1))
                return false;
            const int64_t rank = int64_t(shape.size());
            auto bound = [rank](int64_t i) { return std::clamp(i < 0 ? i + rank : i, int64_t(0), rank); };
            const int64_t start = bound(intAttr(n, "start", 0)), end = bound(intAttr(n, "end", rank));
            m_consts[n.output(0)] = torch::tensor(std::vector<int64_t>(shape.begin() + start, shape.begin() + std::max(start, end)),
                                                  torch::kLong);
            return true;
        }
        std::vector<torch::Tensor> in;
        for (const auto &name : n.input()) {
            if (name.empty()) {
                in.emplace_back();
                continue;
            }
            const auto c = m_consts.find(name);
            if (c == m_consts.end())
                return false;
            in.push_back(c->second);
        }
        auto y = foldOnConstants(n, in);
        if (!y)
            return false;
        m_consts[n.output(0)] = *y;
        return true;
    }

    void readConstant(const onnx::NodeProto &n)
    {
        if (m_consts.count(n.output(0)))
            return;  // read by run()'s first pass already
        const auto *a = attr(n, "value");
        if (!a || !a->has_t())
            unsupported(n, "is not a tensor constant");
        m_consts[n.output(0)] = fromProto(a->t());
    }

    void readConv(const onnx::NodeProto &n)
    {
        const torch::Tensor &w = constant(n, 1, "weight");
        if (w.dim() != 4)
            unsupported(n, "is not a 2-D convolution");
        Node &c = add(n, OpKind::Conv2d, {in(n, 0)}, true);
        c.weight = w;
        if (n.input_size() > 2 && !n.input(2).empty())
            c.bias = constant(n, 2, "bias");
        c.stride = intsAttr(n, "strides", {1, 1});
        c.padding = symmetricPads(n);
        c.dilation = intsAttr(n, "dilations", {1, 1});
        c.groups = intAttr(n, "group", 1);
    }

    void readGemm(const onnx::NodeProto &n)
    {
        if (intAttr(n, "transA", 0) != 0 || floatAttr(n, "alpha", 1) != 1.f || floatAttr(n, "beta", 1) != 1.f)
            unsupported(n, "has transA, alpha or beta other than 0, 1, 1");
        const torch::Tensor &b = constant(n, 1, "weight");
        Node &l = add(n, OpKind::Linear, {in(n, 0)}, true);
        l.weight = intAttr(n, "transB", 0) ? b : b.t().contiguous();
        if (n.input_size() > 2 && !n.input(2).empty())
            l.bias = constant(n, 2, "bias").flatten();
    }

    void readMatMul(const onnx::NodeProto &n)
    {
        const torch::Tensor &b = constant(n, 1, "weight");
        if (b.dim() != 2)
            unsupported(n, "multiplies by something other than a constant matrix");
        Node &l = add(n, OpKind::Linear, {in(n, 0)}, true);
        l.weight = b.t().contiguous();
        if (n.input_size() > 2)  // the bias of an Add that onnxfusion folded in
            l.bias = constant(n, 2, "bias");
    }

    void readBatchNormalization(const onnx::NodeProto &n)
    {
        Node &bn = add(n, OpKind::BatchNorm, {in(n, 0)});
        bn.bnWeight = constant(n, 1, "scale");
        bn.bnBias = constant(n, 2, "bias");
        bn.bnMean = constant(n, 3, "mean");
        bn.bnVar = constant(n, 4, "variance");
        bn.bnEps = floatAttr(n, "epsilon", 1e-5f);
        graph::computeBatchNormAffine(bn);
    }

    void readRelu(const onnx::NodeProto &n)
    {
        const std::string &op = n.op_type();
        add(n, op == "Relu" ? OpKind::Relu : op == "Sigmoid" ? OpKind::Sigmoid : OpKind::Hardswish, {in(n, 0)});
    }

    void readGelu(const onnx::NodeProto &n)
    {
        const auto *approximate = attr(n, "approximate");
        const std::string mode = approximate ? approximate->s() : "none";
        if (mode != "none" && mode != "tanh")
            unsupported(n, "has approximate=" + mode);
        add(n, OpKind::Gelu, {in(n, 0)}).tanhGelu = mode == "tanh";
    }

    void readLayerNormalization(const onnx::NodeProto &n)
    {
        if (intAttr(n, "axis", -1) != -1 && intAttr(n, "axis", -1) != int64_t(shapeOf(n.input(0)).size()) - 1)
            unsupported(n, "normalizes over more than the last axis");
        Node &l = add(n, OpKind::LayerNorm, {in(n, 0)});
        if (n.input_size() > 1 && !n.input(1).empty())
            l.bnWeight = constant(n, 1, "scale");
        if (n.input_size() > 2 && !n.input(2).empty())
            l.bnBias = constant(n, 2, "bias");
        l.bnEps = floatAttr(n, "epsilon", 1e-5f);
    }

    void readSoftmax(const onnx::NodeProto &n)
    {
        add(n, n.op_type() == "Softmax" ? OpKind::Softmax : OpKind::LogSoftmax, {in(n, 0)}).dims = {intAttr(n, "axis", -1)};
    }

    // One axis of a tensor (the slices torch.chunk and torch.split export to).
    void readSlice(const onnx::NodeProto &n)
    {
        const bool inputs = n.input_size() > 1;  // opset 10 on: starts, ends, axes, steps as inputs
        auto list = [&](int i, const char *name) {
            if (inputs)
                return i < n.input_size() && !n.input(i).empty() ? tensorInts(constant(n, i, name)) : std::vector<int64_t>{};
            return intsAttr(n, name, {});
        };
        const auto starts = list(1, "starts"), ends = list(2, "ends"), axes = list(3, "axes"), steps = list(4, "steps");
        if (starts.size() != 1 || ends.size() != 1)
            unsupported(n, "slices more than one axis");
        Node &s = add(n, OpKind::Slice, {in(n, 0)});
        s.dims = {axes.empty() ? 0 : axes[0]};
        s.sliceStart = starts[0];
        s.sliceEnd = ends[0];
        s.sliceStep = steps.empty() ? 1 : steps[0];
        if (s.sliceStep < 1)
            unsupported(n, "slices backwards");
    }

    // Into slices: sizes from the split input (opset 13) or attribute, else
    // equal parts of the inferred axis size (num_outputs from opset 18).
    void readSplit(const onnx::NodeProto &n)
    {
        int64_t axis = intAttr(n, "axis", 0);
        std::vector<int64_t> sizes = n.input_size() > 1 && !n.input(1).empty() ? tensorInts(constant(n, 1, "split"))
                                                                                : intsAttr(n, "split", {});
        if (sizes.empty()) {
            const auto shape = shapeOf(n.input(0));
            const int64_t rank = int64_t(shape.size());
            const int64_t a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank || shape[size_t(a)] < 0)
                unsupported(n, "splits an axis whose size is not known before the run");
            const int64_t parts = n.output_size(), total = shape[size_t(a)];
            const int64_t each = (total + parts - 1) / parts;
            for (int64_t k = 0; k < parts; ++k)
                sizes.push_back(std::max<int64_t>(0, std::min(each, total - k * each)));
        }
        if (int64_t(sizes.size()) != n.output_size())
            unsupported(n, "has " + std::to_string(sizes.size()) + " sizes for " + std::to_string(n.output_size()) + " outputs");
        const int x = in(n, 0);
        int64_t start = 0;
        for (int k = 0; k < n.output_size(); ++k) {
            onnx::NodeProto part = n;
            part.clear_output();
            part.add_output(n.output(k));
            Node &s = add(part, OpKind::Slice, {x});
            s.dims = {axis};
            s.sliceStart = start;
            s.sliceEnd = start += sizes[size_t(k)];
        }
    }

    // Zero padding (constant mode): pads as an input from opset 11, axes from 18.
    void readPad(const onnx::NodeProto &n)
    {
        const auto *mode = attr(n, "mode");
        if (mode && mode->s() != "constant")
            unsupported(n, "pads in mode " + mode->s() + " (constant zeros are supported)");
        if (n.input_size() > 2 && !n.input(2).empty() && constant(n, 2, "value").item<double>() != 0)
            unsupported(n, "pads with a value other than zero");
        const std::vector<int64_t> pads = n.input_size() > 1 ? tensorInts(constant(n, 1, "pads")) : intsAttr(n, "pads", {});
        const size_t count = pads.size() / 2;
        std::vector<int64_t> axes(count);
        std::iota(axes.begin(), axes.end(), int64_t(0));
        if (n.input_size() > 3 && !n.input(3).empty())
            axes = tensorInts(constant(n, 3, "axes"));
        if (pads.size() % 2 || axes.size() != count)
            unsupported(n, "has " + std::to_string(pads.size()) + " pads for " + std::to_string(axes.size()) + " axes");
        const auto shape = shapeOf(n.input(0));
        const int64_t rank = !shape.empty() ? int64_t(shape.size()) : int64_t(count);
        // torch order: last axis first, (begin, end) pairs, up to the first padded axis.
        std::vector<int64_t> torchPads;
        int64_t first = rank;
        for (size_t k = 0; k < count; ++k)
            if (pads[k] || pads[k + count])
                first = std::min(first, axes[k] < 0 ? axes[k] + rank : axes[k]);
        for (int64_t a = rank - 1; a >= first; --a) {
            int64_t begin = 0, end = 0;
            for (size_t k = 0; k < count; ++k)
                if ((axes[k] < 0 ? axes[k] + rank : axes[k]) == a) {
                    begin = pads[k];
                    end = pads[k + count];
                }
            torchPads.push_back(begin);
            torchPads.push_back(end);
        }
        if (torchPads.empty()) {
            add(n, OpKind::Identity, {in(n, 0)});
            return;
        }
        if (std::any_of(torchPads.begin(), torchPads.end(), [](int64_t p) { return p < 0; }))
            unsupported(n, "crops (negative pads)");
        add(n, OpKind::Pad, {in(n, 0)}).padding = torchPads;
    }

    void readHardSigmoid(const onnx::NodeProto &n)
    {
        if (std::abs(floatAttr(n, "alpha", 0.2f) - 1.f / 6.f) > 1e-6f || floatAttr(n, "beta", 0.5f) != 0.5f)
            unsupported(n, "has alpha/beta other than torch's 1/6, 0.5");
        add(n, OpKind::Hardsigmoid, {in(n, 0)});
    }

    void readClip(const onnx::NodeProto &n)
    {
        Node &c = add(n, OpKind::Clamp, {in(n, 0)});
        if (n.input_size() > 1 && !n.input(1).empty())
            c.minValue = constant(n, 1, "minimum").item<double>();
        else if (attr(n, "min"))
            c.minValue = floatAttr(n, "min", 0);
        if (n.input_size() > 2 && !n.input(2).empty())
            c.maxValue = constant(n, 2, "maximum").item<double>();
        else if (attr(n, "max"))
            c.maxValue = floatAttr(n, "max", 0);
    }

    void readAdd(const onnx::NodeProto &n)
    {
        const std::string &op = n.op_type();
        const OpKind k = op == "Add" ? OpKind::Add : op == "Sub" ? OpKind::Sub : op == "Mul" ? OpKind::Mul : OpKind::Div;
        add(n, k, {in(n, 0), in(n, 1)});
    }

    void readMaxPool(const onnx::NodeProto &n)
    {
        const std::string &op = n.op_type();
        const bool max = op == "MaxPool";
        Node &p = add(n, max ? OpKind::MaxPool2d : OpKind::AvgPool2d, {in(n, 0)});
        p.kernel = intsAttr(n, "kernel_shape", {});
        p.stride = intsAttr(n, "strides", {1, 1});
        p.padding = symmetricPads(n);
        p.dilation = intsAttr(n, "dilations", {1, 1});
        p.ceilMode = intAttr(n, "ceil_mode", 0) != 0;
        p.countIncludePad = intAttr(n, "count_include_pad", 0) != 0;
        if (p.kernel.size() != 2)
            unsupported(n, "is not 2-D pooling");
    }

    void readGlobalAveragePool(const onnx::NodeProto &n)
    {
        add(n, OpKind::AdaptiveAvgPool2d, {in(n, 0)}).outputSize = {1, 1};
    }

    void readReduceMean(const onnx::NodeProto &n)
    {
        Node &m = add(n, OpKind::Mean, {in(n, 0)});
        m.dims = n.input_size() > 1 ? tensorInts(constant(n, 1, "axes")) : intsAttr(n, "axes", {});  // an input from opset 18
        m.keepDim = intAttr(n, "keepdims", 1) != 0;
        if (m.dims.empty())
            unsupported(n, "reduces over all axes");
    }

    void readFlatten(const onnx::NodeProto &n)
    {
        if (intAttr(n, "axis", 1) != 1)
            unsupported(n, "flattens from an axis other than 1");
        add(n, OpKind::Flatten, {in(n, 0)}).dims = {1, -1};
    }

    void readReshape(const onnx::NodeProto &n)
    {
        const torch::Tensor shape = constant(n, 1, "shape");
        std::vector<int64_t> dims(shape.data_ptr<int64_t>(), shape.data_ptr<int64_t>() + shape.numel());
        const int x = in(n, 0);
        int target;
        // A file exported for a fixed batch of 1 spells the batch as 1 where
        // the reshaped value has it first: read it as the batch (ONNX's 0).
        if (m_staticBatch && !dims.empty() && dims[0] == 1) {
            const auto xShape = shapeOf(n.input(0));
            if (!xShape.empty() && xShape[0] == 1)
                dims[0] = 0;
        }
        if (!dims.empty() && dims[0] == 0) {
            // ONNX 0 = "this input dimension": the batch, as x.size(0).
            onnx::NodeProto helper = n;
            helper.clear_output();
            helper.add_output(n.output(0) + "#batch");
            add(helper, OpKind::Size, {x}).dims = {0};
            std::vector<int> items{m_ids.at(n.output(0) + "#batch")};
            for (size_t i = 1; i < dims.size(); ++i) {
                if (dims[i] == 0)
                    unsupported(n, "copies an input dimension other than the batch");
                const int v = m_g.addValue(n.output(0) + "#" + std::to_string(i));
                m_g.constants[v] = c10::IValue(dims[i]);
                items.push_back(v);
            }
            helper.clear_output();
            helper.add_output(n.output(0) + "#shape");
            add(helper, OpKind::ListConstruct, items);
            target = m_ids.at(n.output(0) + "#shape");
        } else {
            target = m_g.addValue(n.output(0) + "#shape");
            m_g.constants[target] = c10::IValue(dims);
        }
        add(n, OpKind::Reshape, {x, target});
    }

    void readConcat(const onnx::NodeProto &n)
    {
        std::vector<int> items;
        for (int i = 0; i < n.input_size(); ++i)
            items.push_back(in(n, i));
        onnx::NodeProto helper = n;
        helper.clear_output();
        helper.add_output(n.output(0) + "#list");
        add(helper, OpKind::ListConstruct, items);
        add(n, OpKind::Cat, {m_ids.at(n.output(0) + "#list")}).dims = {intAttr(n, "axis", 0)};
    }

    void readTranspose(const onnx::NodeProto &n)
    {
        const auto perm = intsAttr(n, "perm", {});
        std::vector<int64_t> swapped;
        for (size_t i = 0; i < perm.size(); ++i)
            if (perm[i] != int64_t(i))
                swapped.push_back(int64_t(i));
        if (swapped.size() == 2 && perm[swapped[0]] == swapped[1])
            add(n, OpKind::Transpose, {in(n, 0)}).dims = swapped;
        else
            add(n, OpKind::Permute, {in(n, 0)}).dims = perm;
    }

    void readIdentity(const onnx::NodeProto &n)
    {
        // torch.onnx.export shares equal initializers (the zero biases of a
        // randomly initialised network) through Identity nodes: an alias of a
        // constant stays a constant, so the layers reading it get their bias.
        if (n.input_size() > 0 && m_consts.count(n.input(0))) {
            m_consts[n.output(0)] = m_consts.at(n.input(0));
            return;
        }
        add(n, OpKind::Identity, {in(n, 0)});
    }

    const onnx::GraphProto &m_onnx;
    Shapes m_shapes;
    bool m_staticBatch = false;  // the input's batch dimension is a fixed 1
    std::vector<int64_t> m_inputShape;  // 1 x C x H x W, or empty when not fixed
    std::string m_what;
    graph::Graph m_g;
    std::map<std::string, int> m_ids;
    std::map<std::string, torch::Tensor> m_consts;
    std::set<std::string> m_containers;
    std::map<std::string, int> m_names;
};

// ONNX's shape inference on a copy of the model; errors leave shapes out
// (a Shape node without a static shape is then refused by name).
Shapes inferShapes(const onnx::ModelProto &model)
{
    onnx::ModelProto copy = model;
    try {
        onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions(false, 0, true));
    } catch (const std::exception &) {
        return {};
    }
    Shapes shapes;
    auto collect = [&](const onnx::ValueInfoProto &v) {
        if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
            return;
        std::vector<int64_t> dims;
        for (const auto &d : v.type().tensor_type().shape().dim())
            dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
        shapes[v.name()] = dims;
    };
    for (const auto &v : copy.graph().input())
        collect(v);
    for (const auto &v : copy.graph().value_info())
        collect(v);
    for (const auto &v : copy.graph().output())
        collect(v);
    return shapes;
}

}  // namespace

Result<graph::Graph> readOnnx(const QString &path, const graph::ImportOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("ONNX model %1 cannot be opened: %2").arg(path, file.errorString()));
    return readOnnxBytes(file.readAll(), path, options);
}

Result<graph::Graph> readOnnxBytes(const QByteArray &bytes, const QString &path, const graph::ImportOptions &options)
{
    const std::string what = "ONNX model " + path.toStdString();
    onnx::ModelProto model;
    if (!model.ParseFromArray(bytes.constData(), int(bytes.size())) || !model.has_graph())
        return makeError(ErrorCode::BadFile, QStringLiteral("%1 is not an ONNX model (the protobuf does not parse)").arg(path));
    try {
        graph::Graph g = Reader(model.graph(), inferShapes(model), what).run();
        if (options.foldBatchNorm)
            graph::foldBatchNorms(g);
        graph::checkWellFormed(g);
        return g;
    } catch (const ReadError &e) {
        return makeError(e.code, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("%1: %2").arg(QString::fromStdString(what), QString::fromUtf8(e.what())));
    }
}

}  // namespace metaaug::plugins
