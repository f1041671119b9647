// SPDX-License-Identifier: GPL-3.0-or-later
#include "reconstruction.h"

#include "common/median.h"
#include "layerprobe.h"
#include "quant/dropmask.h"
#include "schedules.h"

namespace metaaug::recon {

using quant::Rounding;

torch::Tensor reconstructionLoss(const torch::Tensor &out, const torch::Tensor &target)
{
    // = (out - target).pow(2).sum(1).mean(), in one fused pass each way
    return torch::mse_loss(out, target, at::Reduction::Sum) / double(out.numel() / out.size(1));
}

torch::Tensor unitRoundingLoss(const quant::QuantizedModel &qmodel, const graph::Unit &unit, double beta)
{
    torch::Tensor total = torch::zeros({});
    for (int layer : unit.layers)
        total = total + qmodel.weight(layer).roundingRegularizer(beta);
    return total;
}

UnitParameters prepareUnit(quant::QuantizedModel &qmodel, const graph::Unit &unit, const ReconOptions &options)
{
    UnitParameters p;
    for (int layer : unit.layers) {
        quant::WeightQuantizer &w = qmodel.weight(layer);
        if (options.learnRounding) {
            if (!w.hasAdaRound())
                w.enableAdaRound();
            qmodel.setRounding(layer, Rounding::Soft);
            p.rounding.push_back(w.roundingLogits());
        } else {
            qmodel.setRounding(layer, w.hasAdaRound() ? Rounding::Hard : Rounding::Nearest);
        }
        w.setScaleLearnable(options.learnWeightStep);
        if (options.learnWeightStep)
            p.weightSteps.push_back(w.scaleParameter());
    }
    for (int point : qmodel.pointsOf(unit)) {
        qmodel.setActivationEnabled(point, options.quantizeActivations);
        quant::ActivationQuantizer &a = qmodel.activation(point);
        if (!a.initialized())
            continue;
        const bool learn = options.learnActStep && options.quantizeActivations && qmodel.activationEnabled(point);
        a.setStepLearnable(learn);
        if (learn)
            p.actSteps.push_back(a.stepParameter());
    }
    return p;
}

void fixUnit(quant::QuantizedModel &qmodel, const graph::Unit &unit)
{
    for (int layer : unit.layers) {
        quant::WeightQuantizer &w = qmodel.weight(layer);
        w.setScaleLearnable(false);
        if (w.hasAdaRound())
            w.roundingLogits().set_requires_grad(false);
        qmodel.setRounding(layer, w.hasAdaRound() ? Rounding::Hard : Rounding::Nearest);
    }
    for (int point : qmodel.pointsOf(unit)) {
        qmodel.setActivationEnabled(point, true);
        if (qmodel.activation(point).initialized())
            qmodel.activation(point).setStepLearnable(false);
    }
}

Result<ReconStats> reconstructUnit(const RunContext &ctx, int b, const UnitCache &cache, const ReconOptions &options, RunPhase phase)
{
    const auto start = std::chrono::steady_clock::now();
    const graph::Unit &unit = ctx.units[size_t(b)];
    ReconStats stats;
    stats.iterations = options.iterations;
    UnitParameters params = prepareUnit(ctx.qmodel, unit, options);

    using torch::optim::AdamOptions;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    enum { Rounding_, WeightStep, ActStep };
    std::vector<int> groupKind;
    auto addGroup = [&](const std::vector<torch::Tensor> &ps, double lr, int kind) {
        if (ps.empty())
            return;
        groups.emplace_back(ps, std::make_unique<AdamOptions>(lr));
        groupKind.push_back(kind);
    };
    addGroup(params.rounding, options.lrRounding, Rounding_);
    addGroup(params.weightSteps, options.lrWeightStep, WeightStep);
    addGroup(params.actSteps, options.lrActStep, ActStep);
    if (groups.empty() || options.iterations <= 0) {
        fixUnit(ctx.qmodel, unit);
        return stats;
    }
    torch::optim::Adam adam(std::move(groups));

    const int64_t n = cache.xQ.size();
    const int window = std::max(1, options.iterations / 10);
    double firstSum = 0, lastSum = 0;
    const quant::TrainingModeGuard mode(ctx.qmodel, options.qdropProb);  // QDrop off again on every way out
    const LayerProbe probe(ctx, b, cache, options.probeEvery, options.probeBatch);
    std::vector<double> iterMs;
    iterMs.reserve(options.iterations);
    for (int t = 0; t < options.iterations; ++t) {
        if (probe.due(t))
            probe.sample(ctx, t);
        const auto iterStart = std::chrono::steady_clock::now();
        if (ctx.sink.shouldAbort()) {
            fixUnit(ctx.qmodel, unit);
            return makeError(ErrorCode::Aborted, QStringLiteral("cancelled in unit %1 at iteration %2")
                                                     .arg(QString::fromStdString(unit.name)).arg(t));
        }
        for (size_t g = 0; g < groupKind.size(); ++g) {
            auto &opts = static_cast<AdamOptions &>(adam.param_groups()[g].options());
            if (groupKind[g] == WeightStep)
                opts.lr(cosineLr(options.lrWeightStep, t, options.iterations));
            else if (groupKind[g] == ActStep)
                opts.lr(cosineLr(options.lrActStep, t, options.iterations));
        }
        const torch::Tensor idx = torch::randint(n, {std::min<int64_t>(options.batch, n)}, torch::kLong);
        const torch::Tensor xq = cache.xQ.rows(idx);
        torch::Tensor input = xq;
        if (options.qdropProb > 0) {
            const torch::Tensor xfp = cache.xFp.rows(idx);
            input = quant::qdropMix(xfp, xq, options.qdropProb);
        }
        const torch::Tensor out = ctx.executor.runUnit(unit, input, &ctx.qmodel);
        const torch::Tensor rec = reconstructionLoss(out, cache.yFp.rows(idx));
        const auto beta = roundingBeta(t, options.iterations, options.warmup, options.betaStart, options.betaEnd);
        torch::Tensor round = torch::zeros({});
        if (beta && options.learnRounding)
            round = options.roundingWeight * unitRoundingLoss(ctx.qmodel, unit, *beta);
        const torch::Tensor loss = rec + round;
        const double recValue = rec.item<double>(), lossValue = loss.item<double>();
        if (!std::isfinite(lossValue)) {
            fixUnit(ctx.qmodel, unit);
            return makeError(ErrorCode::Internal, QStringLiteral("the reconstruction loss became %1 in unit %2 at iteration %3; "
                                                                 "the run is stopped (no model is produced)")
                                                      .arg(lossValue).arg(QString::fromStdString(unit.name)).arg(t + 1));
        }
        adam.zero_grad();
        loss.backward();
        adam.step();
        iterMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - iterStart).count());
        if (t < window)
            firstSum += recValue;
        if (t >= options.iterations - window)
            lastSum += recValue;

        ProgressEvent ev;
        ev.phase = phase;
        ev.unit = b;
        ev.unitCount = int(ctx.units.size());
        ev.unitName = QString::fromStdString(unit.name);
        ev.iteration = t + 1;
        ev.iterations = options.iterations;
        ev.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.runStart).count();
        ev.values = {{QStringLiteral("rec"), recValue}, {QStringLiteral("round"), round.item<double>()},
                     {QStringLiteral("loss"), lossValue}};
        ctx.sink.progress(ev);
    }
    fixUnit(ctx.qmodel, unit);
    if (probe.enabled())  // the unit as fixed: hard rounding, no QDrop
        probe.sample(ctx, options.iterations);
    stats.firstLoss = firstSum / window;
    stats.lastLoss = lastSum / window;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats.medianIterationMs = median(std::move(iterMs));
    return stats;
}

}  // namespace metaaug::recon
