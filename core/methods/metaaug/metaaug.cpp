// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug: Genie-M plus MetaAug's meta phase (docs/algorithms.md). For every unit
// but the first and the last: phase A trains the shared transformation
// network T through a one-step lookahead of the unit's quantization
// parameters; phase B reconstructs the unit on the originals plus T(x).
// The first and last units are reconstructed as geniem on the originals.
#include "augment/imagestrip.h"
#include "augment/plateauscheduler.h"
#include "augment/randomaugment.h"
#include "augment/transformfile.h"
#include "augment/warmup.h"
#include "common/median.h"
#include "methods/method.h"
#include "metaaugfields.h"
#include "metastep.h"
#include "quant/dropmask.h"
#include "recon/batched.h"
#include "recon/unitcache.h"
#include "recon/schedules.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtCore/QFile>
#include <torch/torch.h>

namespace metaaug::methods {

namespace {

using Clock = std::chrono::steady_clock;
using recon::batched;

// What MetaAug carries from unit to unit (MetaAugRun owns it).
struct MetaAugState {
    MetaAugOptions options;
    augment::UNet t{nullptr};
    torch::Tensor fpLogits;  // FP logits of every calibration image (the outer loss's teacher)
    int featureNode = -1;    // the last linear layer: its input is the pooled penultimate feature
    int featureValue = -1;
    augment::TransformShape shape;  // T's shape, for its file
    torch::Tensor strip;            // the images of every image event (the first 8), so the slider shows them change
};

// The warm-up starts the residual T from a small random last layer: at the
// exact identity its loss has no gradient (docs/algorithms.md, "How T starts").
constexpr double kWarmupOutputStd = 1e-2;

// T's initial weights come from a generator seeded by the run's seed, and
// the global generator is left exactly as it was, so with M = 0 the data
// order equals geniem's.
augment::UNet makeTransform(const MetaAugOptions &o, const torch::Tensor &images, uint64_t seed, const ValidRange &range)
{
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    const at::Tensor saved = gen.get_state();
    gen.set_current_seed(seed ^ 0x6d657461617567ULL);  // "metaaug"
    augment::UNetOptions u = o.unet;
    u.channels = int(images.size(1));
    augment::UNet t(u, images.size(2), images.size(3));
    if (o.tInit == TInit::Warmup && u.residual)
        t->randomizeOutput(kWarmupOutputStd);
    gen.set_state(saved);
    if (!range.low.empty())
        t->setValidRange(range.low, range.high, range.std);
    return t;
}

// The FP model's pooled penultimate features (the input of the last linear
// layer): what PKT compares, in the warm-up and in the outer loss.
std::function<torch::Tensor(const torch::Tensor &)> fpFeatures(const graph::Executor &ex, const MetaAugState &s)
{
    return [&ex, node = s.featureNode, value = s.featureValue](const torch::Tensor &x) { return ex.runRange(0, node, 0, x, value); };
}

void emitStrip(RunSink &sink, int unit, int iteration, const torch::Tensor &x, const torch::Tensor &xt)
{
    const double lo = x.min().item<double>(), hi = x.max().item<double>();
    ImageEvent ev;
    ev.unit = unit;
    ev.iteration = iteration;
    ev.originals = augment::imageStrip(x, lo, hi);
    ev.transformed = augment::imageStrip(xt.detach(), lo, hi);
    sink.image(ev);
}

// Image event of T on the strip images, with T's BatchNorm in eval mode:
// the T(x) that phase B trains on.
void emitImages(RunSink &sink, int unit, int iteration, MetaAugState &s)
{
    torch::NoGradGuard ng;
    const bool training = s.t->is_training();
    s.t->eval();
    const torch::Tensor xt = s.t->forward(s.strip);
    s.t->train(training);
    emitStrip(sink, unit, iteration, s.strip, xt);
}

Result<void> startTransform(MethodContext &ctx, MetaAugState &s)
{
    const MetaAugOptions &o = s.options;
    if (o.tInit == TInit::File) {
        QFile f(o.tInitPath);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::NotFound, QStringLiteral("cannot read the T file %1 (--t-init): %2").arg(o.tInitPath, f.errorString()));
        if (auto r = augment::readTransform(f.readAll(), o.tInitPath, s.t, s.shape); !r)
            return r;
        ctx.sink.log(QStringLiteral("metaaug: T loaded from %1; MSE(T(x), x) = %2 (eps %3)")
                         .arg(o.tInitPath).arg(augment::transformMse(s.t, ctx.calibImages.slice(0, 0, 64)), 0, 'g', 4).arg(o.eps));
        return {};
    }
    if (o.tInit != TInit::Warmup)
        return {};
    augment::WarmupOptions w;
    w.maxSteps = o.warmupSteps;
    w.lr = o.warmupLr;
    w.beta = o.warmupBeta;
    w.gamma = o.warmupGamma;
    w.eps = o.eps;
    w.batch = int(ctx.recon.batch);
    // The warm-up's start, so a front end shows it before its first step ends.
    auto warmupEvent = [&ctx, &o](int step) {
        ProgressEvent ev;
        ev.phase = RunPhase::Warmup;
        ev.unitCount = int(ctx.units.size());
        ev.iteration = step;
        ev.iterations = o.warmupSteps;
        ev.elapsedSeconds = std::chrono::duration<double>(Clock::now() - ctx.runStart).count();
        return ev;
    };
    ctx.sink.progress(warmupEvent(0));
    augment::WarmupHooks hooks;
    hooks.features = fpFeatures(ctx.executor, s);
    hooks.abort = [&ctx] { return ctx.sink.shouldAbort(); };
    hooks.step = [&ctx, &s, &o, &warmupEvent](const augment::WarmupStep &st) {
        ProgressEvent ev = warmupEvent(st.step);
        ev.values = {{QStringLiteral("warmup_loss"), st.loss}, {QStringLiteral("t_mse"), st.mse},
                     {QStringLiteral("pkt"), st.pkt}, {QStringLiteral("ref.eps"), o.eps}};
        ctx.sink.progress(ev);
        if (st.step % o.imageEvery == 0)
            emitImages(ctx.sink, -1, st.step, s);
    };
    bool aborted = false;
    const augment::WarmupReport r = augment::warmUpTransform(s.t, ctx.calibImages, w, hooks, &aborted);
    if (aborted)
        return makeError(ErrorCode::Aborted, QStringLiteral("cancelled in T's warm-up at step %1").arg(r.steps));
    emitImages(ctx.sink, -1, r.steps, s);
    ctx.summary[QStringLiteral("warmup_steps")] = r.steps;
    ctx.summary[QStringLiteral("warmup_seconds")] = r.seconds;
    ctx.summary[QStringLiteral("warmup_start_mse")] = r.startMse;
    ctx.summary[QStringLiteral("warmup_mse")] = r.finalMse;
    ctx.summary[QStringLiteral("warmup_reached")] = r.reached;
    ctx.sink.log(QStringLiteral("metaaug: T's warm-up: MSE(T(x), x) %1 -> %2 (eps %3%4) in %5 steps, %6 s")
                     .arg(r.startMse, 0, 'g', 3).arg(r.finalMse, 0, 'g', 3).arg(o.eps)
                     .arg(r.reached ? QString() : QStringLiteral(", NOT reached: the step limit came first"))
                     .arg(r.steps).arg(r.seconds, 0, 'f', 1));
    return {};
}

Result<std::unique_ptr<MetaAugState>> makeState(MethodContext &ctx)
{
    auto opts = MetaAugOptions::fromJson(ctx.options);
    if (!opts)
        return opts.error();
    auto state = std::make_unique<MetaAugState>();
    state->options = *opts;
    const graph::Graph &g = ctx.executor.graph();
    for (int node : g.layers())
        if (g.nodes[node].op == graph::OpKind::Linear)
            state->featureNode = node;
    if (state->featureNode < 0)
        return makeError(ErrorCode::Unsupported, QStringLiteral("metaaug needs a final linear layer (its input is the feature of the PKT loss); "
                                                                "this model has none"));
    state->featureValue = g.nodes[state->featureNode].inputs[0];
    state->strip = ctx.calibImages.slice(0, 0, std::min<int64_t>(8, ctx.calibImages.size(0)));
    {
        ProgressEvent ev;  // a whole-set pass: at 224x224 it takes a while
        ev.phase = RunPhase::Setup;
        ev.unitCount = int(ctx.units.size());
        ev.detail = QStringLiteral("metaaug: FP logits of %1 calibration images").arg(ctx.calibImages.size(0));
        ev.elapsedSeconds = std::chrono::duration<double>(Clock::now() - ctx.runStart).count();
        ctx.sink.progress(ev);
        torch::NoGradGuard ng;
        state->fpLogits = batched(ctx.calibImages, ctx.wholeSetBatch, [&](const torch::Tensor &x) { return ctx.executor.run(x); });
    }
    if (state->options.augment == Augment::Random) {
        ctx.sink.log(QStringLiteral("metaaug: control --augment random: no T; phase B on the originals plus one random "
                                    "shift%1/noise copy per image at MSE eps = %2")
                         .arg(ctx.horizontalFlip ? QStringLiteral("/flip") : QString()).arg(state->options.eps));
    } else {
        state->t = makeTransform(state->options, ctx.calibImages, ctx.seed, ctx.validRange);
        state->shape.channels = int(ctx.calibImages.size(1));
        state->shape.height = ctx.calibImages.size(2);
        state->shape.width = ctx.calibImages.size(3);
        state->shape.unet = state->options.unet;
        state->shape.unet.channels = state->shape.channels;
        state->shape.unet.depth = state->t->depth();
        ctx.sink.log(QStringLiteral("metaaug: T is a U-Net of depth %1, width %2 (%3 parameters), %4 output")
                         .arg(state->t->depth()).arg(state->options.unet.width).arg(state->t->parameterCount())
                         .arg(state->options.unet.residual ? QStringLiteral("residual") : QStringLiteral("plain")));
        if (auto r = startTransform(ctx, *state); !r)
            return r.error();
    }
    return state;
}

// The engine side of MetaProblem for unit b.
MetaProblem bindProblem(MethodContext &ctx, const graph::Unit &unit, const MetaAugState &s, const recon::ReconOptions &recon)
{
    const graph::Executor &ex = ctx.executor;
    quant::QuantizedModel &q = ctx.qmodel;
    MetaProblem p;
    p.fpPrefix = [&ex, &unit](const torch::Tensor &x) { return ex.runPrefix(unit, x); };
    p.qPrefix = [&ex, &unit, &q](const torch::Tensor &x) { return ex.runPrefix(unit, x, &q); };
    p.fpUnit = [&ex, &unit](const torch::Tensor &x) { return ex.runUnit(unit, x); };
    p.qUnit = [&ex, &unit, &q, drop = recon.qdropProb](const torch::Tensor &x, bool train) {
        // train = the inner loss, whose gradient is differentiated again.
        const quant::TrainingModeGuard mode(q, train ? drop : 0.0, train);
        return ex.runUnit(unit, x, &q);
    };
    p.fpSuffix = [&ex, &unit](const torch::Tensor &y) { return ex.runSuffix(unit, y); };
    p.fpFeatures = fpFeatures(ex, s);
    p.roundingLoss = [&q, &unit](double beta) { return recon::unitRoundingLoss(q, unit, beta); };
    p.roundingWeight = recon.roundingWeight;
    p.qdropProb = recon.qdropProb;
    // theta: exactly the tensors prepareUnit() made trainable.
    ThetaGroup rounding{{}, recon.lrRounding}, wsteps{{}, recon.lrWeightStep}, asteps{{}, recon.lrActStep};
    for (int layer : unit.layers) {
        quant::WeightQuantizer &w = q.weight(layer);
        if (w.hasAdaRound() && w.roundingLogits().requires_grad())
            rounding.params.push_back(&w.roundingLogits());
        if (w.scaleParameter().requires_grad())
            wsteps.params.push_back(&w.scaleParameter());
    }
    for (int point : q.pointsOf(unit))
        if (q.activation(point).initialized() && q.activation(point).stepParameter().requires_grad())
            asteps.params.push_back(&q.activation(point).stepParameter());
    p.theta = {rounding, wsteps, asteps};
    return p;
}

struct PhaseAStats {
    double seconds = 0, medianMs = 0;
    double tChange = 0;  // ||T_end - T_start|| / ||T_start|| over this unit's phase A
    double innerRatio = 0, topShare = 0;  // medians over the meta iterations (MetaTerms, "inner_ratio")
};

double relativeChange(const std::vector<torch::Tensor> &before, const std::vector<torch::Tensor> &after)
{
    torch::NoGradGuard ng;
    double diff = 0, norm = 0;
    for (size_t i = 0; i < before.size(); ++i) {
        diff += (after[i] - before[i]).pow(2).sum().item<double>();
        norm += before[i].pow(2).sum().item<double>();
    }
    return norm > 0 ? std::sqrt(diff / norm) : 0.0;
}

// Phase A for unit b: M meta iterations that train T; theta is left unchanged.
Result<PhaseAStats> metaPhase(MethodContext &ctx, int b, const recon::UnitCache &cache, MetaAugState &s,
                              const recon::ReconOptions &recon)
{
    const auto start = Clock::now();
    const graph::Unit &unit = ctx.units[b];
    const MetaAugOptions &o = s.options;
    recon::prepareUnit(ctx.qmodel, unit, recon);
    const MetaProblem problem = bindProblem(ctx, unit, s, recon);
    std::vector<torch::Tensor> tParams = s.t->parameters();
    std::vector<torch::Tensor> tStart;
    for (const torch::Tensor &p : tParams)
        tStart.push_back(p.detach().clone());
    torch::optim::Adam adam(tParams, torch::optim::AdamOptions(o.tLr));  // fresh for every unit
    augment::PlateauScheduler plateau(adam, o.plateauPatience, o.plateauFactor);
    s.t->train();
    const int64_t n = ctx.calibImages.size(0);
    const int M = o.metaIterations;
    std::vector<double> iterMs, ratios, topShares;
    for (int it = 0; it < M; ++it) {
        const auto iterStart = Clock::now();
        if (ctx.sink.shouldAbort())
            return makeError(ErrorCode::Aborted, QStringLiteral("cancelled in unit %1 at meta iteration %2")
                                                     .arg(QString::fromStdString(unit.name)).arg(it));
        MetaBatch batch;
        batch.images = ctx.calibImages.index_select(0, torch::randint(n, {std::min<int64_t>(recon.batch, n)}, torch::kLong));
        const torch::Tensor v = torch::randint(n, {std::min<int64_t>(o.outerBatch, n)}, torch::kLong);
        batch.outerInput = cache.xQ.rows(v);
        batch.outerTeacher = s.fpLogits.index_select(0, v);
        batch.roundingBeta = recon::roundingBeta(it, M, recon.warmup, recon.betaStart, recon.betaEnd);
        batch.mixTransformed = augment::drawMixup(batch.images.size(0), o.mixupAlpha);
        batch.mixOriginal = o.mixup == MixupMode::Shared ? batch.mixTransformed
                                                         : augment::drawMixup(batch.images.size(0), o.mixupAlpha);
        MetaTerms terms = metaOuterLoss(problem, s.t, o, batch);
        // The same reconstruction term on originals (their cached inputs, with
        // the same QDrop mix): how much harder T(x) is for the unit.
        double innerOriginal = 0;
        {
            torch::NoGradGuard ng;
            const torch::Tensor xFpV = cache.xFp.rows(v);
            torch::Tensor in = cache.xQ.rows(v);
            if (problem.qdropProb > 0)
                in = torch::lerp(in, xFpV, quant::dropMask(xFpV, problem.qdropProb).to(xFpV.scalar_type()));
            innerOriginal = recon::reconstructionLoss(problem.qUnit(in, true), cache.yFp.rows(v)).item<double>();
        }
        const double innerRatio = innerOriginal > 0 ? terms.innerRec / innerOriginal : 0.0;
        ratios.push_back(innerRatio);
        topShares.push_back(terms.topShare);
        const double outer = terms.outer.item<double>();
        if (!std::isfinite(outer) || !std::isfinite(terms.inner))
            return makeError(ErrorCode::Internal, QStringLiteral("the meta loss became %1 (inner %2) in unit %3 at meta iteration %4; "
                                                                 "the run is stopped (no model is produced)")
                                                      .arg(outer).arg(terms.inner).arg(QString::fromStdString(unit.name)).arg(it + 1));
        const auto grads = torch::autograd::grad({terms.outer}, tParams, {}, false, false, /*allow_unused=*/true);
        for (size_t i = 0; i < tParams.size(); ++i)
            tParams[i].mutable_grad() = grads[i].defined() ? grads[i] : torch::zeros_like(tParams[i]);
        torch::nn::utils::clip_grad_norm_(tParams, o.tClip);
        adam.step();
        plateau.step(outer);
        iterMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - iterStart).count());

        ProgressEvent ev;
        ev.phase = RunPhase::MetaLearning;
        ev.unit = b;
        ev.unitCount = int(ctx.units.size());
        ev.unitName = QString::fromStdString(unit.name);
        ev.iteration = it + 1;
        ev.iterations = M;
        ev.elapsedSeconds = std::chrono::duration<double>(Clock::now() - ctx.runStart).count();
        ev.values = {{QStringLiteral("inner"), terms.inner}, {QStringLiteral("kl"), terms.kl},
                     {QStringLiteral("margin"), terms.margin}, {QStringLiteral("pkt"), terms.pkt},
                     {QStringLiteral("outer"), outer}, {QStringLiteral("t_lr"), plateau.lr()},
                     {QStringLiteral("t_mse"), terms.transformMse}, {QStringLiteral("ref.eps"), o.eps},
                     {QStringLiteral("inner_t"), terms.innerRec}, {QStringLiteral("inner_orig"), innerOriginal},
                     {QStringLiteral("inner_ratio"), innerRatio}, {QStringLiteral("t_top1pct"), terms.topShare},
                     {QStringLiteral("t_tv"), terms.tv}};
        ctx.sink.progress(ev);
        if ((it + 1) % o.imageEvery == 0 || it + 1 == M)
            emitImages(ctx.sink, b, it + 1, s);
    }
    for (torch::Tensor &p : tParams)
        p.mutable_grad() = torch::Tensor();
    s.t->eval();
    const double change = relativeChange(tStart, tParams);
    ctx.sink.log(QStringLiteral("metaaug: unit %1: T's weights moved %2 % in %3 meta iterations")
                     .arg(QString::fromStdString(unit.name)).arg(100.0 * change, 0, 'g', 3).arg(M));
    return PhaseAStats{std::chrono::duration<double>(Clock::now() - start).count(), median(iterMs), change,
                       ratios.empty() ? 0.0 : median(ratios), topShares.empty() ? 0.0 : median(topShares)};
}

// The second copy of every calibration image for phase B: T(x) with T
// fixed (eval mode), or for the random control a fresh draw for this unit
// from a generator of its own (the run's random stream is left alone).
torch::Tensor augmentedImages(MethodContext &ctx, int b, MetaAugState &s)
{
    torch::NoGradGuard ng;
    if (s.options.augment == Augment::Random) {
        augment::RandomAugmentOptions ro;
        ro.eps = s.options.eps;
        ro.horizontalFlip = ctx.horizontalFlip;
        return augment::randomAugment(ctx.calibImages, ro, at::detail::createCPUGenerator(ctx.seed ^ (0x72616e64ULL + uint64_t(b))));
    }
    s.t->eval();
    return batched(ctx.calibImages, ctx.wholeSetBatch, [&](const torch::Tensor &x) { return s.t->forward(x); });
}

// The unit's cache extended by the augmented copies.
recon::UnitCache unionCache(MethodContext &ctx, const graph::Unit &unit, const recon::UnitCache &cache, const torch::Tensor &tx)
{
    torch::NoGradGuard ng;
    const quant::TrainingModeGuard noDrop(ctx.qmodel, 0.0);
    const recon::RowStore images = recon::RowStore::wrap(tx);
    const int64_t batch = ctx.wholeSetBatch;
    const recon::RowStore xFp = recon::mapRows(images, batch, ctx.cachePolicy, [&](const torch::Tensor &x) { return ctx.executor.runPrefix(unit, x); });
    const recon::RowStore xQ =
        recon::mapRows(images, batch, ctx.cachePolicy, [&](const torch::Tensor &x) { return ctx.executor.runPrefix(unit, x, &ctx.qmodel); });
    const recon::RowStore yFp = recon::mapRows(xFp, batch, ctx.cachePolicy, [&](const torch::Tensor &x) { return ctx.executor.runUnit(unit, x); });
    recon::UnitCache u;
    u.xFp = recon::RowStore::concat(cache.xFp, xFp);
    u.xQ = recon::RowStore::concat(cache.xQ, xQ);
    u.yFp = recon::RowStore::concat(cache.yFp, yFp);
    return u;
}

// Share of the first `n` calibration images whose FP top-1 on the
// augmented copy equals their FP top-1 on the original: does T keep classes?
double classKeptShare(MethodContext &ctx, const MetaAugState &s, const torch::Tensor &augmented, int64_t n)
{
    torch::NoGradGuard ng;
    n = std::min<int64_t>(n, augmented.size(0));
    const torch::Tensor onAug = ctx.executor.run(augmented.slice(0, 0, n)).argmax(1);
    return onAug.eq(s.fpLogits.slice(0, 0, n).argmax(1)).to(torch::kDouble).mean().item<double>();
}

// The final T as the run's "transform" artefact, with its hash and the
// MSE(T(x), x) it ends with in the summary.
void saveTransform(MethodContext &ctx, MetaAugState &s)
{
    QString hash;
    ctx.artefacts[QStringLiteral("transform")] = augment::writeTransform(s.t, s.shape, &hash);
    ctx.summary[QStringLiteral("t_sha256")] = hash;
    ctx.summary[QStringLiteral("t_shape")] = s.shape.describe();
    ctx.summary[QStringLiteral("t_mse_final")] = augment::transformMse(s.t, ctx.calibImages);
}

// One MetaAug run: T and the FP logits live here from the first unit to the last.
class MetaAugRun final : public MethodRun {
public:
    explicit MetaAugRun(std::unique_ptr<MetaAugState> state) : m_state(std::move(state)) {}
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) override
    {
        MetaAugState &s = *m_state;
        const recon::ReconOptions recon = geniemOptions(ctx.recon);
        const bool meta = b > 0 && b + 1 < int(ctx.units.size());
        if (b + 1 == int(ctx.units.size()) && s.t)
            saveTransform(ctx, s);
        if (!meta)
            return reconstructPasses(ctx, b, cache, {recon});

        const auto start = Clock::now();
        UnitReport report;
        report.unit = QString::fromStdString(ctx.units[b].name);
        report.metrics[QStringLiteral("t_change")] = 0.0;
        if (s.options.metaUpdates()) {
            auto a = metaPhase(ctx, b, cache, s, recon);
            if (!a) {
                recon::fixUnit(ctx.qmodel, ctx.units[b]);
                return a.error();
            }
            report.phaseSeconds[QStringLiteral("meta")] = a->seconds;
            report.medianIterationMs[QStringLiteral("meta")] = a->medianMs;
            report.metrics[QStringLiteral("t_change")] = a->tChange;
            report.metrics[QStringLiteral("inner_ratio")] = a->innerRatio;
            report.metrics[QStringLiteral("t_top1pct")] = a->topShare;
        } else if (s.t) {
            emitImages(ctx.sink, b, 0, s);  // T as phase B uses it, once per unit
        }

        const auto t0 = Clock::now();
        recon::ReconOptions phaseB = recon;
        recon::UnitCache augmented;
        if (s.options.phaseBUnion) {
            ProgressEvent ev;  // T(x) and its activations for every calibration image: whole-set passes
            ev.phase = RunPhase::Reconstruction;
            ev.unit = b;
            ev.unitCount = int(ctx.units.size());
            ev.unitName = report.unit;
            ev.detail = QStringLiteral("augmented cache of %1 images").arg(ctx.calibImages.size(0));
            ev.elapsedSeconds = std::chrono::duration<double>(Clock::now() - ctx.runStart).count();
            ctx.sink.progress(ev);
            const torch::Tensor tx = augmentedImages(ctx, b, s);
            if (s.options.augment == Augment::Random)
                emitStrip(ctx.sink, b, 0, s.strip, tx.slice(0, 0, s.strip.size(0)));
            {
                torch::NoGradGuard ng;
                report.metrics[QStringLiteral("t_mse")] = (tx - ctx.calibImages).pow(2).mean().item<double>();
            }
            report.metrics[QStringLiteral("class_kept")] = classKeptShare(ctx, s, tx, s.options.outerBatch);
            augmented = unionCache(ctx, ctx.units[b], cache, tx);
            phaseB.batch = s.options.phaseBBatch;
        }
        const double cacheSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
        auto stats = recon::reconstructUnit(ctx, b, s.options.phaseBUnion ? augmented : cache, phaseB);
        if (!stats)
            return stats.error();
        report.firstLoss = stats->firstLoss;
        report.finalLoss = stats->lastLoss;
        report.phaseSeconds[QStringLiteral("augmented_cache")] = cacheSeconds;
        report.phaseSeconds[QStringLiteral("reconstruction")] = stats->seconds;
        report.medianIterationMs[QStringLiteral("reconstruction")] = stats->medianIterationMs;
        report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return report;
    }

private:
    std::unique_ptr<MetaAugState> m_state;
};

// A meta iteration holds, per image of its batch, T's activations, the
// quantized prefix and unit with the inner step's second-order graph, and
// (with PKT) the FP features of T(x); per image of the outer batch, the
// unit and FP suffix. The quantized forward keeps about this many times
// what the FP forward keeps (fake-quant inputs, masks, the create_graph
// copies), and backward adds gradients of about half the saved values:
// both measured on ResNet-20, MobileNetV2-style and ResNet-18 at 224
// (bench/memory_plan.jsonl).
constexpr double kQuantizedRetains = 2.0;
constexpr double kBackwardFactor = 1.5;

class MetaAug final : public Method {
public:
    QString id() const override { return QStringLiteral("metaaug"); }
    int calibrationCopies() const override { return 2; }
    MethodWorkingSet workingSet(const QJsonObject &options, const graph::Executor &ex, const torch::Tensor &oneImage,
                                int64_t batch) const override
    {
        auto o = MetaAugOptions::fromJson(options);
        if (!o)
            return {};
        MethodWorkingSet w;
        w.reconstructionBatch = std::max<int64_t>(batch, o->phaseBBatch);
        const torch::Tensor two = oneImage.expand({2, -1, -1, -1}).contiguous();
        augment::UNet t = makeTransform(*o, two, 0, {{-1e9}, {1e9}, {1.0}});
        const int64_t tBytes = recon::retainedBytes([&] { return t->forward(two); }) / 2;
        const int64_t netBytes = recon::retainedBytes([&] { return ex.run(two.clone().requires_grad_(true)); }) / 2;
        const double perImage = double(tBytes) + kQuantizedRetains * double(netBytes) + (o->gamma > 0 ? double(netBytes) : 0.0);
        const double bytes = double(batch) * perImage + double(o->outerBatch) * double(netBytes);
        w.bytes = o->augment == Augment::Transform ? int64_t(kBackwardFactor * bytes) : 0;
        w.phase = QStringLiteral("meta iteration (T keeps %1 MiB per image)").arg(double(tBytes) / double(1 << 20), 0, 'f', 1);
        return w;
    }
    QString description() const override
    {
        return QStringLiteral("MetaAug: Genie-M whose calibration set is augmented by a transformation network "
                              "trained with a bi-level (meta) objective.");
    }
    const FieldTable &options() const override { return metaAugFields(); }
    Result<QJsonObject> resolveOptions(const QJsonObject &options) const override
    {
        auto o = MetaAugOptions::fromJson(options);
        if (!o)
            return o.error();
        return o->toJson();
    }
    Result<std::unique_ptr<MethodRun>> start(MethodContext &ctx) const override
    {
        auto state = makeState(ctx);
        if (!state)
            return state.error();
        return std::unique_ptr<MethodRun>(std::make_unique<MetaAugRun>(std::move(*state)));
    }
};
const MetaAug kMethod;
const MethodRegistration kReg(&kMethod);

}  // namespace

}  // namespace metaaug::methods
