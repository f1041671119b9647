// SPDX-License-Identifier: GPL-3.0-or-later
// The bit allocation's multiple-choice knapsack against brute force on small
// random instances: exact on an exact grid, never over budget on a coarse
// one, and a Pareto front that only improves.
#include "analysis/allocation.h"

#include <QtTest/QtTest>

#include <random>

using namespace metaaug;
using namespace metaaug::analysis;

namespace {

AllocationProblem randomProblem(std::mt19937 &rng, bool integerCosts)
{
    std::uniform_int_distribution<int> nItems(1, 6), nChoices(1, 4), params(1, 40);
    std::uniform_real_distribution<double> loss(0.0, 1.0), scale(0.5, 2.0);
    AllocationProblem p;
    const int n = nItems(rng);
    for (int i = 0; i < n; ++i) {
        AllocationItem item;
        item.name = QStringLiteral("layer%1").arg(i);
        const double size = integerCosts ? params(rng) : params(rng) * scale(rng);
        const int k = nChoices(rng);
        for (int c = 0; c < k; ++c) {
            const int bits = 2 + 2 * c;
            item.choices.push_back({bits, integerCosts ? double(int(size) * bits) : size * bits, loss(rng) / bits});
        }
        p.items.push_back(item);
    }
    return p;
}

// Least loss over every combination with cost <= budget (+inf when none).
double bruteForce(const AllocationProblem &p, double budget)
{
    double best = std::numeric_limits<double>::infinity();
    std::vector<size_t> idx(p.items.size(), 0);
    while (true) {
        double cost = 0, loss = 0;
        for (size_t i = 0; i < idx.size(); ++i) {
            cost += p.items[i].choices[idx[i]].cost;
            loss += p.items[i].choices[idx[i]].loss;
        }
        if (cost <= budget + 1e-9)
            best = std::min(best, loss);
        size_t i = 0;
        while (i < idx.size() && ++idx[i] == p.items[i].choices.size())
            idx[i++] = 0;
        if (i == idx.size())
            return best;
    }
}

}  // namespace

class TestAllocation : public QObject {
    Q_OBJECT
private slots:
    void exactOnAnExactGrid();
    void coarseGridNeverOverBudget();
    void paretoFrontImproves();
    void impossibleBudgetNamesTheCheapest();
};

void TestAllocation::exactOnAnExactGrid()
{
    std::mt19937 rng(1);
    for (int trial = 0; trial < 300; ++trial) {
        AllocationProblem p = randomProblem(rng, true);
        p.cells = int(p.maximumCost());  // one cell per cost unit: no rounding
        std::uniform_real_distribution<double> at(p.minimumCost(), p.maximumCost());
        const double budget = std::floor(at(rng));
        auto a = allocate(p, budget);
        QVERIFY2(a, a ? "" : qPrintable(a.error().message));
        QVERIFY(a->cost <= budget);
        QVERIFY2(std::abs(a->loss - bruteForce(p, budget)) < 1e-12,
                 qPrintable(QStringLiteral("trial %1: %2 vs brute force %3").arg(trial).arg(a->loss).arg(bruteForce(p, budget))));
    }
}

void TestAllocation::coarseGridNeverOverBudget()
{
    std::mt19937 rng(2);
    for (int trial = 0; trial < 300; ++trial) {
        AllocationProblem p = randomProblem(rng, false);
        p.cells = 16;  // coarse: costs are rounded up to 1/16 of the largest total
        std::uniform_real_distribution<double> at(p.minimumCost(), p.maximumCost());
        const double budget = at(rng);
        auto a = allocate(p, budget);
        if (!a) {  // only when rounding up made even the cheapest too dear
            QVERIFY(a.error().message.contains("cheapest"));
            continue;
        }
        QVERIFY(a->cost <= budget + 1e-9);
        // Never better than the true optimum; at most the rounding (one cell
        // per item) away from the optimum at a budget that much smaller.
        QVERIFY(a->loss >= bruteForce(p, budget) - 1e-12);
        const double slack = double(p.items.size()) * p.maximumCost() / p.cells;
        QVERIFY(a->loss <= bruteForce(p, budget - slack) + 1e-12);
    }
}

void TestAllocation::paretoFrontImproves()
{
    std::mt19937 rng(3);
    for (int trial = 0; trial < 100; ++trial) {
        AllocationProblem p = randomProblem(rng, true);
        p.cells = int(p.maximumCost());
        const auto front = paretoFront(p);
        QVERIFY(!front.empty());
        for (size_t i = 1; i < front.size(); ++i) {
            QVERIFY(front[i].cost > front[i - 1].cost);
            QVERIFY(front[i].loss < front[i - 1].loss);
        }
        QCOMPARE(front.front().cost, p.minimumCost());
        QVERIFY(std::abs(front.back().loss - bruteForce(p, p.maximumCost())) < 1e-12);
        // Every point is the optimum at its own cost.
        for (const Allocation &a : front)
            QVERIFY(std::abs(a.loss - bruteForce(p, a.cost)) < 1e-12);
        // On a coarse grid items round up one by one, so allocations of equal
        // exact cost fall in different cells: the front still rises in exact cost.
        p.cells = 16;
        const auto coarse = paretoFront(p);
        for (size_t i = 1; i < coarse.size(); ++i) {
            QVERIFY(coarse[i].cost > coarse[i - 1].cost);
            QVERIFY(coarse[i].loss < coarse[i - 1].loss);
        }
    }
}

void TestAllocation::impossibleBudgetNamesTheCheapest()
{
    AllocationProblem p;
    p.items.push_back({QStringLiteral("conv"), {{2, 20, 1.0}, {4, 40, 0.5}}});
    p.items.push_back({QStringLiteral("fc"), {{8, 80, 0.0}}});
    auto a = allocate(p, 99);
    QVERIFY(!a);
    QVERIFY2(a.error().message.contains("99") && a.error().message.contains("100"), qPrintable(a.error().message));
    auto b = allocate(p, 100);
    QVERIFY(b);
    QCOMPARE(b->choice, (std::vector<int>{0, 0}));
    // Many items whose rounded-up costs tie a dearer choice with the
    // cheapest: a budget of exactly the cheapest cost is still met (found
    // by the mixed-precision study on MobileNetV2 at uniform W2's size).
    AllocationProblem tie;
    tie.cells = 7;
    for (int i = 0; i < 30; ++i)
        tie.items.push_back({QStringLiteral("l%1").arg(i), {{2, 20.0, 1.0}, {3, 20.4, 0.1}, {8, 80.0, 0.0}}});
    auto exact = allocate(tie, tie.minimumCost());
    QVERIFY2(exact, exact ? "" : qPrintable(exact.error().message));
    QCOMPARE(exact->cost, tie.minimumCost());
}

QTEST_GUILESS_MAIN(TestAllocation)
#include "tst_allocation.moc"
