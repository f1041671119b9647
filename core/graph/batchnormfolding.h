// SPDX-License-Identifier: GPL-3.0-or-later
// BatchNorm handling in the graph IR.
#pragma once

#include "graph.h"

namespace metaaug::graph {

// Fills bnScale/bnShift (y = x * scale + shift per channel) from the raw
// statistics of a BatchNorm node.
void computeBatchNormAffine(Node &bn);

// Folds every BatchNorm that directly follows a Conv2d whose output feeds
// nothing else into that conv's weight and bias (computed in double), and
// removes the BN node. Returns how many were folded.
int foldBatchNorms(Graph &graph);

}  // namespace metaaug::graph
