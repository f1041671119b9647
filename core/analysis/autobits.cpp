// SPDX-License-Identifier: GPL-3.0-or-later
#include "autobits.h"

#include <map>

namespace metaaug::analysis {

namespace {

constexpr size_t kMaxCombinations = 4096;  // per activation point: its bits x its readers' bits

// One choice of an item: the point's bits (0: the plan's) and each reader's weight bits.
struct Combination {
    int activation = 0;
    std::vector<int> weights;
};

}  // namespace

Result<AutoBits> chooseBits(const graph::Executor &executor, const quant::BitPlan &plan, const quant::PinnedBits &pinned,
                            const std::vector<LayerCost> &costs, const std::vector<SensitivityRecord> &records,
                            const std::vector<int> &weightCandidates, const std::vector<int> &activationCandidates,
                            const BudgetRequest &request, int cells)
{
    const graph::Graph &g = executor.graph();
    const auto &points = executor.activationPoints();
    const bool bops = request.kind == BudgetKind::Bops;
    std::map<int, LayerCost> cost;
    for (const LayerCost &c : costs)
        cost[c.node] = c;
    std::map<std::pair<int, QString>, std::map<int, double>> kl;  // (kind, target) -> bits -> KL
    for (const SensitivityRecord &r : records)
        kl[{int(r.kind), r.target}][r.bits] = r.kl;
    auto lossOf = [&](SensitivityKind kind, const QString &target, int bits) -> Result<double> {
        auto t = kl.find({int(kind), target});
        if (t == kl.end() || !t->second.count(bits))
            return makeError(ErrorCode::Internal, QStringLiteral("no sensitivity record for %1 %2 at %3 bits")
                                                      .arg(QLatin1String(sensitivityKindName(kind)), target).arg(bits));
        return t->second.at(bits);
    };

    AllocationProblem problem;
    problem.cells = cells;
    std::vector<std::vector<Combination>> combos;
    std::vector<int> itemPoint;
    for (size_t p = 0; p < points.size(); ++p) {
        const graph::ActivationPoint &point = points[p];
        if (point.layers.empty())
            continue;
        const bool allocateA = bops && !pinned.points.count(int(p));
        const std::vector<int> aChoices = allocateA ? activationCandidates : std::vector<int>{0};
        std::vector<std::vector<int>> wChoices;
        size_t count = aChoices.size();
        for (int l : point.layers) {
            wChoices.push_back(pinned.layers.count(l) ? std::vector<int>{plan.weightBits.at(l)} : weightCandidates);
            count *= wChoices.back().size();
        }
        if (count > kMaxCombinations)
            return makeError(ErrorCode::Unsupported, QStringLiteral("activation point %1 is read by %2 layers: %3 bit combinations are too many to "
                                                                    "allocate exactly")
                                                         .arg(QString::fromStdString(point.name)).arg(point.layers.size()).arg(count));
        AllocationItem item;
        item.name = QString::fromStdString(point.name);
        std::vector<Combination> itemCombos;
        for (size_t k = 0; k < count; ++k) {
            Combination c;
            size_t rest = k;
            c.activation = aChoices[rest % aChoices.size()];
            rest /= aChoices.size();
            for (const auto &w : wChoices) {
                c.weights.push_back(w[rest % w.size()]);
                rest /= w.size();
            }
            const int a = c.activation ? c.activation : plan.activationBits[p];
            AllocationChoice choice;
            choice.bits = c.activation;
            if (c.activation) {
                auto loss = lossOf(SensitivityKind::Activation, item.name, c.activation);
                if (!loss)
                    return loss.error();
                choice.loss += *loss;
            }
            for (size_t i = 0; i < point.layers.size(); ++i) {
                const int l = point.layers[i], wb = c.weights[i];
                const LayerCost &lc = cost.at(l);
                if (!pinned.layers.count(l)) {
                    auto loss = lossOf(SensitivityKind::Weight, lc.name, wb);
                    if (!loss)
                        return loss.error();
                    choice.loss += *loss;
                }
                switch (request.kind) {
                case BudgetKind::WeightBytes: choice.cost += double(packedBytes(lc.parameters, wb)); break;
                case BudgetKind::AvgWeightBits: choice.cost += double(lc.parameters) * wb; break;
                case BudgetKind::Bops: choice.cost += double(lc.macs) * wb * (a > 0 ? a : kFpBits); break;
                }
            }
            item.choices.push_back(choice);
            itemCombos.push_back(c);
        }
        problem.items.push_back(item);
        combos.push_back(std::move(itemCombos));
        itemPoint.push_back(int(p));
    }

    AutoBits out;
    out.budget = request.value;
    if (request.kind == BudgetKind::AvgWeightBits) {
        double params = 0;
        for (const LayerCost &c : costs)
            params += double(c.parameters);
        out.budget = request.value * params;
    }
    out.gridStep = problem.maximumCost() / std::max(1, problem.cells);
    auto chosen = allocate(problem, out.budget);
    if (!chosen)
        return chosen.error();
    out.allocation = *chosen;
    // The bits of every layer an allocation's choices stand for.
    auto bitsOf = [&](const Allocation &a) {
        quant::LayerBitsMap bits;
        for (size_t i = 0; i < problem.items.size(); ++i) {
            const Combination &c = combos[i][size_t(a.choice[i])];
            const auto &layers = points[size_t(itemPoint[i])].layers;
            for (size_t k = 0; k < layers.size(); ++k)
                bits[QString::fromStdString(g.nodes[layers[k]].name)] = {c.weights[k], c.activation};
        }
        return bits;
    };
    out.bits = bitsOf(*chosen);
    out.front = paretoFront(problem);
    for (const Allocation &a : out.front)
        out.frontBits.push_back(bitsOf(a));
    return out;
}

}  // namespace metaaug::analysis
