// SPDX-License-Identifier: GPL-3.0-or-later
#include "plantedmodel.h"

#include "common/paths.h"
#include "graph/torchscriptimporter.h"

namespace metaaug::test {

namespace {
graph::Node *find(graph::Graph &g, const std::string &name)
{
    for (graph::Node &n : g.nodes)
        if (n.name == name)
            return &n;
    return nullptr;
}
}  // namespace

std::shared_ptr<const graph::Executor> plantedResnet20(const std::string &block, int channel, double scale)
{
    auto imported = graph::importTorchScriptFile(defaultModelPath());
    if (!imported)
        return nullptr;
    graph::Graph g = std::move(imported).value();
    if (!block.empty()) {
        graph::Node *c1 = find(g, block + ".conv1"), *c2 = find(g, block + ".conv2");
        if (!c1 || !c2 || !c1->bias.defined())
            return nullptr;
        c1->weight = c1->weight.clone();
        c1->weight[channel].mul_(scale);
        c1->bias = c1->bias.clone();
        c1->bias[channel].mul_(scale);
        c2->weight = c2->weight.clone();
        c2->weight.select(1, channel).div_(scale);
    }
    return std::make_shared<const graph::Executor>(std::make_shared<const graph::Graph>(std::move(g)));
}

}  // namespace metaaug::test
