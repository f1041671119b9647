// SPDX-License-Identifier: GPL-3.0-or-later
// Bit allocation under a budget (issue 20): one choice per item (a layer's
// weight bits, or a point with its consumers' bits), minimising the sum of
// the choices' predicted losses (per-layer sensitivity, taken as additive)
// with the sum of their costs within a budget. Exact: a multiple-choice
// knapsack solved by dynamic programming over costs rounded UP to a grid of
// `cells` steps, so an allocation the programme accepts always meets the
// real budget (it may miss one that fits only within a grid step).
#pragma once

#include "common/result.h"

#include <QtCore/QString>

#include <vector>

namespace metaaug::analysis {

struct AllocationChoice {
    int bits = 0;
    double cost = 0;  // budget units (bits of packed weight, or bit-operations)
    double loss = 0;  // predicted effect (KL)
};

struct AllocationItem {
    QString name;
    std::vector<AllocationChoice> choices;  // at least one
};

struct Allocation {
    std::vector<int> choice;  // index into each item's choices
    double cost = 0, loss = 0;  // exact sums of the chosen costs and losses
};

struct AllocationProblem {
    std::vector<AllocationItem> items;
    int cells = 4096;  // the cost grid: the largest total cost is cut into this many steps

    // The cheapest and the dearest allocation's cost.
    double minimumCost() const;
    double maximumCost() const;
};

// The least-loss allocation whose cost is at most `budget`; an error naming
// the cheapest reachable cost when none is.
Result<Allocation> allocate(const AllocationProblem &problem, double budget);

// Every allocation on the Pareto front of cost vs predicted loss (on the
// grid), cheapest first: each costs strictly more (in exact cost) and loses
// strictly less than the one before.
std::vector<Allocation> paretoFront(const AllocationProblem &problem);

}  // namespace metaaug::analysis
