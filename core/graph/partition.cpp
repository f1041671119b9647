// SPDX-License-Identifier: GPL-3.0-or-later
#include "partition.h"

#include <map>
#include <regex>
#include <stdexcept>

namespace metaaug::graph {

namespace {

// Liveness of non-constant values at each position p (between node p-1 and
// node p; p = 0 is before the first node): produced before p, read at >= p.
struct Liveness {
    std::vector<std::vector<int>> live;  // by position, value ids
};

Liveness liveness(const Graph &g)
{
    const int n = int(g.nodes.size());
    std::vector<int> def(g.numValues, n + 1), last(g.numValues, -1);
    def[0] = -1;
    for (int i = 0; i < n; ++i) {
        for (int v : g.nodes[i].outputs)
            def[v] = i;
        for (int v : g.nodes[i].inputs)
            last[v] = i;
    }
    if (g.output >= 0)
        last[g.output] = n;  // the output stays live to the end
    Liveness l;
    l.live.resize(n + 1);
    for (int v = 0; v < g.numValues; ++v) {
        if (g.isConstant(v) || last[v] < 0)
            continue;
        for (int p = def[v] + 1; p <= std::min(last[v], n); ++p)
            l.live[p].push_back(v);
    }
    return l;
}

std::string commonModulePrefix(const Graph &g, const std::vector<int> &layers)
{
    if (layers.empty())
        return {};
    std::vector<ModuleFrame> prefix = g.nodes[layers[0]].moduleStack;
    for (int i : layers) {
        const auto &s = g.nodes[i].moduleStack;
        size_t k = 0;
        while (k < prefix.size() && k < s.size() && prefix[k].instance == s[k].instance)
            ++k;
        prefix.resize(k);
    }
    std::string p;
    for (const auto &f : prefix)
        p += (p.empty() ? "" : ".") + f.instance;
    return p;
}

std::vector<int> layersIn(const Graph &g, int first, int last)
{
    std::vector<int> out;
    for (int i = first; i <= last; ++i)
        if (g.nodes[i].isLayer())
            out.push_back(i);
    return out;
}

// A unit is valid when exactly one value is live entering it and exactly one
// leaving it: then prefix, unit and suffix can each run from one tensor.
bool completeUnit(const Graph &g, const Liveness &l, Unit &u)
{
    const auto &in = l.live[u.firstNode];
    const auto &out = l.live[u.lastNode + 1];
    if (in.size() != 1 || out.size() != 1)
        return false;
    u.input = in[0];
    u.output = out[0];
    u.layers = layersIn(g, u.firstNode, u.lastNode);
    return true;
}

std::optional<std::vector<Unit>> byModulePaths(const Graph &g, const Liveness &l)
{
    const int n = int(g.nodes.size());
    std::vector<std::string> key(n);
    bool anyModuleInfo = false;
    for (int i = 0; i < n; ++i) {
        const auto &stack = g.nodes[i].moduleStack;
        anyModuleInfo = anyModuleInfo || !stack.empty();
        std::string path;
        for (const auto &f : stack) {
            path += (path.empty() ? "" : ".") + f.instance;
            if (!isPlainContainer(f.className)) {
                key[i] = path;
                break;
            }
        }
    }
    if (!anyModuleInfo)
        return std::nullopt;
    std::map<std::string, std::pair<int, int>> range;  // key -> first, last node
    std::map<std::string, bool> hasLayer;
    for (int i = 0; i < n; ++i) {
        if (key[i].empty())
            continue;
        auto it = range.find(key[i]);
        if (it == range.end())
            range[key[i]] = {i, i};
        else
            it->second.second = i;
        hasLayer[key[i]] = hasLayer[key[i]] || g.nodes[i].isLayer();
    }
    std::vector<Unit> units;
    for (const auto &[k, r] : range) {
        if (!hasLayer[k])
            continue;
        for (int i = r.first; i <= r.second; ++i)
            if (key[i] != k)
                return std::nullopt;  // interleaved with other modules
        Unit u;
        u.name = k;
        u.firstNode = r.first;
        u.lastNode = r.second;
        if (!completeUnit(g, l, u))
            return std::nullopt;
        units.push_back(u);
    }
    std::sort(units.begin(), units.end(), [](const Unit &a, const Unit &b) { return a.firstNode < b.firstNode; });
    size_t covered = 0;
    for (const Unit &u : units)
        covered += u.layers.size();
    if (covered != g.layers().size())
        return std::nullopt;  // a layer called outside any module (functional conv at top level)
    return units;
}

std::vector<Unit> byCutPoints(const Graph &g, const Liveness &l)
{
    const int n = int(g.nodes.size());
    std::vector<int> cuts;
    for (int p = 0; p <= n; ++p)
        if (l.live[p].size() == 1)
            cuts.push_back(p);
    std::vector<Unit> units;
    for (size_t c = 0; c + 1 < cuts.size(); ++c) {
        Unit u;
        u.firstNode = cuts[c];
        u.lastNode = cuts[c + 1] - 1;
        if (layersIn(g, u.firstNode, u.lastNode).empty() || !completeUnit(g, l, u))
            continue;
        u.name = u.layers.size() == 1 ? g.nodes[u.layers[0]].name : commonModulePrefix(g, u.layers);
        if (u.name.empty())
            u.name = "unit_" + std::to_string(units.size());
        units.push_back(u);
    }
    return units;
}

std::vector<Unit> layerWise(const Graph &g)
{
    std::vector<Unit> units;
    for (int i : g.layers()) {
        Unit u;
        u.name = g.nodes[i].name;
        u.firstNode = u.lastNode = i;
        u.input = g.nodes[i].inputs[0];
        u.output = g.nodes[i].outputs[0];
        u.layers = {i};
        units.push_back(u);
    }
    return units;
}

}  // namespace

bool isPlainContainer(const std::string &className)
{
    // Traced classes may carry "___torch_mangle_<n>." segments.
    static const std::regex mangle(R"(___torch_mangle_\d+\.)");
    const std::string c = std::regex_replace(className, mangle, "");
    return c == "__torch__.torch.nn.modules.container.Sequential" ||
           c == "__torch__.torch.nn.modules.container.ModuleList" ||
           c == "__torch__.torch.nn.modules.container.ModuleDict";
}

const char *partitionRuleName(PartitionRule rule)
{
    switch (rule) {
    case PartitionRule::Auto: return "auto";
    case PartitionRule::ModulePaths: return "module-paths";
    case PartitionRule::CutPoints: return "cut-points";
    case PartitionRule::LayerWise: return "layer-wise";
    }
    return "?";
}

Partition partition(const Graph &graph, PartitionRule rule)
{
    if (graph.layers().empty())
        throw std::runtime_error("the model has no convolution or linear layer to quantize");
    Partition p;
    if (rule == PartitionRule::LayerWise) {
        p.units = layerWise(graph);
        p.ruleUsed = rule;
        return p;
    }
    const Liveness l = liveness(graph);
    if (rule == PartitionRule::Auto || rule == PartitionRule::ModulePaths) {
        if (auto units = byModulePaths(graph, l)) {
            p.units = std::move(*units);
            p.ruleUsed = PartitionRule::ModulePaths;
            return p;
        }
        if (rule == PartitionRule::ModulePaths)
            throw std::runtime_error("module paths do not give units with one input and one output");
    }
    p.units = byCutPoints(graph, l);
    p.ruleUsed = PartitionRule::CutPoints;
    return p;
}

}  // namespace metaaug::graph
