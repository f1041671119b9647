// SPDX-License-Identifier: GPL-3.0-or-later
#include "sensitivityjob.h"

#include "analysis/autobits.h"
#include "analysis/budget.h"
#include "analysis/sensitivity.h"
#include "data/datasource.h"
#include "model/model.h"
#include "quant/layerbits.h"
#include "run/runidentity.h"
#include "run/runspec.h"

#include <QtCore/QElapsedTimer>

#include <algorithm>
#include <QtCore/QJsonArray>

namespace metaaug {

namespace {

QJsonArray intList(const std::vector<int> &v)
{
    QJsonArray a;
    for (int x : v)
        a.append(x);
    return a;
}

// Everything but the recording.
Result<SensitivityStudy> analyse(const RunSpec &spec, const SensitivitySettings &settings, const std::function<bool(int, int)> &progress,
                                 const std::function<void(const QJsonObject &)> &identity)
{
    if (auto v = spec.validate(); !v)
        return v.error();
    setThreads(spec.threads);
    torch::manual_seed(spec.seed);
    auto model = loadSpecModel(spec);
    if (!model)
        return model.error();
    const PreprocessSpec &pre = model->card().preprocess;
    auto data = openDataSource(spec.calibSource, pre);
    if (!data)
        return data.error();
    int64_t images = settings.images;
    if (images <= 0) {
        const graph::Executor &ex = model->executor();
        double macs = 0;
        for (const analysis::LayerCost &c : analysis::layerCosts(ex, torch::zeros({1, pre.channels, pre.height, pre.width})))
            macs += double(c.macs);
        images = autoSensitivityImages(macs, analysis::sensitivityCandidates(ex, settings.weightBits, settings.activationBits));
    }
    const int64_t needed = images + settings.fitImages;
    if (data->size() < needed)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 has %2 images; the analysis needs %3 (%4 to measure on, %5 to fit the activation grids on)")
                             .arg(data->source).arg(data->size()).arg(needed).arg(images).arg(settings.fitImages));
    auto selection = selectCalibration(*data, needed, spec.seed);
    if (!selection)
        return selection.error();
    identity(runIdentity(*model, *selection, {{"calib_skipped", &*data}}));
    const torch::Tensor idx = selection->indexTensor();
    auto fitInput = data->input(idx.slice(0, 0, settings.fitImages));
    if (!fitInput)
        return fitInput.error();
    auto measureInput = data->input(idx.slice(0, settings.fitImages));
    if (!measureInput)
        return measureInput.error();
    const torch::Tensor fit = std::move(*fitInput), measure = std::move(*measureInput);

    QElapsedTimer timer;
    timer.start();
    analysis::SensitivityOptions o;
    o.weightBits = settings.weightBits;
    o.activationBits = settings.activationBits;
    o.batch = settings.batch;
    o.progress = progress;
    auto records = analysis::analyzeSensitivity(model->sharedExecutor(), model->partition().units, fit, measure, o);
    if (!records)
        return records.error();

    SensitivityStudy out;
    out.records = std::move(*records);
    out.modelSha256 = model->sha256();
    out.calibHash = selection->hash;
    out.images = images;
    const graph::Executor &ex = model->executor();
    const auto costs = analysis::layerCosts(ex, fit);
    const quant::BitPlan plan = quant::planBits(ex, spec.wbits, spec.abits, spec.setting);
    out.layers = analysis::plannedLayers(ex, costs, plan);
    const quant::PinnedBits pinned = quant::pinnedBits(ex, spec.setting);
    for (int node : pinned.layers)
        out.pinned.insert(QString::fromStdString(ex.graph().nodes[size_t(node)].name));
    // The whole front of mean weight bits: a budget no allocation exceeds.
    auto chosen = analysis::chooseBits(ex, plan, pinned, costs, out.records, settings.weightBits, settings.activationBits,
                                       {analysis::BudgetKind::AvgWeightBits, double(quant::kMaxBits)});
    if (!chosen)
        return chosen.error();
    for (size_t i = 0; i < chosen->front.size(); ++i) {
        auto applied = quant::applyLayerBits(ex, plan, chosen->frontBits[i]);
        if (!applied)
            return applied.error();
        out.front.push_back({analysis::budgetFigures(ex, costs, *applied), chosen->front[i].loss, chosen->frontBits[i]});
    }
    out.seconds = timer.elapsed() / 1000.0;
    return out;
}

}  // namespace

QJsonObject sensitivityResultJson(const SensitivityStudy &s)
{
    QJsonArray records, front, layers;
    for (const auto &r : s.records)
        records.append(r.toJson());
    for (const analysis::PlannedLayer &l : s.layers)
        layers.append(QJsonObject{{QStringLiteral("name"), l.cost.name},
                                  {QStringLiteral("parameters"), qint64(l.cost.parameters)},
                                  {QStringLiteral("macs"), qint64(l.cost.macs)},
                                  {QStringLiteral("wbits"), l.weightBits},
                                  {QStringLiteral("abits"), l.inputBits},
                                  {QStringLiteral("point"), l.inputPoint},
                                  {QStringLiteral("pinned"), bool(s.pinned.count(l.cost.name))}});
    for (const FrontPoint &p : s.front)
        front.append(QJsonObject{{QStringLiteral("weight_bits_avg"), p.figures.weightBitsAvg},
                                 {QStringLiteral("weight_bytes"), qint64(p.figures.weightBytes)},
                                 {QStringLiteral("bops"), p.figures.bops},
                                 {QStringLiteral("predicted_kl"), p.predictedKl},
                                 {QStringLiteral("layer_bits"), quant::formatLayerBits(p.bits)}});
    return QJsonObject{{QStringLiteral("records"), records},
                       {QStringLiteral("layers"), layers},
                       {QStringLiteral("front"), front},
                       {QStringLiteral("model_sha256"), s.modelSha256},
                       {QStringLiteral("calib_hash"), s.calibHash},
                       {QStringLiteral("images"), qint64(s.images)},
                       {QStringLiteral("wall_s"), s.seconds}};
}

Result<SensitivityStudy> sensitivityStudyFromJson(const QJsonObject &json)
{
    auto bad = [](const QString &what) {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("stored sensitivity analysis: %1").arg(what));
    };
    SensitivityStudy s;
    for (const QJsonValue &v : json.value(QLatin1String("records")).toArray()) {
        auto r = analysis::sensitivityRecordFromJson(v.toObject());
        if (!r)
            return r.error();
        s.records.push_back(*r);
    }
    for (const QJsonValue &v : json.value(QLatin1String("layers")).toArray()) {
        const QJsonObject o = v.toObject();
        analysis::PlannedLayer l;
        l.cost.name = o.value(QLatin1String("name")).toString();
        l.cost.parameters = o.value(QLatin1String("parameters")).toInteger();
        l.cost.macs = o.value(QLatin1String("macs")).toInteger();
        l.weightBits = o.value(QLatin1String("wbits")).toInt();
        l.inputBits = o.value(QLatin1String("abits")).toInt();
        l.inputPoint = o.value(QLatin1String("point")).toInt(-1);
        if (l.cost.name.isEmpty() || l.weightBits < quant::kMinBits || l.weightBits > quant::kMaxBits)
            return bad(QStringLiteral("layer '%1' has no name or weight bits out of range").arg(l.cost.name));
        if (o.value(QLatin1String("pinned")).toBool())
            s.pinned.insert(l.cost.name);
        s.layers.push_back(l);
    }
    for (const QJsonValue &v : json.value(QLatin1String("front")).toArray()) {
        const QJsonObject o = v.toObject();
        auto bits = quant::parseLayerBits(o.value(QLatin1String("layer_bits")).toString());
        if (!bits)
            return bad(bits.error().message);
        FrontPoint p;
        p.figures = {o.value(QLatin1String("weight_bits_avg")).toDouble(), o.value(QLatin1String("weight_bytes")).toInteger(),
                     o.value(QLatin1String("bops")).toDouble()};
        p.predictedKl = o.value(QLatin1String("predicted_kl")).toDouble();
        p.bits = *bits;
        s.front.push_back(p);
    }
    s.modelSha256 = json.value(QLatin1String("model_sha256")).toString();
    s.calibHash = json.value(QLatin1String("calib_hash")).toString();
    s.images = json.value(QLatin1String("images")).toInteger();
    s.seconds = json.value(QLatin1String("wall_s")).toDouble();
    return s;
}

int64_t autoSensitivityImages(double macsPerImage, int candidates)
{
    const double perImage = std::max(1.0, macsPerImage) * (candidates / 2.0 + 1.0);
    return std::clamp(int64_t(kSensitivityMacBudget / perImage), kSensitivityImagesMin, kSensitivityImagesMax);
}

QJsonObject SensitivitySettings::toJson() const
{
    return QJsonObject{{QStringLiteral("images"), qint64(images)},
                       {QStringLiteral("fit_images"), qint64(fitImages)},
                       {QStringLiteral("batch"), qint64(batch)},
                       {QStringLiteral("wbits"), intList(weightBits)},
                       {QStringLiteral("abits"), intList(activationBits)}};
}

Result<SensitivityStudy> runSensitivityJob(const RunSpec &spec, const SensitivitySettings &settings, store::RunStore *store,
                                           const std::function<bool(int, int)> &progress)
{
    int64_t runId = 0;
    QStringList warnings;
    auto note = [&warnings](const Result<void> &r) {
        if (!r)
            warnings << r.error().message;
    };
    if (store) {
        QJsonObject json = spec.toJson();
        json[QStringLiteral("analysis")] = settings.toJson();
        auto id = store->createRun(json, RunStatus::Running, QLatin1String(store::kSensitivityRun));
        if (!id)
            return id.error();
        runId = *id;
    }
    Result<SensitivityStudy> out = makeError(ErrorCode::Internal, QString());
    try {
        out = analyse(spec, settings, progress, [&](const QJsonObject &identity) {
            if (store)
                note(store->setIdentity(runId, identity));
        });
    } catch (const std::exception &e) {
        out = makeError(ErrorCode::Internal, QStringLiteral("the sensitivity analysis failed: %1")
                                                 .arg(exceptionSummary(e)));
    }
    if (store) {
        const RunStatus status = out ? RunStatus::Succeeded : out.error().code == ErrorCode::Aborted ? RunStatus::Cancelled : RunStatus::Failed;
        note(store->finishAnalysis(runId, status, out ? sensitivityResultJson(*out) : QJsonObject{}, out ? QString() : out.error().message));
    }
    if (out) {
        out->runId = runId;
        out->warnings = warnings;
    }
    return out;
}

Result<SensitivityStudy> runSensitivityJob(const QJsonObject &spec, const SensitivitySettings &settings, store::RunStore *store,
                                           const std::function<bool(int, int)> &progress)
{
    auto parsed = RunSpec::fromJson(spec);
    if (!parsed)
        return parsed.error();
    return runSensitivityJob(*parsed, settings, store, progress);
}

}  // namespace metaaug
