// SPDX-License-Identifier: GPL-3.0-or-later
#include "allocation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace metaaug::analysis {

double AllocationProblem::minimumCost() const
{
    double c = 0;
    for (const auto &item : items) {
        double lo = std::numeric_limits<double>::infinity();
        for (const auto &ch : item.choices)
            lo = std::min(lo, ch.cost);
        c += lo;
    }
    return c;
}

double AllocationProblem::maximumCost() const
{
    double c = 0;
    for (const auto &item : items) {
        double hi = 0;
        for (const auto &ch : item.choices)
            hi = std::max(hi, ch.cost);
        c += hi;
    }
    return c;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// best[c]: least loss with grid cost exactly c; pick[i][c]: item i's choice on
// that path (-1: unreachable). Filled item by item.
struct Table {
    double step = 1;
    int width = 0;
    std::vector<double> best;
    std::vector<std::vector<int>> pick;
};

int cellsOf(double cost, double step)
{
    return int(std::ceil(cost / step - 1e-9));  // up: the grid never under-counts a cost
}

Table solve(const AllocationProblem &p)
{
    Table t;
    const double total = p.maximumCost();
    t.step = total > 0 ? total / std::max(1, p.cells) : 1.0;
    for (const auto &item : p.items) {
        int hi = 0;
        for (const auto &ch : item.choices)
            hi = std::max(hi, cellsOf(ch.cost, t.step));
        t.width += hi;
    }
    t.best.assign(size_t(t.width) + 1, kInf);
    t.best[0] = 0;
    for (const auto &item : p.items) {
        std::vector<double> next(t.best.size(), kInf);
        std::vector<int> pick(t.best.size(), -1);
        for (size_t k = 0; k < item.choices.size(); ++k) {
            const int w = cellsOf(item.choices[k].cost, t.step);
            const double loss = item.choices[k].loss;
            for (int c = t.width; c >= w; --c) {
                if (t.best[size_t(c - w)] == kInf)
                    continue;
                const double v = t.best[size_t(c - w)] + loss;
                if (v < next[size_t(c)]) {
                    next[size_t(c)] = v;
                    pick[size_t(c)] = int(k);
                }
            }
        }
        t.best = std::move(next);
        t.pick.push_back(std::move(pick));
    }
    return t;
}

Allocation traceBack(const AllocationProblem &p, const Table &t, int cell)
{
    Allocation a;
    a.choice.assign(p.items.size(), 0);
    for (int i = int(p.items.size()) - 1; i >= 0; --i) {
        const int k = t.pick[size_t(i)][size_t(cell)];
        a.choice[size_t(i)] = k;
        const AllocationChoice &ch = p.items[size_t(i)].choices[size_t(k)];
        a.cost += ch.cost;
        a.loss += ch.loss;
        cell -= cellsOf(ch.cost, t.step);
    }
    return a;
}

}  // namespace

Result<Allocation> allocate(const AllocationProblem &p, double budget)
{
    for (const auto &item : p.items)
        if (item.choices.empty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 has no bit-width to choose from").arg(item.name));
    const Table t = solve(p);
    // Cells up to floor(budget / step) fit whatever the rounding; beyond, up
    // to one cell per item more, a cell's path fits when its exact cost does
    // (a budget equal to the cheapest allocation's cost is met, not refused).
    const int sure = std::min(t.width, int(std::floor(budget / t.step + 1e-9)));
    const int reach = std::min(t.width, sure + int(p.items.size()));
    std::optional<Allocation> best;
    for (int c = 0; c <= reach; ++c) {
        if (t.best[size_t(c)] == kInf || (best && t.best[size_t(c)] >= best->loss))
            continue;
        Allocation a = traceBack(p, t, c);
        if (c <= sure || a.cost <= budget)
            best = std::move(a);
    }
    if (!best) {
        // The grid's rounding can hide the cheapest allocation behind a
        // dearer one of the same rounded cost: take it when it fits exactly.
        Allocation cheapest;
        for (const auto &item : p.items) {
            size_t k = 0;
            for (size_t i = 1; i < item.choices.size(); ++i)
                if (item.choices[i].cost < item.choices[k].cost ||
                    (item.choices[i].cost == item.choices[k].cost && item.choices[i].loss < item.choices[k].loss))
                    k = i;
            cheapest.choice.push_back(int(k));
            cheapest.cost += item.choices[k].cost;
            cheapest.loss += item.choices[k].loss;
        }
        if (cheapest.cost <= budget)
            best = std::move(cheapest);
    }
    if (!best)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("no allocation fits a budget of %1: the cheapest costs %2").arg(budget, 0, 'g', 8).arg(p.minimumCost(), 0, 'g', 8));
    return *best;
}

std::vector<Allocation> paretoFront(const AllocationProblem &p)
{
    std::vector<Allocation> front;
    for (const auto &item : p.items)
        if (item.choices.empty())
            return front;
    const Table t = solve(p);
    double last = kInf;
    for (int c = 0; c <= t.width; ++c)
        if (t.best[size_t(c)] < last) {
            last = t.best[size_t(c)];
            Allocation a = traceBack(p, t, c);
            // Each item's cost is rounded up on its own, so two allocations of
            // the same exact cost can sit in different cells: the later one,
            // with less loss, replaces the earlier.
            while (!front.empty() && front.back().cost >= a.cost)
                front.pop_back();
            front.push_back(std::move(a));
        }
    return front;
}

}  // namespace metaaug::analysis
