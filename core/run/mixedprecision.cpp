// SPDX-License-Identifier: GPL-3.0-or-later
#include "mixedprecision.h"

#include "analysis/autobits.h"
#include "model/model.h"
#include "runspec.h"

#include <QtCore/QJsonArray>

#include <algorithm>

namespace metaaug {

namespace {
const std::vector<int> kWeightCandidates{2, 3, 4, 8};
const std::vector<int> kActivationCandidates{2, 4, 8};
constexpr int64_t kFitImages = 64, kMeasureImages = 256;
}  // namespace

Result<MixedPrecision> chooseMixedPrecision(const RunSpec &spec, const Model &model, const quant::BitPlan &plan,
                                            const quant::LayerBitsMap &given, const std::vector<analysis::LayerCost> &costs,
                                            const torch::Tensor &calibImages, RunSink &sink)
{
    const graph::Executor &ex = model.executor();
    const int64_t n = calibImages.size(0);
    if (n < 2)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("bits auto needs at least 2 calibration images (one to fit, one to measure on)"));
    const int64_t fit = std::clamp<int64_t>(n / 4, 1, kFitImages);
    const int64_t measure = std::min(kMeasureImages, n - fit);
    analysis::SensitivityOptions o;
    o.weightBits = kWeightCandidates;
    o.activationBits = spec.bopsBudget > 0 ? kActivationCandidates : std::vector<int>{};
    o.progress = [&sink](int, int) { return !sink.shouldAbort(); };
    sink.log(QStringLiteral("bits auto: sensitivity of every layer at %1 bits on %2 calibration images (grids fitted on %3)")
                 .arg(QStringLiteral("2, 3, 4, 8")).arg(measure).arg(fit));
    auto records = analysis::analyzeSensitivity(model.sharedExecutor(), model.partition().units, calibImages.slice(0, 0, fit),
                                                calibImages.slice(0, fit, fit + measure), o);
    if (!records)
        return records.error();

    quant::PinnedBits pinned = quant::pinnedBits(ex, spec.setting);
    for (const auto &[name, b] : given) {
        const int node = ex.graph().findNode(name.toStdString());
        pinned.layers.insert(node);
        if (b.activation)
            pinned.points.insert(ex.pointOfValue(ex.graph().nodes[size_t(node)].inputs[0]));
    }
    analysis::BudgetRequest request;
    request.kind = spec.weightBudget > 0 ? analysis::BudgetKind::WeightBytes
                   : spec.avgWbits > 0  ? analysis::BudgetKind::AvgWeightBits
                                        : analysis::BudgetKind::Bops;
    request.value = spec.weightBudget > 0 ? double(spec.weightBudget) : spec.avgWbits > 0 ? spec.avgWbits : spec.bopsBudget;
    auto chosen = analysis::chooseBits(ex, plan, pinned, costs, *records, kWeightCandidates, kActivationCandidates, request);
    if (!chosen)
        return makeError(chosen.error().code, QStringLiteral("bits auto: %1").arg(chosen.error().message));
    MixedPrecision out;
    out.bits = chosen->bits;
    auto applied = quant::applyLayerBits(ex, plan, chosen->bits);
    if (!applied)
        return applied.error();
    out.plan = *applied;
    QJsonArray front;
    for (const analysis::Allocation &a : chosen->front)
        front.append(QJsonArray{a.cost, a.loss});
    static const char *kUnits[] = {"bytes", "bits", "bops"};
    out.record = QJsonObject{{QStringLiteral("budget"), chosen->budget},
                             {QStringLiteral("unit"), QLatin1String(kUnits[int(request.kind)])},
                             {QStringLiteral("cost"), chosen->allocation.cost},
                             {QStringLiteral("predicted_kl"), chosen->allocation.loss},
                             {QStringLiteral("grid_step"), chosen->gridStep},
                             {QStringLiteral("front"), front},
                             {QStringLiteral("bits"), quant::layerBitsToJson(chosen->bits)}};
    sink.log(QStringLiteral("bits auto: %1 of %2 %3 used, predicted KL %4 (a sum of per-layer effects; costs rounded up to a "
                            "grid of %5 %3)")
                 .arg(chosen->allocation.cost, 0, 'g', 6).arg(chosen->budget, 0, 'g', 6).arg(QLatin1String(kUnits[int(request.kind)]))
                 .arg(chosen->allocation.loss, 0, 'g', 4).arg(chosen->gridStep, 0, 'g', 4));
    return out;
}

}  // namespace metaaug
