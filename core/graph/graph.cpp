#include "graph.h"

#include <stdexcept>

namespace metaaug::graph {

const char *opKindName(OpKind kind)
{
    switch (kind) {
    case OpKind::Conv2d: return "conv2d";
    case OpKind::Linear: return "linear";
    case OpKind::BatchNorm: return "batch_norm";
    case OpKind::Relu: return "relu";
    case OpKind::Clamp: return "clamp";
    case OpKind::Hardswish: return "hardswish";
    case OpKind::Hardsigmoid: return "hardsigmoid";
    case OpKind::Silu: return "silu";
    case OpKind::Sigmoid: return "sigmoid";
    case OpKind::Add: return "add";
    case OpKind::Sub: return "sub";
    case OpKind::Mul: return "mul";
    case OpKind::Div: return "div";
    case OpKind::MaxPool2d: return "max_pool2d";
    case OpKind::AvgPool2d: return "avg_pool2d";
    case OpKind::AdaptiveAvgPool2d: return "adaptive_avg_pool2d";
    case OpKind::Mean: return "mean";
    case OpKind::Flatten: return "flatten";
    case OpKind::Reshape: return "reshape";
    case OpKind::Cat: return "cat";
    case OpKind::Transpose: return "transpose";
    case OpKind::Contiguous: return "contiguous";
    case OpKind::Identity: return "identity";
    case OpKind::Chunk: return "chunk";
    case OpKind::Size: return "size";
    case OpKind::ToInt: return "int";
    case OpKind::NumToTensor: return "num_to_tensor";
    case OpKind::ListConstruct: return "list";
    case OpKind::ListUnpack: return "list_unpack";
    }
    return "?";
}

int Graph::addValue(const std::string &debugName)
{
    valueNames.resize(numValues);
    constants.resize(numValues);
    valueNames.push_back(debugName);
    constants.emplace_back();
    return numValues++;
}

bool Graph::isConstant(int value) const
{
    return value >= 0 && value < int(constants.size()) && constants[value].has_value();
}

std::vector<int> Graph::producers() const
{
    std::vector<int> p(numValues, -1);
    for (int i = 0; i < int(nodes.size()); ++i)
        for (int o : nodes[i].outputs)
            p[o] = i;
    return p;
}

std::vector<std::vector<int>> Graph::consumers() const
{
    std::vector<std::vector<int>> c(numValues);
    for (int i = 0; i < int(nodes.size()); ++i)
        for (int v : nodes[i].inputs)
            if (c[v].empty() || c[v].back() != i)
                c[v].push_back(i);
    return c;
}

std::vector<int> Graph::layers() const
{
    std::vector<int> out;
    for (int i = 0; i < int(nodes.size()); ++i)
        if (nodes[i].isLayer())
            out.push_back(i);
    return out;
}

int Graph::findNode(const std::string &name) const
{
    for (int i = 0; i < int(nodes.size()); ++i)
        if (nodes[i].name == name)
            return i;
    return -1;
}

int64_t Graph::parameterCount(const Node &node) const
{
    int64_t n = 0;
    for (const torch::Tensor *t : {&node.weight, &node.bias, &node.bnScale, &node.bnShift})
        if (t->defined())
            n += t->numel();
    return n;
}

void checkWellFormed(const Graph &graph)
{
    std::vector<bool> defined(graph.numValues, false);
    defined[0] = true;
    for (int v = 0; v < graph.numValues; ++v)
        if (graph.isConstant(v))
            defined[v] = true;
    for (const Node &n : graph.nodes) {
        for (int v : n.inputs)
            if (v < 0 || v >= graph.numValues || !defined[v])
                throw std::invalid_argument("node " + n.name + " reads value " + std::to_string(v) + " before it is defined");
        for (int v : n.outputs) {
            if (v < 0 || v >= graph.numValues || defined[v])
                throw std::invalid_argument("node " + n.name + " redefines value " + std::to_string(v));
            defined[v] = true;
        }
    }
    if (graph.output < 0 || !defined[graph.output])
        throw std::invalid_argument("graph output is not defined");
}

}  // namespace metaaug::graph
