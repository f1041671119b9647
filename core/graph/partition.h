// SPDX-License-Identifier: GPL-3.0-or-later
// Cutting a graph into reconstruction units (docs/algorithms.md, "Reconstruction").
#pragma once

#include "graph.h"

#include <string>
#include <vector>

namespace metaaug::graph {

struct Unit {
    std::string name;                // module path ("layer1.0") or "unit_<k>"
    int firstNode = 0;               // node range [firstNode, lastNode]
    int lastNode = 0;
    int input = 0;                   // the one tensor value entering the unit
    int output = 0;                  // the one tensor value leaving it
    std::vector<int> layers;         // Conv2d/Linear node indices inside, in order
};

enum class PartitionRule {
    Auto,          // module paths when they give valid units, else cut points
    ModulePaths,   // descend through plain containers; every other module holding a layer is a unit
    CutPoints,     // cut where exactly one tensor is live; residual blocks stay whole
    LayerWise,     // every conv/linear alone (AdaRound)
};

struct Partition {
    std::vector<Unit> units;
    PartitionRule ruleUsed = PartitionRule::Auto;
};

// Units in execution order. Every conv/linear belongs to exactly one unit;
// ops between units run in FP. Throws std::runtime_error only on a graph with
// no conv/linear at all.
Partition partition(const Graph &graph, PartitionRule rule = PartitionRule::Auto);

// True for exactly torch.nn Sequential / ModuleList / ModuleDict.
bool isPlainContainer(const std::string &className);

const char *partitionRuleName(PartitionRule rule);

}  // namespace metaaug::graph
