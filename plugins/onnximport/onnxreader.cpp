#include "onnxreader.h"

#include "graph/batchnormfolding.h"

#include <onnx/onnx_pb.h>

#include <fstream>
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

class Reader {
public:
    Reader(const onnx::GraphProto &g, std::string what) : m_onnx(g), m_what(std::move(what)) {}

    graph::Graph run()
    {
        for (const auto &init : m_onnx.initializer())
            m_consts[init.name()] = fromProto(init);
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
        }
        if (!m_ids.count("#input"))
            throw ReadError(ErrorCode::Unsupported, m_what + ": the model has no image input");
        for (const auto &n : m_onnx.node())
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

    // A module with a numbered child ("layer1" has "0") is a plain container.
    void findContainers()
    {
        static const std::regex digits("[0-9]+");
        for (const auto &n : m_onnx.node()) {
            const auto parts = modulePath(n.name());
            std::string prefix;
            for (size_t i = 0; i + 1 < parts.size(); ++i) {
                prefix += (i ? "." : "") + parts[i];
                if (std::regex_match(parts[i + 1], digits))
                    m_containers.insert(prefix);
            }
        }
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

    static const onnx::AttributeProto *attr(const onnx::NodeProto &n, const char *name)
    {
        for (const auto &a : n.attribute())
            if (a.name() == name)
                return &a;
        return nullptr;
    }
    static int64_t intAttr(const onnx::NodeProto &n, const char *name, int64_t fallback)
    {
        const auto *a = attr(n, name);
        return a ? a->i() : fallback;
    }
    static float floatAttr(const onnx::NodeProto &n, const char *name, float fallback)
    {
        const auto *a = attr(n, name);
        return a ? a->f() : fallback;
    }
    static std::vector<int64_t> intsAttr(const onnx::NodeProto &n, const char *name, std::vector<int64_t> fallback)
    {
        const auto *a = attr(n, name);
        return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
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
        const auto it = handlers().find(n.op_type());
        if (it == handlers().end())
            unsupported(n, "is not supported");
        (this->*it->second)(n);
    }

    void readConstant(const onnx::NodeProto &n)
    {
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
        add(n, OpKind::Linear, {in(n, 0)}, true).weight = b.t().contiguous();
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
        m.dims = intsAttr(n, "axes", {});
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
        if (swapped.size() != 2 || perm[swapped[0]] != swapped[1])
            unsupported(n, "permutes more than two axes");
        add(n, OpKind::Transpose, {in(n, 0)}).dims = swapped;
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
    std::string m_what;
    graph::Graph m_g;
    std::map<std::string, int> m_ids;
    std::map<std::string, torch::Tensor> m_consts;
    std::set<std::string> m_containers;
    std::map<std::string, int> m_names;
};

}  // namespace

Result<graph::Graph> readOnnx(const QString &path, const graph::ImportOptions &options)
{
    const std::string what = "ONNX model " + path.toStdString();
    onnx::ModelProto model;
    {
        std::ifstream in(path.toStdString(), std::ios::binary);
        if (!in)
            return makeError(ErrorCode::NotFound, QStringLiteral("ONNX model %1 cannot be opened").arg(path));
        if (!model.ParseFromIstream(&in) || !model.has_graph())
            return makeError(ErrorCode::BadFile, QStringLiteral("%1 is not an ONNX model (the protobuf does not parse)").arg(path));
    }
    try {
        graph::Graph g = Reader(model.graph(), what).run();
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
