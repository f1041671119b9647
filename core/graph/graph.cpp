// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph.h"

#include <iterator>

#include <stdexcept>

namespace metaaug::graph {

namespace {
// By OpKind, in enum order.
const char *const kOpNames[] = {"conv2d", "linear", "batch_norm", "relu", "clamp", "hardswish", "hardsigmoid",
                                "silu", "sigmoid", "gelu", "layer_norm", "softmax", "log_softmax", "add", "sub", "mul", "div", "max_pool2d", "avg_pool2d",
                                "adaptive_avg_pool2d", "mean", "flatten", "reshape", "cat", "transpose",
                                "permute", "slice", "pad", "contiguous", "identity", "chunk", "size", "int", "num_to_tensor", "list",
                                "list_unpack"};
static_assert(std::size(kOpNames) == size_t(kOpKindCount), "every OpKind needs a name");
}  // namespace

const char *opKindName(OpKind kind)
{
    const int i = int(kind);
    return i >= 0 && i < kOpKindCount ? kOpNames[i] : "?";
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
