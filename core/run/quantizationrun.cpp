// SPDX-License-Identifier: GPL-3.0-or-later
#include "quantizationrun.h"

#include "model/classcheck.h"

#include "analysis/budget.h"
#include "common/runtime.h"
#include "common/tensorcache.h"
#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "eval/comparison.h"
#include "methods/method.h"
#include "memoryplan.h"
#include "analysis/propagation.h"
#include "mixedprecision.h"
#include "runidentity.h"
#include "model/model.h"
#include "quant/layerbits.h"
#include "recon/unitcache.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>

#include <chrono>

namespace metaaug {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

Result<RunOutcome> runImpl(const RunSpec &spec, RunSink &sink)
{
    const auto start = Clock::now();
    std::map<QString, double> phases;
    auto methodOptions = spec.validate();  // complete method options
    if (!methodOptions)
        return methodOptions.error();
    const methods::Method *method = methods::findMethod(spec.method);
    setThreads(spec.threads);
    torch::manual_seed(spec.seed);
    // Setup is a few steps of unlike lengths: each says what it does as it begins.
    const int setupSteps = spec.bits == QLatin1String("auto") ? 8 : 7;
    int setupStep = 0;
    auto setup = [&](const QString &what) {
        ProgressEvent ev;
        ev.phase = RunPhase::Setup;
        ev.iteration = ++setupStep;
        ev.iterations = setupSteps;
        ev.detail = what;
        ev.elapsedSeconds = secondsSince(start);
        sink.progress(ev);
    };

    setup(QStringLiteral("loading the model %1").arg(QFileInfo(spec.modelPath).fileName()));
    auto model = loadSpecModel(spec);
    if (!model)
        return model.error();
    const PreprocessSpec &pre = model->card().preprocess;
    sink.log(QStringLiteral("model %1: %2 layers, %3 units").arg(model->path()).arg(model->graph().layers().size())
                 .arg(model->partition().units.size()));

    setup(QStringLiteral("opening the data sources"));
    auto calib = openDataSource(spec.calibSource, pre);
    if (!calib)
        return calib.error();
    auto selection = selectCalibration(*calib, spec.calibSize, spec.seed);
    if (!selection)
        return selection.error();
    auto evalData = openDataSource(spec.evalSource, pre);
    if (!evalData)
        return evalData.error();
    sink.identity(runIdentity(*model, *selection, {{"calib_skipped", &*calib}, {"eval_skipped", &*evalData}}));

    const auto &units = model->partition().units;
    const torch::Tensor calibIdx = selection->indexTensor();
    // Only the sample is read (and decoded) here; a file of it that changed
    // or does not decode fails the run now, before any work.
    setup(QStringLiteral("reading %1 calibration images").arg(calibIdx.numel()));
    auto calibInput = calib->input(calibIdx);
    if (!calibInput)
        return calibInput.error();
    const torch::Tensor calibImages = std::move(*calibInput);
    // Cache files (unlinked at once) go to a folder of the run's own.
    QTemporaryDir cacheDir(QDir(QDir::tempPath()).filePath(QStringLiteral("metaaug-run-XXXXXX")));
    MemoryPlanInput planIn;
    planIn.executor = &model->executor();
    planIn.units = &units;
    planIn.oneImage = calibImages.slice(0, 0, 1);
    planIn.calibSize = calibImages.size(0);
    planIn.evalImages = (spec.evalLimit > 0 ? std::min(spec.evalLimit, evalData->size()) : evalData->size()) +
                        (calib->labelled() ? calibImages.size(0) : 0);
    planIn.iterations = spec.iterations;  // per unit: the units together make one model
    planIn.batch = spec.batch;
    planIn.cacheCopies = method->calibrationCopies();
    planIn.reconstructs = method->reconstructs();
    planIn.cacheDtype = recon::cacheDtypeFromName(spec.cacheDtype);
    addMethodWorkingSet(planIn, *method, *methodOptions);
    setup(QStringLiteral("planning memory and time"));
    auto plan = planMemory(planIn, recon::availableMemoryBytes(), cacheDir.path());
    if (!plan)
        return plan.error();
    QStringList planLines = plan->lines();
    if (model->softmaxHead())
        planLines.prepend(QStringLiteral("model ends in %1: top-1, KL and agreement are computed on the logits before it (exports keep it)")
                              .arg(QLatin1String(model->softmaxHead())));
    {
        // Labels that cannot be the model's outputs: said before any work.
        torch::NoGradGuard ng;
        const int outputs = int(model->executor().run(planIn.oneImage).size(1));
        for (const ImageDataset *d : {&*calib, &*evalData})
            for (const QString &w : classMismatchWarnings({d->source, d->classNames, d->labelled(), outputs, model->card().classNames}))
                if (!planLines.contains(QStringLiteral("warning: ") + w))
                    planLines << QStringLiteral("warning: ") + w;
    }
    sink.plan(planLines);

    auto layerBits = quant::parseLayerBits(spec.layerBits);
    if (!layerBits)
        return layerBits.error();
    auto bitPlan = quant::applyLayerBits(model->executor(), quant::planBits(model->executor(), spec.wbits, spec.abits, spec.setting),
                                         *layerBits);
    if (!bitPlan)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("model %1: %2").arg(model->path(), bitPlan.error().message));
    setup(QStringLiteral("measuring the layers' costs"));
    const std::vector<analysis::LayerCost> costs = analysis::layerCosts(model->executor(), calibImages);
    QJsonObject allocation;
    if (spec.bits == QLatin1String("auto")) {
        setup(QStringLiteral("choosing the bits of each layer"));
        auto mixed = chooseMixedPrecision(spec, *model, *bitPlan, *layerBits, costs, calibImages, sink);
        if (!mixed)
            return mixed.error();
        *bitPlan = mixed->plan;
        allocation = mixed->record;
    }
    // The grids' searches (100 candidates each) are two steps: which one is long depends on the model.
    setup(QStringLiteral("fitting the weight grids of %1 layers").arg(bitPlan->weightBits.size()));
    quant::QuantizedModel qmodel(model->sharedExecutor(), *bitPlan);
    // The grids are fitted on one batch of up to 256 images (fewer where one
    // batch of large images would not fit the whole-set batch memory).
    const torch::Tensor fitImages = calibImages.slice(0, 0, std::min({int64_t(256), calibImages.size(0), plan->wholeSetBatch}));
    setup(QStringLiteral("fitting the activation grids on %1 images").arg(fitImages.size(0)));
    qmodel.initializeActivations(fitImages);
    phases[QStringLiteral("setup")] = secondsSince(start);

    methods::MethodContext ctx{{model->executor(), units, qmodel, sink, start, plan->policy, plan->wholeSetBatch},
                               calibImages, {}, *methodOptions};
    ctx.seed = spec.seed;
    ctx.horizontalFlip = model->card().horizontalFlip;
    {
        const PreprocessSpec &pre = model->card().preprocess;
        for (size_t c = 0; c < pre.mean.size() || c < pre.std.size(); ++c) {
            const double mean = pre.mean[std::min(c, pre.mean.size() - 1)], sd = pre.std[std::min(c, pre.std.size() - 1)];
            ctx.validRange.low.push_back((0.0 - mean) / sd);
            ctx.validRange.high.push_back((255.0 * pre.scale - mean) / sd);
            ctx.validRange.std.push_back(sd);
        }
    }
    ctx.recon.iterations = spec.iterations;
    ctx.recon.batch = spec.batch;
    ctx.recon.probeEvery = spec.probeEvery;
    recon::CacheBuilder caches(model->executor(), units, plan->policy, std::min<int64_t>(64, plan->wholeSetBatch));
    RunResult result;
    std::unique_ptr<methods::MethodRun> methodRun;
    for (int b = 0; b < int(units.size()); ++b) {
        if (sink.shouldAbort())
            return makeError(ErrorCode::Aborted, QStringLiteral("cancelled before unit %1").arg(QString::fromStdString(units[b].name)));
        ProgressEvent ev;
        ev.phase = RunPhase::Calibration;
        ev.unit = b;
        ev.unitCount = int(units.size());
        ev.unitName = QString::fromStdString(units[b].name);
        if (!method->reconstructs())  // no cache: the method's own step (rtn rounds)
            ev.detail = spec.method;
        ev.elapsedSeconds = secondsSince(start);
        sink.progress(ev);
        const auto t0 = Clock::now();
        recon::UnitCache cache;
        if (method->reconstructs())
            cache = caches.build(b, calibImages, qmodel);
        phases[QStringLiteral("calibration")] += secondsSince(t0);
        releaseTensorCache();  // the cache build's shapes do not come again
        if (!methodRun) {  // on the first unit, its cache built: where a method's run has always begun
            auto started = method->start(ctx);
            if (!started)
                return started.error();
            methodRun = std::move(*started);
        }
        auto report = methodRun->quantizeUnit(ctx, b, cache);
        releaseTensorCache();
        if (!report)
            return report.error();
        for (const auto &[phase, s] : report->phaseSeconds)
            phases[phase] += s;
        result.units.push_back(UnitResult{report->unit, report->firstLoss, report->finalLoss, report->seconds,
                                          report->medianIterationMs, report->metrics});
    }

    const auto t1 = Clock::now();
    // Evaluation in images, one event per batch (none with values: nothing to store).
    auto evaluating = [&](const QString &set, int64_t done, int64_t total) {
        ProgressEvent ev;
        ev.phase = RunPhase::Evaluation;
        ev.unitCount = int(units.size());
        ev.detail = set;
        ev.iteration = int(done);
        ev.iterations = int(total);
        ev.elapsedSeconds = secondsSince(start);
        sink.progress(ev);
    };
    auto abort = [&sink] { return sink.shouldAbort(); };
    const int64_t evalN = spec.evalLimit > 0 ? std::min(spec.evalLimit, evalData->size()) : evalData->size();
    const QString testSet = QStringLiteral("test set"), calibSet = QStringLiteral("calibration set");
    evaluating(testSet, 0, evalN);
    auto onEval = compareFpAndQuantized(model->executor(), qmodel, *evalData, torch::arange(evalN), plan->wholeSetBatch, abort,
                                        [&](int64_t done, int64_t total) { evaluating(testSet, done, total); });
    if (!onEval)
        return onEval.error();
    Comparison onCalib;
    if (calib->labelled()) {
        evaluating(calibSet, 0, calibIdx.numel());
        auto c = compareFpAndQuantized(model->executor(), qmodel, *calib, calibIdx, plan->wholeSetBatch, abort,
                                       [&](int64_t done, int64_t total) { evaluating(calibSet, done, total); });
        if (!c)
            return c.error();
        onCalib = *c;
    }
    evaluating(QStringLiteral("per-layer SQNR"), 0, 0);
    const auto sq = layerSqnr(model->executor(), qmodel, calibImages.slice(0, 0, std::min<int64_t>(64, calibImages.size(0))),
                              std::max<int64_t>(1, plan->wholeSetBatch / 4), plan->batchBytes);
    for (size_t i = 0; i < sq.size(); ++i) {
        const int node = model->graph().layers()[i];
        const int point = model->executor().pointOfValue(model->graph().nodes[node].inputs[0]);
        LayerMetricEvent me{QString::fromStdString(sq[i].layer), QStringLiteral("output_sqnr_db"), sq[i].outputDb};
        sink.layerMetric(me);
        auto finite = [](double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; };
        result.layers.push_back(LayerResult{QString::fromStdString(sq[i].layer), qmodel.plan().weightBits.at(node),
                                            qmodel.plan().activationBits[point], finite(sq[i].weightDb), finite(sq[i].outputDb),
                                            sq[i].outputMse});
    }
    evaluating(QStringLiteral("error propagation"), 0, 0);
    {
        const analysis::Propagation prop = analysis::propagateErrors(
            model->executor(), qmodel, calibImages.slice(0, 0, std::min<int64_t>(64, calibImages.size(0))),
            std::max<int64_t>(1, plan->wholeSetBatch / 4), plan->batchBytes);
        result.propagation = prop.layers;
        result.findings = prop.findings;
        // Calibration images far from the evaluation data: FP top-1 apart.
        if (onCalib.n > 0 && std::abs(onCalib.fpTop1 - onEval->fpTop1) >= analysis::kCalibrationMismatchPt)
            result.findings.push_back({QStringLiteral("calibration_mismatch"), QString(), -1, onCalib.fpTop1 - onEval->fpTop1,
                                       QStringLiteral("the FP model's top-1 is %1 % on the calibration images and %2 % on the "
                                                      "evaluation data: they may not be the same distribution")
                                           .arg(onCalib.fpTop1, 0, 'f', 2).arg(onEval->fpTop1, 0, 'f', 2),
                                       QStringLiteral("calibrate on images drawn like the evaluation data")});
    }
    phases[QStringLiteral("evaluation")] = secondsSince(t1);

    // Fingerprint of every quantized weight: equal for equal inputs, seed and threads.
    QCryptographicHash weightsHash(QCryptographicHash::Sha256);
    for (int node : model->graph().layers()) {
        const torch::Tensor w = qmodel.weight(node, model->graph().nodes[node]).detach().contiguous();
        weightsHash.addData(QByteArrayView(reinterpret_cast<const char *>(w.data_ptr<float>()), w.numel() * qsizetype(sizeof(float))));
    }
    auto state = exporting::captureState(qmodel, model->graph());
    if (!state)
        return state.error();
    QJsonObject specJson = spec.toJson();
    specJson[QStringLiteral("model")] = model->path();
    specJson[QStringLiteral("method_options")] = *methodOptions;
    result.method = spec.method;
    const analysis::BudgetFigures cost = analysis::budgetFigures(model->executor(), costs, qmodel.plan());
    result.weightBitsAvg = cost.weightBitsAvg;
    result.weightBytes = double(cost.weightBytes);
    result.bops = cost.bops;
    result.wbits = spec.wbits;
    result.abits = spec.abits;
    result.fpTop1 = onEval->fpTop1;
    result.qTop1 = onEval->qTop1;
    if (calib->labelled()) {
        result.fpCalibTop1 = onCalib.fpTop1;
        result.qCalibTop1 = onCalib.qTop1;
        result.gap = onCalib.qTop1 - onEval->qTop1;
    }
    result.agreement = onEval->agreement;
    result.kl = onEval->kl;
    result.evalImages = onEval->n;
    result.seed = QString::number(spec.seed);
    result.calibHash = selection->hash;
    result.modelSha256 = model->sha256();
    result.qweightsSha256 = QString::fromLatin1(weightsHash.result().toHex());
    result.wallSeconds = secondsSince(start);
    result.phaseSeconds = phases;
    if (!allocation.isEmpty())  // the bits chosen, so the stored spec says what ran
        specJson[QStringLiteral("allocation")] = allocation;
    result.spec = specJson;
    result.methodSummary = ctx.summary;
    RunOutcome out;
    out.result = std::move(result);
    out.blobs = std::move(ctx.artefacts);
    out.state = std::make_shared<const exporting::QuantizedState>(std::move(*state));
    out.model = std::make_shared<const Model>(std::move(*model));
    ProgressEvent done;
    done.phase = RunPhase::Done;
    done.unitCount = int(units.size());
    done.elapsedSeconds = secondsSince(start);
    sink.progress(done);
    return out;
}

}  // namespace

Result<RunOutcome> runQuantization(const RunSpec &spec, RunSink &sink)
{
    // Whatever the run leaves cached goes back when it ends, also on errors.
    struct ReleaseAtEnd {
        ~ReleaseAtEnd() { releaseTensorCache(); }
    } releaseAtEnd;
    try {
        return runImpl(spec, sink);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("the run failed: %1")
                                                  .arg(exceptionSummary(e)));
    }
}

}  // namespace metaaug
