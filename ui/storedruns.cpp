// SPDX-License-Identifier: GPL-3.0-or-later
#include "storedruns.h"

#include "analysispanel.h"
#include "compareview.h"
#include "runview.h"
#include "storeclient.h"

#include "store/runstore.h"

#include <QtWidgets/QTabWidget>

namespace metaaug::ui {

namespace {

using Runs = QVector<RunData>;

// The stored runs `ids` with their events; an error names the database and run.
Result<Runs> readRuns(store::RunStore &db, const QList<qint64> &ids)
{
    Runs runs;
    for (qint64 id : ids) {
        RunData d;
        QString error;
        if (!RunData::fromStore(db, id, &d, &error))
            return makeError(ErrorCode::NotFound, error);
        runs.append(std::move(d));
    }
    return runs;
}

}  // namespace

StoredRuns::StoredRuns(StoreClient *store, const Views &views, QObject *parent) : QObject(parent), m_store(store), m_views(views)
{
}

void StoredRuns::open(qint64 runId)
{
    // A sensitivity analysis opens in the Analysis tab; a quantization run in the stored-run view.
    m_store->call<store::RunRow>(this, [runId](store::RunStore &db) { return db.run(runId); }, [this, runId](const Result<store::RunRow> &row) {
        if (!row) {
            Q_EMIT errorOccurred(tr("Open run"), row.error().message);
            return;
        }
        if (row->kind == QLatin1String(store::kQuantizeRun)) {
            openQuantization(runId);
            return;
        }
        if (row->status != RunStatus::Succeeded) {
            Q_EMIT errorOccurred(tr("Open run"), tr("Sensitivity run %1 %2: %3").arg(runId).arg(QLatin1String(statusName(row->status)), row->error));
            return;
        }
        auto study = sensitivityStudyFromJson(row->result);
        if (!study) {
            Q_EMIT errorOccurred(tr("Open run"), tr("Sensitivity run %1: %2").arg(runId).arg(study.error().message));
            return;
        }
        study->runId = runId;
        m_views.analysis->showStudy(*study);
        m_views.tabs->setCurrentWidget(m_views.analysis);
        Q_EMIT runShown(runId);
    });
}

void StoredRuns::openQuantization(qint64 runId)
{
    m_store->call<Runs>(this, [runId](store::RunStore &db) { return readRuns(db, {runId}); }, [this](const Result<Runs> &r) {
        if (!r) {
            Q_EMIT errorOccurred(tr("Open run"), r.error().message);
            return;
        }
        m_views.stored->showStored(r->first());
        m_views.tabs->setCurrentWidget(m_views.stored);
        Q_EMIT runShown(r->first().runId);
    });
}

void StoredRuns::compare(const QList<qint64> &runIds)
{
    m_store->call<Runs>(this, [runIds](store::RunStore &db) { return readRuns(db, runIds); }, [this](const Result<Runs> &r) {
        if (!r) {
            Q_EMIT errorOccurred(tr("Compare runs"), r.error().message);
            return;
        }
        m_views.compare->setRuns(*r);
        m_views.tabs->setCurrentWidget(m_views.compare);
        Q_EMIT comparisonShown(int(r->size()));
    });
}

void StoredRuns::noteStoredResults()
{
    m_store->call<std::vector<RunResult>>(
        this,
        [](store::RunStore &db) -> Result<std::vector<RunResult>> {
            auto rows = db.listRuns();
            if (!rows)
                return rows.error();
            std::vector<RunResult> out;
            for (const store::RunRow &r : *rows)
                if (auto result = r.typedResult())
                    out.push_back(*result);
            return out;
        },
        [this](const Result<std::vector<RunResult>> &runs) {
            if (runs)
                for (const RunResult &r : *runs)
                    m_views.analysis->noteRun(r);
        });
}

}  // namespace metaaug::ui
