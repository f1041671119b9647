// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchscriptimporter.h"

#include "batchnormfolding.h"
#include "scriptarchive.h"

#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/script.h>

#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace metaaug::graph {

namespace {

using JitNode = torch::jit::Node;
using JitValue = torch::jit::Value;

// Thrown inside the translator, turned into an Error at the entry point.
struct ImportError : std::runtime_error {
    ErrorCode code;
    ImportError(ErrorCode c, const std::string &m) : std::runtime_error(m), code(c) {}
};


// The line of the model's serialized TorchScript code. Not the Python line
// it was generated from: SourceRange::findSourceRangeThatGenerated unpickles
// the file's debug_pkl lazily, and LibTorch 1.13 dereferences null on a
// damaged one (a segfault, not an exception; found by fuzz_torchscript).
std::string location(const JitNode *n)
{
    try {
        const auto &range = n->sourceRange();
        if (auto flc = range.file_line_col())
            return std::get<0>(*flc) + ":" + std::to_string(std::get<1>(*flc));
    } catch (...) {
    }
    return {};
}

std::vector<ModuleFrame> moduleStack(const JitNode *n)
{
    std::vector<ModuleFrame> frames;
    auto cs = n->callstack();
    if (!cs)
        return frames;
    for (const auto &entry : (*cs)->vec()) {
        const auto &info = std::get<2>(entry);
        if (!info)
            continue;
        const std::string inst = info->instance_name();
        if (inst.empty() || inst == "SELF")
            continue;
        std::string cls;
        if (auto t = info->class_type(); t && t->name())
            cls = t->name()->qualifiedName();
        frames.push_back({inst, cls});
    }
    return frames;
}

std::string joinPath(const std::vector<ModuleFrame> &frames)
{
    std::string p;
    for (const auto &f : frames)
        p += (p.empty() ? "" : ".") + f.instance;
    return p;
}

class Translator {
public:
    Translator(Graph &g, const std::string &what) : m_g(g), m_what(what) {}

    void run(const std::shared_ptr<torch::jit::Graph> &jg)
    {
        // inputs()[0] is the module itself.
        const auto inputs = jg->inputs();
        if (inputs.size() != 2)
            throw ImportError(ErrorCode::Unsupported,
                              m_what + ": forward takes " + std::to_string(int(inputs.size()) - 1) +
                                  " inputs; only models taking one image batch are supported");
        m_ids[inputs[1]] = 0;
        m_g.valueNames = {"input"};
        m_g.constants = {std::nullopt};
        if (jg->outputs().size() != 1 || !jg->outputs()[0]->type()->cast<c10::TensorType>())
            throw ImportError(ErrorCode::Unsupported,
                              m_what + ": forward must return one tensor of logits (it returns " +
                                  jg->outputs()[0]->type()->str() + ")");

        const auto live = liveNodes(jg);
        refuseUnsupportedKinds(jg, live);
        for (JitNode *n : jg->nodes()) {
            if (!live.count(n) || n->kind() == c10::prim::Constant)
                continue;
            translate(n);
        }
        m_g.output = id(jg->outputs()[0], nullptr);
    }

private:
    // Nodes the output depends on; asserts (prim::If raising) and dead shape
    // checks fall away.
    static std::unordered_set<const JitNode *> liveNodes(const std::shared_ptr<torch::jit::Graph> &jg)
    {
        std::unordered_set<const JitNode *> live;
        std::vector<const JitValue *> stack(jg->outputs().begin(), jg->outputs().end());
        while (!stack.empty()) {
            const JitValue *v = stack.back();
            stack.pop_back();
            const JitNode *n = v->node();
            if (n->kind() == c10::prim::Param || !live.insert(n).second)
                continue;
            for (const JitValue *in : n->inputs())
                stack.push_back(in);
        }
        return live;
    }

    // All op kinds outside the supported set, named together (an LSTM shows
    // aten::lstm beside the slicing around it), each with its first place.
    void refuseUnsupportedKinds(const std::shared_ptr<torch::jit::Graph> &jg,
                                const std::unordered_set<const JitNode *> &live) const
    {
        std::vector<const JitNode *> first;
        std::set<std::string> seen;
        for (const JitNode *n : jg->nodes())
            if (live.count(n) && n->kind() != c10::prim::Constant && !handlers().count(n->kind().toQualString()) &&
                seen.insert(n->kind().toQualString()).second)
                first.push_back(n);
        if (first.size() < 2)
            return;  // one: translate() names it with its place
        std::string list;
        for (const JitNode *n : first) {
            const std::string path = joinPath(moduleStack(n));
            list += std::string(list.empty() ? "" : ", ") + n->kind().toQualString() +
                    (path.empty() ? "" : " (module " + path + ")");
        }
        throw ImportError(ErrorCode::Unsupported, m_what + ": " + std::to_string(first.size()) +
                                                      " ops are not supported: " + list +
                                                      ". Supported ops: " + supportedTorchScriptOps().toStdString());
    }

    [[noreturn]] void unsupported(const JitNode *n, const std::string &why) const
    {
        const std::string path = joinPath(moduleStack(n));
        const std::string loc = location(n);
        std::string where;
        if (!path.empty())
            where = "module " + path;
        if (!loc.empty())
            where += (where.empty() ? "" : ", ") + loc;
        const std::string supported = supportedTorchScriptOps().toStdString();
        throw ImportError(ErrorCode::Unsupported,
                          m_what + ": op " + n->kind().toQualString() + (where.empty() ? "" : " (" + where + ")") +
                              ": " + why + ". Supported ops: " + supported);
    }

    int id(const JitValue *v, const JitNode *user)
    {
        auto it = m_ids.find(v);
        if (it != m_ids.end())
            return it->second;
        auto iv = torch::jit::toIValue(v);
        if (!iv) {
            if (user)
                unsupported(user, "an input is produced by an op that was not translated");
            throw ImportError(ErrorCode::Internal, m_what + ": value " + v->debugName() + " is undefined");
        }
        if (iv->isObject() || iv->isModule())
            unsupported(user ? user : v->node(), "a module object is used as a value");
        const int vid = m_g.addValue(v->debugName());
        m_g.constants[vid] = *iv;
        m_ids[v] = vid;
        return vid;
    }

    c10::IValue constArg(const JitNode *n, size_t i, const char *what)
    {
        auto iv = torch::jit::toIValue(n->input(i));
        if (!iv)
            unsupported(n, std::string("its ") + what + " argument is computed at run time; only constants are supported");
        return *iv;
    }
    std::vector<int64_t> intList(const JitNode *n, size_t i, const char *what)
    {
        auto iv = constArg(n, i, what);
        if (iv.isInt())
            return {iv.toInt()};
        if (!iv.isIntList())
            unsupported(n, std::string("its ") + what + " argument is not an int list");
        return iv.toIntVector();
    }
    torch::Tensor constTensor(const JitNode *n, size_t i, const char *what, bool optional)
    {
        auto iv = constArg(n, i, what);
        if (iv.isNone() && optional)
            return {};
        if (!iv.isTensor())
            unsupported(n, std::string("its ") + what + " is not a constant tensor");
        return iv.toTensor().detach().to(torch::kFloat32).contiguous();
    }
    std::optional<double> optScalar(const JitNode *n, size_t i)
    {
        auto iv = constArg(n, i, "scalar");
        if (iv.isNone())
            return std::nullopt;
        return iv.toScalar().toDouble();
    }

    Node &addNode(const JitNode *n, OpKind op, std::vector<int> inputs)
    {
        Node node;
        node.op = op;
        node.sourceKind = n->kind().toQualString();
        node.sourceLocation = location(n);
        node.moduleStack = moduleStack(n);
        node.modulePath = joinPath(node.moduleStack);
        node.inputs = std::move(inputs);
        for (const JitValue *o : n->outputs()) {
            const int vid = m_g.addValue(o->debugName());
            m_ids[o] = vid;
            node.outputs.push_back(vid);
        }
        m_g.nodes.push_back(std::move(node));
        return m_g.nodes.back();
    }

    void conv(const JitNode *n, bool traced)
    {
        Node &c = addNode(n, OpKind::Conv2d, {id(n->input(0), n)});
        c.weight = constTensor(n, 1, "weight", false);
        c.bias = constTensor(n, 2, "bias", true);
        if (c.weight.dim() != 4)
            unsupported(n, "only 2-D convolutions are supported (weight has " + std::to_string(c.weight.dim()) + " dims)");
        c.stride = intList(n, 3, "stride");
        if (!traced && constArg(n, 4, "padding").isString())
            unsupported(n, "string padding ('same'/'valid') is not supported");
        c.padding = intList(n, 4, "padding");
        c.dilation = intList(n, 5, "dilation");
        if (traced) {
            if (constArg(n, 6, "transposed").toBool())
                unsupported(n, "transposed convolutions are not supported");
            c.groups = constArg(n, 8, "groups").toInt();
        } else {
            c.groups = constArg(n, 6, "groups").toInt();
        }
    }

public:
    // The op table: each TorchScript op kind and the handler that adds its
    // node(s). The supported-ops list in messages is its keys.
    using Handler = void (Translator::*)(const JitNode *);
    static const std::map<std::string, Handler> &handlers()
    {
        static const std::map<std::string, Handler> table = [] {
            std::map<std::string, Handler> t;
            const std::pair<std::vector<const char *>, Handler> rows[] = {
            {{"aten::_convolution"}, &Translator::atenConvolution},
            {{"aten::conv2d"}, &Translator::atenConv2d},
            {{"aten::linear"}, &Translator::atenLinear},
            {{"aten::addmm"}, &Translator::atenAddmm},
            {{"aten::matmul"}, &Translator::atenMatmul},
            {{"aten::batch_norm"}, &Translator::atenBatchNorm},
            {{"aten::relu", "aten::relu_"}, &Translator::atenRelu},
            {{"aten::relu6", "aten::relu6_"}, &Translator::atenRelu6},
            {{"aten::hardtanh", "aten::hardtanh_", "aten::clamp", "aten::clamp_"}, &Translator::atenHardtanh},
            {{"aten::hardswish", "aten::hardswish_"}, &Translator::atenHardswish},
            {{"aten::hardsigmoid", "aten::hardsigmoid_"}, &Translator::atenHardsigmoid},
            {{"aten::silu", "aten::silu_"}, &Translator::atenSilu},
            {{"aten::sigmoid", "aten::sigmoid_"}, &Translator::atenSigmoid},
            {{"aten::gelu", "aten::gelu_"}, &Translator::atenGelu},
            {{"aten::layer_norm"}, &Translator::atenLayerNorm},
            {{"aten::softmax", "aten::log_softmax"}, &Translator::atenSoftmax},
            {{"aten::permute"}, &Translator::atenPermute},
            {{"aten::add", "aten::add_", "aten::sub", "aten::sub_"}, &Translator::atenAdd},
            {{"aten::mul", "aten::mul_"}, &Translator::atenMul},
            {{"aten::div", "aten::div_"}, &Translator::atenDiv},
            {{"aten::floor_divide", "aten::floordiv"}, &Translator::atenFloorDivide},
            {{"aten::max_pool2d"}, &Translator::atenMaxPool2d},
            {{"aten::avg_pool2d"}, &Translator::atenAvgPool2d},
            {{"aten::adaptive_avg_pool2d"}, &Translator::atenAdaptiveAvgPool2d},
            {{"aten::mean"}, &Translator::atenMean},
            {{"aten::flatten"}, &Translator::atenFlatten},
            {{"aten::view", "aten::reshape"}, &Translator::atenView},
            {{"aten::cat"}, &Translator::atenCat},
            {{"aten::transpose"}, &Translator::atenTranspose},
            {{"aten::contiguous"}, &Translator::atenContiguous},
            {{"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_", "aten::alpha_dropout"}, &Translator::atenDropout},
            {{"aten::chunk"}, &Translator::atenChunk},
            {{"aten::split", "aten::split_with_sizes"}, &Translator::atenSplit},
            {{"aten::size"}, &Translator::atenSize},
            {{"aten::Int", "aten::IntImplicit", "aten::ScalarImplicit"}, &Translator::atenInt},
            {{"prim::NumToTensor"}, &Translator::primNumToTensor},
            {{"prim::ListConstruct"}, &Translator::primListConstruct},
            {{"prim::ListUnpack", "prim::TupleUnpack"}, &Translator::primListUnpack},
            };
            for (const auto &[kinds, handler] : rows)
                for (const char *k : kinds)
                    t[k] = handler;
            return t;
        }();
        return table;
    }

private:
    void translate(const JitNode *n)
    {
        const auto it = handlers().find(n->kind().toQualString());
        if (it == handlers().end())
            unsupported(n, "this op is not supported");
        (this->*it->second)(n);
    }

    void atenConvolution(const JitNode *n)
    {
        return conv(n, true);
    }

    void atenConv2d(const JitNode *n)
    {
        return conv(n, false);
    }

    void atenLinear(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &l = addNode(n, OpKind::Linear, {in(0)});
        l.weight = constTensor(n, 1, "weight", false);
        l.bias = constTensor(n, 2, "bias", true);
    }

    void atenAddmm(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        // bias + x @ W^T (freezing folds the transpose)
        const double beta = constArg(n, 3, "beta").toScalar().toDouble();
        const double alpha = constArg(n, 4, "alpha").toScalar().toDouble();
        if (beta != 1.0 || alpha != 1.0)
            unsupported(n, "addmm with beta or alpha other than 1");
        torch::Tensor bias = constTensor(n, 0, "bias", false);
        torch::Tensor wt = constTensor(n, 2, "weight", false);
        Node &l = addNode(n, OpKind::Linear, {in(1)});
        l.weight = wt.t().contiguous();
        l.bias = bias;
    }

    void atenMatmul(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        torch::Tensor w = constTensor(n, 1, "weight", false);
        if (w.dim() != 2)
            unsupported(n, "matmul with a non-2-D constant");
        Node &l = addNode(n, OpKind::Linear, {in(0)});
        l.weight = w.t().contiguous();
    }

    void atenBatchNorm(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        if (constArg(n, 5, "training").toBool())
            unsupported(n, "batch norm in training mode");
        Node &b = addNode(n, OpKind::BatchNorm, {in(0)});
        b.bnWeight = constTensor(n, 1, "weight", true);
        b.bnBias = constTensor(n, 2, "bias", true);
        b.bnMean = constTensor(n, 3, "running_mean", false);
        b.bnVar = constTensor(n, 4, "running_var", false);
        b.bnEps = constArg(n, 7, "eps").toDouble();
        computeBatchNormAffine(b);
    }

    void atenRelu(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::Relu);
    }

    void atenRelu6(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &c = addNode(n, OpKind::Clamp, {in(0)});
        c.minValue = 0.0;
        c.maxValue = 6.0;
    }

    void atenHardtanh(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        if (n->inputs().size() >= 2 && n->input(1)->type()->cast<c10::TensorType>())
            unsupported(n, "clamp with tensor bounds");
        Node &c = addNode(n, OpKind::Clamp, {in(0)});
        c.minValue = optScalar(n, 1);
        c.maxValue = optScalar(n, 2);
    }

    void atenHardswish(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::Hardswish);
    }

    void atenHardsigmoid(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::Hardsigmoid);
    }

    void atenSilu(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::Silu);
    }

    void atenSigmoid(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::Sigmoid);
    }

    void atenGelu(const JitNode *n)
    {
        Node &g = addNode(n, OpKind::Gelu, {id(n->input(0), n)});
        if (n->inputs().size() >= 2) {
            const std::string approximate = constArg(n, 1, "approximate").toStringRef();
            if (approximate != "none" && approximate != "tanh")
                unsupported(n, "gelu with approximate=" + approximate);
            g.tanhGelu = approximate == "tanh";
        }
    }

    // Over the last dimension only: ConvNeXt's channels-last LayerNorm.
    void atenLayerNorm(const JitNode *n)
    {
        if (intList(n, 1, "normalized_shape").size() != 1)
            unsupported(n, "layer norm over more than the last dimension");
        Node &l = addNode(n, OpKind::LayerNorm, {id(n->input(0), n)});
        l.bnWeight = constTensor(n, 2, "weight", true);
        l.bnBias = constTensor(n, 3, "bias", true);
        l.bnEps = constArg(n, 4, "eps").toDouble();
    }

    void atenSoftmax(const JitNode *n)
    {
        const bool log = std::string(n->kind().toQualString()) == "aten::log_softmax";
        if (n->inputs().size() >= 3 && !constArg(n, 2, "dtype").isNone())
            unsupported(n, "softmax with a dtype");
        addNode(n, log ? OpKind::LogSoftmax : OpKind::Softmax, {id(n->input(0), n)}).dims = {constArg(n, 1, "dim").toInt()};
    }

    void atenPermute(const JitNode *n)
    {
        addNode(n, OpKind::Permute, {id(n->input(0), n)}).dims = intList(n, 1, "dims");
    }

    void atenAdd(const JitNode *n)
    {
        const std::string k = n->kind().toQualString();
        auto in = [&](size_t i) { return id(n->input(i), n); };
        const bool add = k.rfind("aten::add", 0) == 0;
        Node &a = addNode(n, add ? OpKind::Add : OpKind::Sub, {in(0), in(1)});
        if (n->inputs().size() >= 3)
            a.alpha = constArg(n, 2, "alpha").toScalar().toDouble();
    }

    void atenMul(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        addNode(n, OpKind::Mul, {in(0), in(1)}); return;
    }

    void atenDiv(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &d = addNode(n, OpKind::Div, {in(0), in(1)});
        if (n->inputs().size() >= 3) {
            auto mode = constArg(n, 2, "rounding_mode");
            if (mode.isString() && mode.toStringRef() == "floor")
                d.floorDiv = true;
            else if (!mode.isNone())
                unsupported(n, "division with rounding mode " + mode.toStringRef());
        }
    }

    void atenFloorDivide(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        addNode(n, OpKind::Div, {in(0), in(1)}).floorDiv = true;
    }

    void atenMaxPool2d(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &p = addNode(n, OpKind::MaxPool2d, {in(0)});
        p.kernel = intList(n, 1, "kernel_size");
        p.stride = intList(n, 2, "stride");
        p.padding = intList(n, 3, "padding");
        p.dilation = intList(n, 4, "dilation");
        p.ceilMode = constArg(n, 5, "ceil_mode").toBool();
    }

    void atenAvgPool2d(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &p = addNode(n, OpKind::AvgPool2d, {in(0)});
        p.kernel = intList(n, 1, "kernel_size");
        p.stride = intList(n, 2, "stride");
        p.padding = intList(n, 3, "padding");
        p.ceilMode = constArg(n, 4, "ceil_mode").toBool();
        p.countIncludePad = constArg(n, 5, "count_include_pad").toBool();
        auto div = constArg(n, 6, "divisor_override");
        if (!div.isNone())
            p.divisorOverride = div.toInt();
    }

    void atenAdaptiveAvgPool2d(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        addNode(n, OpKind::AdaptiveAvgPool2d, {in(0)}).outputSize = intList(n, 1, "output_size");
    }

    void atenMean(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        if (n->inputs().size() < 3)
            unsupported(n, "mean over all dimensions");
        Node &m = addNode(n, OpKind::Mean, {in(0)});
        m.dims = intList(n, 1, "dim");
        m.keepDim = constArg(n, 2, "keepdim").toBool();
    }

    void atenFlatten(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &f = addNode(n, OpKind::Flatten, {in(0)});
        f.dims = {constArg(n, 1, "start_dim").toInt(), constArg(n, 2, "end_dim").toInt()};
    }

    void atenView(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        addNode(n, OpKind::Reshape, {in(0), in(1)}); return;
    }

    void atenCat(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        addNode(n, OpKind::Cat, {in(0)}).dims = {constArg(n, 1, "dim").toInt()}; return;
    }

    void atenTranspose(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        addNode(n, OpKind::Transpose, {in(0)}).dims = {constArg(n, 1, "dim0").toInt(), constArg(n, 2, "dim1").toInt()};
    }

    void atenContiguous(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::Contiguous);
    }

    void atenDropout(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        if (constArg(n, 2, "train").toBool())
            unsupported(n, "dropout in training mode");
        return unary(OpKind::Identity);
    }

    void atenChunk(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &c = addNode(n, OpKind::Chunk, {in(0)});
        c.chunks = constArg(n, 1, "chunks").toInt();
        c.dims = {constArg(n, 2, "dim").toInt()};
    }

    void atenSplit(const JitNode *n)
    {
        Node &c = addNode(n, OpKind::Chunk, {id(n->input(0), n)});
        c.splitSizes = intList(n, 1, "split_size");
        c.dims = {constArg(n, 2, "dim").toInt()};
    }

    void atenSize(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        Node &s = addNode(n, OpKind::Size, {in(0)});
        if (n->inputs().size() >= 2)
            s.dims = {constArg(n, 1, "dim").toInt()};
    }

    void atenInt(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::ToInt);
    }

    void primNumToTensor(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::NumToTensor);
    }

    void primListConstruct(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        std::vector<int> ins;
        for (size_t i = 0; i < n->inputs().size(); ++i)
            ins.push_back(in(i));
        addNode(n, OpKind::ListConstruct, ins);
    }

    void primListUnpack(const JitNode *n)
    {
        auto in = [&](size_t i) { return id(n->input(i), n); };
        auto unary = [&](OpKind op) { addNode(n, op, {in(0)}); };
        return unary(OpKind::ListUnpack);
    }

    Graph &m_g;
    std::string m_what;
    std::unordered_map<const JitValue *, int> m_ids;
};

// Stable unique names: the module path for modules that are layers
// (conv, linear, bn: the module is the op), else "<module path>.<op>",
// "<op>_<n>" at top level; repeats get "#2", "#3".
void assignNames(Graph &g)
{
    std::map<std::string, int> seen;
    for (Node &n : g.nodes) {
        std::string base;
        const std::string op = opKindName(n.op);
        const bool moduleIsOp = !n.moduleStack.empty() &&
            (n.op == OpKind::Conv2d || n.op == OpKind::Linear || n.op == OpKind::BatchNorm ||
             n.moduleStack.back().className.find("torch.nn.modules.activation") != std::string::npos ||
             n.moduleStack.back().className.find("torch.nn.modules.pooling") != std::string::npos ||
             n.moduleStack.back().className.find("torch.nn.modules.dropout") != std::string::npos);
        if (moduleIsOp)
            base = n.modulePath;
        else if (!n.modulePath.empty())
            base = n.modulePath + "." + op;
        else
            base = op;
        const int count = ++seen[base];
        if (n.modulePath.empty() && !moduleIsOp)
            n.name = base + "_" + std::to_string(count);
        else
            n.name = count == 1 ? base : base + "#" + std::to_string(count);
    }
}

}  // namespace

QString supportedTorchScriptOps()
{
    QStringList l;
    for (const auto &[k, handler] : Translator::handlers())
        l << QString::fromStdString(k);
    return l.join(QStringLiteral(", "));
}

Result<Graph> importTorchScriptModule(const torch::jit::Module &module, const QString &what,
                                      const ImportOptions &options)
{
    try {
        torch::jit::Module m = module.clone();
        m.eval();
        torch::jit::Module frozen = torch::jit::freeze_module(m);
        auto jg = frozen.get_method("forward").graph()->copy();
        torch::jit::Inline(*jg);
        Graph g;
        Translator(g, what.toStdString()).run(jg);
        if (options.foldBatchNorm)
            foldBatchNorms(g);
        assignNames(g);
        checkWellFormed(g);
        return g;
    } catch (const ImportError &e) {
        return makeError(e.code, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("%1: cannot translate the TorchScript graph: %2")
                                                 .arg(what, exceptionSummary(e)));
    }
}

Result<Graph> importTorchScriptFile(const QString &path, const ImportOptions &options)
{
    auto module = loadScriptArchive(path);
    if (!module)
        return module.error();
    return importTorchScriptModule(*module, path, options);
}

}  // namespace metaaug::graph
