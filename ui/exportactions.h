// SPDX-License-Identifier: GPL-3.0-or-later
// File ▸ Export: the model formats of the plugin registry, the run bundle
// (.sqlite) and the HTML report, for the run(s) chosen in the runs browser,
// the stored-run view or the Sweeps tab. Every export reads and writes the
// store on StoreClient's thread, never on the GUI thread.
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>

class QMenu;
class QTabWidget;
class QWidget;

namespace metaaug::ui {

class RunsBrowser;
class RunView;
class StoreClient;
class SweepsView;

class ExportActions : public QObject {
    Q_OBJECT
public:
    // Where the runs to export are chosen; `window` parents the file dialogs.
    struct Views {
        QWidget *window;
        QTabWidget *tabs;
        RunsBrowser *browser;
        RunView *stored;
        SweepsView *sweeps;
    };
    ExportActions(StoreClient *store, const Views &views, QObject *parent = nullptr);

    // Fills `menu`: one action per exporter ("export_<id>"), then
    // "export_bundle" and "export_report". Plugins that failed to load are logged.
    void fillMenu(QMenu *menu);
    // A stored run's quantized model as `format` to `path`; exportFinished().
    void exportRun(qint64 runId, const QString &format, const QString &path);
    // An HTML report ("run": one run, "compare": runs side by side, "sweep"); reportWritten().
    void exportReport(const QString &kind, const QList<qint64> &ids, const QString &file);

Q_SIGNALS:
    void exportFinished(bool ok);
    void reportWritten(bool ok);
    void errorOccurred(const QString &title, const QString &message);
    void statusMessage(const QString &text, int timeoutMs);
    void logLine(const QString &line);

private:
    // The one run selected in the browser (else the stored run shown); 0, said, when not one.
    qint64 selectedRun();
    void exportSelectedBundle();
    void exportChosenReport();

    StoreClient *m_store;
    Views m_views;
};

}  // namespace metaaug::ui
