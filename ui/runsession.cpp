// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsession.h"

#include "runcontroller.h"
#include "runview.h"
#include "stallmonitor.h"
#include "storeclient.h"

#include "store/runstore.h"

namespace metaaug::ui {

RunSession::RunSession(RunController *controller, StallMonitor *stall, RunView *live, StoreClient *store, const QString &dbPath,
                       QObject *parent)
    : QObject(parent), m_controller(controller), m_stall(stall), m_live(live), m_store(store), m_dbPath(dbPath)
{
    connect(m_controller, &RunController::progress, m_live, &RunView::onProgress);
    connect(m_controller, &RunController::layerSample, m_live, &RunView::onLayerSample);
    connect(m_controller, &RunController::image, m_live, &RunView::onImage);
    connect(m_controller, &RunController::logLine, m_live, &RunView::onLog);
    connect(m_controller, &RunController::finished, this, &RunSession::onFinished);
}

bool RunSession::isRunning() const
{
    return m_controller->isRunning();
}

bool RunSession::cancelRequested() const
{
    return m_controller->cancelRequested();
}

void RunSession::start(const QJsonObject &spec)
{
    if (isRunning())
        return;
    m_rerunOf.reset();
    begin(spec);
}

// A stored run's spec, run again as it was recorded (its card's values
// included): the store is read on its thread, then the run starts.
void RunSession::rerun(qint64 runId)
{
    if (isRunning()) {
        Q_EMIT errorOccurred(tr("Rerun"), tr("A run is in progress; rerun run %1 when it has finished.").arg(runId));
        return;
    }
    m_store->call<store::RunRow>(this, [runId](store::RunStore &db) { return db.run(runId); }, [this, runId](const Result<store::RunRow> &row) {
        if (!row) {
            Q_EMIT errorOccurred(tr("Rerun"), row.error().message);
            return;
        }
        if (row->kind != QLatin1String(store::kQuantizeRun)) {
            Q_EMIT errorOccurred(tr("Rerun"), tr("Run %1 is a %2 run; only quantization runs can be rerun.").arg(runId).arg(row->kind));
            return;
        }
        // A spec that no longer validates (a model file gone) fails as a run,
        // with the engine's message, like any other start.
        if (isRunning())
            return;
        m_rerunOf = RerunOf{runId, row->result.value(QLatin1String("qweights_sha256")).toString()};
        begin(row->spec);
        m_live->onLog(tr("rerun of run %1").arg(runId));
    });
}

void RunSession::begin(const QJsonObject &spec)
{
    m_live->startLive(spec);
    m_stall->start();
    m_controller->start(spec, m_dbPath);
    m_stateText = tr("running %1 %2").arg(spec.value(QLatin1String("method")).toString(), bitsLabel(spec));
    Q_EMIT started();
    Q_EMIT stateChanged();
}

void RunSession::cancel()
{
    if (!isRunning())
        return;
    m_controller->cancel();
    m_stateText = tr("cancelling…");
    Q_EMIT stateChanged();
}

void RunSession::onFinished(const RunFinished &f)
{
    m_stall->stop();
    m_live->onFinished(f);
    m_live->onLog(tr("GUI responsiveness during the run: %1").arg(m_stall->summary()));
    const QString status = QLatin1String(statusName(f.status));
    m_stateText = f.runId ? tr("run %1 %2").arg(f.runId).arg(status) : status;
    Q_EMIT stateChanged();
    if (m_rerunOf && f.result) {
        const QString now = f.result->qweightsSha256, was = m_rerunOf->qweightsSha256;
        const QString said = was.isEmpty() ? tr("Rerun of run %1: it had no stored result to compare with").arg(m_rerunOf->runId)
                             : was == now ? tr("Rerun of run %1: quantized weights identical (qweights_sha256 %2)").arg(m_rerunOf->runId).arg(now.left(16))
                                          : tr("Rerun of run %1: quantized weights DIFFER (was %2, now %3)").arg(m_rerunOf->runId).arg(was.left(16), now.left(16));
        m_live->onLog(said);
        Q_EMIT statusMessage(said, 30000);
        Q_EMIT rerunCompared(m_rerunOf->runId, !was.isEmpty() && was == now);
    }
    m_rerunOf.reset();
    if (f.status == RunStatus::Failed)
        Q_EMIT errorOccurred(tr("Run failed"), f.error);
    else if (!f.warnings.isEmpty())  // the run went on, but its record is not all there (or was rescued)
        Q_EMIT errorOccurred(tr("Run recording"), f.warnings.join(QLatin1Char('\n')));
    Q_EMIT finished(f);
}

}  // namespace metaaug::ui
