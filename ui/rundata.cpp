// SPDX-License-Identifier: GPL-3.0-or-later
#include "rundata.h"

#include "store/runstore.h"

#include <QtCore/QJsonArray>

namespace metaaug::ui {

namespace {
// The method's own phases: every value of their events is a series of the
// method chart (RunSink's ProgressEvent::values).
bool methodPhase(const QString &phase)
{
    return phase == QLatin1String("warmup") || phase == QLatin1String("meta");
}
}  // namespace

void RunData::addProgress(const ProgressUpdate &u)
{
    last = u;
    if (const auto phase = runPhaseFromName(u.phase)) {
        ProgressEvent e;
        e.phase = *phase;
        e.unit = u.unit;
        e.unitCount = u.unitCount;
        e.unitName = u.unitName;
        e.iteration = u.iteration;
        e.iterations = u.iterations;
        e.elapsedSeconds = u.elapsedSeconds;
        e.detail = u.detail;
        progress.add(e);
    }
    if (u.unitCount > 0)
        unitCount = u.unitCount;
    if (u.unit >= 0 && !u.unitName.isEmpty())
        unitNames[u.unit] = u.unitName;
    if (methodPhase(u.phase)) {
        if (u.phase == QLatin1String("meta"))
            metaUnits.insert(u.unit);
        for (auto it = u.values.cbegin(); it != u.values.cend(); ++it)
            metaTerms[it.key()].append(QPointF(metaSteps, it.value()));
        metaSteps += !u.values.isEmpty();
    } else if (auto it = u.values.constFind(QStringLiteral("rec")); it != u.values.cend() && u.unit >= 0) {
        reconLoss[u.unit].append(QPointF(u.iteration, *it));
    }
}

double RunData::fractionDone() const
{
    if (status == RunStatus::Succeeded || last.phase == QLatin1String("done"))
        return 1;
    return progress.empty() ? 0.0 : progress.stepFraction();
}

void RunData::addLayerSample(const LayerSample &s)
{
    if (s.iteration >= 0 && s.unit >= 0) {
        if (s.key == QLatin1String("probe_sqnr_db"))
            probeSqnr[s.unit][s.layer].append(QPointF(s.iteration, s.value));
        else if (s.key == QLatin1String("probe_mse"))
            probeMse[s.unit][s.layer].append(QPointF(s.iteration, s.value));
    } else if (s.key == QLatin1String("output_sqnr_db")) {
        layerSqnr.append({s.layer, s.value});
    }
}

void RunData::finish(const RunFinished &f)
{
    runId = f.runId;
    status = f.status;
    result = f.result;
    error = f.error;
}

bool RunData::fromStore(store::RunStore &db, qint64 runId, RunData *out, QString *error)
{
    auto row = db.run(runId);
    if (!row) {
        *error = row.error().message;
        return false;
    }
    auto scalars = db.scalars(runId);
    auto metrics = db.layerMetrics(runId);
    auto images = db.images(runId);
    if (!scalars || !metrics || !images) {
        *error = !scalars ? scalars.error().message : !metrics ? metrics.error().message : images.error().message;
        return false;
    }
    RunData d;
    d.runId = runId;
    d.status = row->status;
    d.spec = row->spec;
    d.result = row->typedResult();
    d.error = row->error;
    // Scalars are rows (unit, phase, step, key); regroup them into events.
    ProgressUpdate u;
    auto flush = [&] {
        if (!u.values.isEmpty())
            d.addProgress(u);
        u.values.clear();
    };
    for (const store::ScalarRow &s : *scalars) {
        if (s.unit != u.unit || s.phase != u.phase || s.step != u.iteration)
            flush();
        u.unit = s.unit;
        u.phase = s.phase;
        u.iteration = s.step;
        u.values.insert(s.key, s.value);
    }
    flush();
    const int unitCount = d.result ? int(d.result->units.size()) : 0;
    for (int i = 0; i < unitCount; ++i)
        d.unitNames[i] = d.result->units[size_t(i)].name;
    d.unitCount = std::max<int>(unitCount, d.reconLoss.empty() ? 0 : d.reconLoss.rbegin()->first + 1);
    for (const store::LayerMetricRow &m : *metrics)
        d.addLayerSample({m.layer, m.key, m.value, m.unit, m.step});
    for (const store::ImageRow &i : *images)
        d.images.append({i.unit, i.step, QImage::fromData(i.originalsPng, "PNG"), QImage::fromData(i.transformedPng, "PNG")});
    d.last.unit = d.reconLoss.empty() ? -1 : d.reconLoss.rbegin()->first;
    d.last.unitCount = d.unitCount;
    d.last.phase = QLatin1String(statusName(d.status));
    d.progress = RunProgress{};  // the scalars carry no counts or times: no step to tell
    *out = std::move(d);
    return true;
}

QString bitsLabel(const QJsonObject &spec)
{
    return QStringLiteral("W%1A%2").arg(spec.value(QLatin1String("wbits")).toInt()).arg(spec.value(QLatin1String("abits")).toInt());
}

}  // namespace metaaug::ui
