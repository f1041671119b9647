// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnxfusion.h"

#include "onnxattributes.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <optional>
#include <set>

namespace metaaug::plugins {

namespace {

using onnx::NodeProto;

class Fuser {
public:
    Fuser(const std::vector<NodeProto> &nodes, const std::map<std::string, torch::Tensor> &constants,
          const std::vector<std::string> &outputs)
        : m_nodes(nodes), m_consts(constants), m_outputs(outputs.begin(), outputs.end()), m_drop(nodes.size(), false)
    {
        for (size_t i = 0; i < nodes.size(); ++i)
            for (const auto &in : nodes[i].input())
                m_users[in].push_back(int(i));
    }

    std::vector<NodeProto> run()
    {
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (m_drop[i])
                continue;
            const std::string &op = m_nodes[i].op_type();
            if (op == "ReduceMean")
                layerNorm(int(i));
            else if (op == "Div")
                gelu(int(i));
            else if (op == "MatMul")
                biasedMatMul(int(i));
        }
        std::vector<NodeProto> out;
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (auto it = m_fused.find(int(i)); it != m_fused.end())
                out.push_back(it->second);
            else if (!m_drop[i])
                out.push_back(m_nodes[i]);
        }
        return out;
    }

private:
    // The one node reading `value`, when it is read once and is not a graph output.
    const NodeProto *onlyUser(const std::string &value, const char *op, int *index = nullptr) const
    {
        const auto it = m_users.find(value);
        if (it == m_users.end() || it->second.size() != 1 || m_outputs.count(value) || m_drop[size_t(it->second[0])])
            return nullptr;
        const NodeProto &n = m_nodes[size_t(it->second[0])];
        if (n.op_type() != op)
            return nullptr;
        if (index)
            *index = it->second[0];
        return &n;
    }

    std::optional<double> scalar(const std::string &name) const
    {
        const auto it = m_consts.find(name);
        if (it == m_consts.end() || it->second.numel() != 1)
            return std::nullopt;
        return it->second.item<double>();
    }

    // The input of a two-input node other than `value`, or "" when neither is `value`.
    static std::string other(const NodeProto &n, const std::string &value)
    {
        if (n.input_size() != 2)
            return {};
        return n.input(0) == value ? n.input(1) : n.input(1) == value ? n.input(0) : std::string();
    }

    // ReduceMean over the last axis, keeping it (axes as attribute or, from opset 18, as input).
    bool reducesLastAxis(const NodeProto &n) const
    {
        if (intAttr(n, "keepdims", 1) == 0)
            return false;
        std::vector<int64_t> axes = intsAttr(n, "axes", {});
        if (n.input_size() > 1) {
            const auto it = m_consts.find(n.input(1));
            if (it == m_consts.end())
                return false;
            axes = tensorInts(it->second);
        }
        return axes == std::vector<int64_t>{-1};
    }

    void replace(const std::vector<int> &matched, NodeProto fused)
    {
        for (int i : matched)
            m_drop[size_t(i)] = true;
        m_fused[matched.back()] = std::move(fused);
    }

    static std::string renamed(const NodeProto &first, const std::string &op)
    {
        const std::string &name = first.name();
        const size_t slash = name.rfind('/');
        return (slash == std::string::npos ? std::string() : name.substr(0, slash + 1)) + op;
    }

    void layerNorm(int i)
    {
        const NodeProto &mean = m_nodes[size_t(i)];
        if (mean.input_size() < 1 || !reducesLastAxis(mean))
            return;
        const std::string x = mean.input(0);
        int iSub, iPow, iVar, iAdd, iSqrt, iDiv;
        const NodeProto *sub = onlyUser(mean.output(0), "Sub", &iSub);
        if (!sub || sub->input_size() != 2 || sub->input(0) != x || sub->input(1) != mean.output(0))
            return;
        const auto users = m_users.find(sub->output(0));
        if (users == m_users.end() || users->second.size() != 2 || m_outputs.count(sub->output(0)))
            return;
        iPow = m_nodes[size_t(users->second[0])].op_type() == "Pow" ? users->second[0] : users->second[1];
        iDiv = iPow == users->second[0] ? users->second[1] : users->second[0];
        const NodeProto &pow = m_nodes[size_t(iPow)], &div = m_nodes[size_t(iDiv)];
        if (pow.op_type() != "Pow" || pow.input_size() != 2 || pow.input(0) != sub->output(0) || scalar(pow.input(1)) != 2.0)
            return;
        const NodeProto *var = onlyUser(pow.output(0), "ReduceMean", &iVar);
        if (!var || !reducesLastAxis(*var))
            return;
        const NodeProto *add = onlyUser(var->output(0), "Add", &iAdd);
        const auto eps = add ? scalar(other(*add, var->output(0))) : std::nullopt;
        if (!eps)
            return;
        const NodeProto *sqrt = onlyUser(add->output(0), "Sqrt", &iSqrt);
        if (!sqrt || div.op_type() != "Div" || div.input_size() != 2 || div.input(0) != sub->output(0) ||
            div.input(1) != sqrt->output(0))
            return;
        std::vector<int> matched{i, iSub, iPow, iVar, iAdd, iSqrt, iDiv};
        std::string out = div.output(0), weight, bias;
        int iMul, iBias;
        if (const NodeProto *mul = onlyUser(out, "Mul", &iMul); mul && m_consts.count(other(*mul, out))) {
            weight = other(*mul, out);
            matched.push_back(iMul);
            out = mul->output(0);
            if (const NodeProto *b = onlyUser(out, "Add", &iBias); b && m_consts.count(other(*b, out))) {
                bias = other(*b, out);
                matched.push_back(iBias);
                out = b->output(0);
            }
        }
        NodeProto ln;
        ln.set_op_type("LayerNormalization");
        ln.set_name(renamed(mean, "LayerNormalization"));
        ln.add_input(x);
        ln.add_input(weight);
        ln.add_input(bias);
        ln.add_output(out);
        auto *a = ln.add_attribute();
        a->set_name("epsilon");
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(float(*eps));
        auto *axis = ln.add_attribute();
        axis->set_name("axis");
        axis->set_type(onnx::AttributeProto::INT);
        axis->set_i(-1);
        std::sort(matched.begin(), matched.end());
        replace(matched, std::move(ln));
    }

    void gelu(int i)
    {
        const NodeProto &div = m_nodes[size_t(i)];
        if (div.input_size() != 2)
            return;
        const auto root2 = scalar(div.input(1));
        if (!root2 || std::abs(*root2 - std::sqrt(2.0)) > 1e-5)
            return;
        const std::string x = div.input(0);
        int iErf, iAdd, iMul, iHalf;
        const NodeProto *erf = onlyUser(div.output(0), "Erf", &iErf);
        const NodeProto *add = erf ? onlyUser(erf->output(0), "Add", &iAdd) : nullptr;
        if (!add || scalar(other(*add, erf->output(0))) != 1.0)
            return;
        const NodeProto *mul = onlyUser(add->output(0), "Mul", &iMul);
        if (!mul || other(*mul, add->output(0)) != x)
            return;
        const NodeProto *half = onlyUser(mul->output(0), "Mul", &iHalf);
        if (!half || scalar(other(*half, mul->output(0))) != 0.5)
            return;
        NodeProto g;
        g.set_op_type("Gelu");
        g.set_name(renamed(div, "Gelu"));
        g.add_input(x);
        g.add_output(half->output(0));
        replace({i, iErf, iAdd, iMul, iHalf}, std::move(g));
    }

    void biasedMatMul(int i)
    {
        const NodeProto &mm = m_nodes[size_t(i)];
        if (mm.input_size() != 2)
            return;
        const auto w = m_consts.find(mm.input(1));
        if (w == m_consts.end() || w->second.dim() != 2)
            return;
        int iAdd;
        const NodeProto *add = onlyUser(mm.output(0), "Add", &iAdd);
        if (!add)
            return;
        const auto b = m_consts.find(other(*add, mm.output(0)));
        if (b == m_consts.end() || b->second.dim() != 1 || b->second.size(0) != w->second.size(1))
            return;
        NodeProto fused = mm;
        fused.add_input(b->first);
        fused.set_output(0, add->output(0));
        replace({i, iAdd}, std::move(fused));
    }

    const std::vector<NodeProto> &m_nodes;
    const std::map<std::string, torch::Tensor> &m_consts;
    std::set<std::string> m_outputs;
    std::map<std::string, std::vector<int>> m_users;
    std::vector<bool> m_drop;
    std::map<int, NodeProto> m_fused;
};

}  // namespace

std::vector<onnx::NodeProto> fuseDecomposedOps(const std::vector<onnx::NodeProto> &nodes,
                                               const std::map<std::string, torch::Tensor> &constants,
                                               const std::vector<std::string> &graphOutputs)
{
    return Fuser(nodes, constants, graphOutputs).run();
}

}  // namespace metaaug::plugins
