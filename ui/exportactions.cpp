// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportactions.h"

#include "runsbrowser.h"
#include "runview.h"
#include "storeclient.h"
#include "sweepsview.h"

#include "jobs/exportjob.h"
#include "plugin/pluginregistry.h"
#include "report/htmlreport.h"
#include "store/runstore.h"

#include <QtGui/QAction>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QMenu>
#include <QtWidgets/QTabWidget>

namespace metaaug::ui {

ExportActions::ExportActions(StoreClient *store, const Views &views, QObject *parent)
    : QObject(parent), m_store(store), m_views(views)
{
}

void ExportActions::fillMenu(QMenu *menu)
{
    // Model formats from the plugin registry, for the run selected in the runs
    // browser (or the stored run shown); then the run itself as a bundle.
    menu->clear();
    for (const exporting::Exporter *e : exporting::PluginRegistry::instance().exporters()) {
        QAction *a = menu->addAction(e->title() + QStringLiteral("…"));
        a->setObjectName(QStringLiteral("export_") + e->id());
        const QString id = e->id(), suffix = e->fileSuffix();
        // The file-type filter from the exporter's own title and suffix.
        const QString filter = tr("%1 (*.%2);;All files (*)").arg(e->title(), suffix);
        connect(a, &QAction::triggered, this, [this, id, suffix, filter] {
            const qint64 run = selectedRun();
            if (run <= 0)
                return;
            const QString file = QFileDialog::getSaveFileName(m_views.window, tr("Export run %1 as %2").arg(run).arg(id),
                                                              QStringLiteral("run-%1.%2").arg(run).arg(suffix), filter);
            if (!file.isEmpty())
                exportRun(run, id, file);
        });
    }
    for (const exporting::PluginFailure &f : exporting::PluginRegistry::instance().failures())
        Q_EMIT logLine(tr("plugin %1 was not loaded: %2").arg(f.file, f.reason));
    if (!menu->isEmpty())
        menu->addSeparator();
    QAction *bundle = menu->addAction(tr("Run bundle (.sqlite)…"));
    bundle->setObjectName(QStringLiteral("export_bundle"));
    bundle->setToolTip(tr("The selected run with its metrics, series and images, as a single SQLite file for `metaaug runs import`"));
    connect(bundle, &QAction::triggered, this, &ExportActions::exportSelectedBundle);
    QAction *report = menu->addAction(tr("Report (HTML)…"));
    report->setObjectName(QStringLiteral("export_report"));
    report->setToolTip(tr("One self-contained HTML file: the selected run, the selected runs side by side, or the sweep shown "
                          "in the Sweeps tab"));
    connect(report, &QAction::triggered, this, &ExportActions::exportChosenReport);
}

qint64 ExportActions::selectedRun()
{
    QList<qint64> ids = m_views.browser->selectedRunIds();
    if (ids.isEmpty() && m_views.stored->data().runId > 0)
        ids << m_views.stored->data().runId;
    if (ids.size() != 1) {
        Q_EMIT errorOccurred(tr("Export"), tr("Select one run in the Runs tab to export."));
        return 0;
    }
    return ids.first();
}

// The model is reloaded and written on the store's thread: the browser's
// reads wait for it, but the window does not, and no second connection
// to the database is opened.
void ExportActions::exportRun(qint64 runId, const QString &format, const QString &path)
{
    using Rows = std::vector<store::ArtefactRow>;
    Q_EMIT statusMessage(tr("Exporting run %1 as %2…").arg(runId).arg(format), 0);
    m_store->call<Rows>(this, [runId, format, path](store::RunStore &db) {
        return exporting::exportStoredRun(db, runId, format, path);
    }, [this, runId, format](const Result<Rows> &r) {
        if (!r) {
            Q_EMIT errorOccurred(tr("Export failed"), r.error().message);
        } else {
            QStringList files;
            for (const store::ArtefactRow &a : *r)
                files << a.path;
            Q_EMIT statusMessage(tr("Run %1 exported as %2: %3").arg(runId).arg(format, files.join(QStringLiteral(", "))), 10000);
        }
        Q_EMIT exportFinished(bool(r));
    });
}

void ExportActions::exportSelectedBundle()
{
    const qint64 id = selectedRun();
    if (id <= 0)
        return;
    const QString file = QFileDialog::getSaveFileName(m_views.window, tr("Export run %1").arg(id),
                                                      QStringLiteral("run-%1.sqlite").arg(id), tr("Run bundles (*.sqlite)"));
    if (file.isEmpty())
        return;
    m_store->call<bool>(this, [id, file](store::RunStore &db) -> Result<bool> {
        if (auto r = db.exportRun(id, file); !r)
            return r.error();
        return true;
    }, [this, id, file](const Result<bool> &r) {
        if (!r)
            Q_EMIT errorOccurred(tr("Export failed"), r.error().message);
        else
            Q_EMIT statusMessage(tr("Run %1 exported to %2").arg(id).arg(file), 5000);
    });
}

// The report's kind follows the tab: the sweep shown in the Sweeps tab, else
// the runs selected in the browser (or the stored run shown).
void ExportActions::exportChosenReport()
{
    const qint64 sweepId = m_views.sweeps->sweepBox()->currentData().toLongLong();
    const bool sweep = m_views.tabs->currentWidget() == m_views.sweeps && sweepId > 0;
    QList<qint64> ids = sweep ? QList<qint64>{sweepId} : m_views.browser->selectedRunIds();
    if (ids.isEmpty() && m_views.stored->data().runId > 0)
        ids << m_views.stored->data().runId;
    if (ids.isEmpty()) {
        Q_EMIT errorOccurred(tr("Export report"), tr("Select one or more runs in the Runs tab, or show a sweep in the Sweeps tab."));
        return;
    }
    const QString name = sweep ? QStringLiteral("sweep-%1.html").arg(ids.first())
                         : ids.size() == 1 ? QStringLiteral("run-%1.html").arg(ids.first())
                                           : QStringLiteral("comparison.html");
    const QString file = QFileDialog::getSaveFileName(m_views.window, tr("Export report"), name, tr("HTML (*.html)"));
    if (!file.isEmpty())
        exportReport(sweep ? QStringLiteral("sweep") : ids.size() == 1 ? QStringLiteral("run") : QStringLiteral("compare"), ids, file);
}

void ExportActions::exportReport(const QString &kind, const QList<qint64> &ids, const QString &file)
{
    m_store->call<bool>(this, [kind, ids, file](store::RunStore &db) -> Result<bool> {
        std::vector<int64_t> list(ids.begin(), ids.end());
        auto html = kind == QLatin1String("sweep") ? report::sweepReport(db, list.front())
                    : kind == QLatin1String("run") ? report::runReport(db, list.front())
                                                   : report::compareReport(db, list);
        if (!html)
            return html.error();
        if (auto r = report::writeReport(*html, file); !r)
            return r.error();
        return true;
    }, [this, file](const Result<bool> &r) {
        if (!r)
            Q_EMIT errorOccurred(tr("Export report"), r.error().message);
        else
            Q_EMIT statusMessage(tr("Report written to %1").arg(file), 5000);
        Q_EMIT reportWritten(bool(r));
    });
}

}  // namespace metaaug::ui
