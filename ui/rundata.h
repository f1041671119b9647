// SPDX-License-Identifier: GPL-3.0-or-later
// Everything the run view shows about one run, live or as recorded: loss
// series per unit, MetaAug's outer terms, per-layer probe curves, final
// per-layer SQNR, image pairs and the outcome. Filled from RunController's
// signals during a run, or from the run store for a stored run; the charts
// read it on their refresh timer.
#pragma once

#include "events/runprogress.h"
#include "runevents.h"

#include <QtCore/QPointF>
#include <QtCore/QVector>

#include <map>
#include <set>

namespace metaaug::store {
class RunStore;
}

namespace metaaug::ui {

struct RunData {
    qint64 runId = 0;
    RunStatus status = RunStatus::Running;
    QJsonObject spec;
    std::optional<RunResult> result;  // a succeeded run's
    QString error;
    int unitCount = 0;
    std::map<int, QString> unitNames;
    ProgressUpdate last;       // the latest progress event
    RunProgress progress;      // the live run's step, in core's words (empty for a stored run)

    // Reconstruction loss ("rec") per unit: (iteration, value).
    std::map<int, QVector<QPointF>> reconLoss;
    // The method chart: every value of the warm-up and meta phases' events,
    // over all their steps in order: key -> (step, value). Keys starting
    // with "ref." are reference lines.
    std::map<QString, QVector<QPointF>> metaTerms;
    // Probe curves: unit -> layer -> (iteration, value) for SQNR (dB) and MSE.
    std::map<int, std::map<QString, QVector<QPointF>>> probeSqnr, probeMse;
    // Final output SQNR per layer, in model order.
    QVector<QPair<QString, double>> layerSqnr;
    QVector<ImagePair> images;
    QStringList log;

    int metaSteps = 0;  // x of the next meta-term point
    std::set<int> metaUnits;  // units that had a meta phase

    // What the progress bar shows: the share of the current step done
    // (RunProgress::stepFraction: a setup step, the warm-up, a unit's meta
    // or reconstruction phase, an evaluated set), 1 once the run succeeded,
    // -1 for a step without a count (a busy bar). The label says where the
    // step is in the run ("unit 3/11 ...").
    double fractionDone() const;

    void addProgress(const ProgressUpdate &u);
    void addLayerSample(const LayerSample &s);
    void addImage(const ImagePair &p) { images.append(p); }
    void finish(const RunFinished &f);

    // The unit shown as current: the latest one with progress (or -1).
    int currentUnit() const { return last.unit; }

    // Reads a stored run (spec, result, scalars, layer metrics, images).
    // Errors name the database and the run.
    static bool fromStore(store::RunStore &db, qint64 runId, RunData *out, QString *error);
};

// "W2A4" etc. from a spec.
QString bitsLabel(const QJsonObject &spec);

}  // namespace metaaug::ui
