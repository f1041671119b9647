// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench's main window: model, data and run-setup panels (docks), the
// live run view, the runs browser and the comparison (tabs), menus, toolbar
// and status bar. It composes: loads go through LoadFlow, runs through
// RunSession, stored runs through StoredRuns and File ▸ Export through
// ExportActions; each says its errors and status to the window. Loading runs
// on the thread pool, quantization on RunController's thread and every store
// access on StoreClient's, so the window never waits on the engine.
#pragma once

#include "events/runstatus.h"
#include "workbenchstate.h"

#include <QtWidgets/QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace metaaug::ui {

class AnalysisPanel;
class CompareView;
class SweepsView;
class DataPanel;
class ExportActions;
class LoadFlow;
class ModelPanel;
class RunController;
class RunSession;
class RunsBrowser;
class RunSetupPanel;
class RunView;
class StallMonitor;
class StoreClient;
class StoredRuns;


class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const WorkbenchOptions &options = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Named actions, for tests and shortcuts.
    QAction *action(const QString &objectName) const;
    // Object name of the action that shows tab `tab` (Ctrl+tab+1).
    static QString tabActionName(int tab);

    // Model, data and run setup; the path/source is loaded on the thread pool.
    void openModel(const QString &path);
    void openCalibration(const QString &source);
    void openEvaluation(const QString &source);
    bool isLoading() const { return m_state->isLoading(); }
    bool modelReady() const { return m_state->modelReady(); }
    WorkbenchState *state() const { return m_state; }

    void startRun();
    // The Analysis tab's sensitivity analysis of the open model and data with the run setup's spec.
    void analyseSensitivity();
    void cancelRun();
    void openStoredRun(qint64 runId);
    // Runs stored run runId's spec again; rerunCompared() says whether it reproduced it.
    void rerunStoredRun(qint64 runId);
    // Exports a stored run's quantized model on the thread pool (File ▸ Export).
    void exportRun(qint64 runId, const QString &format, const QString &path);
    void compareRuns(const QList<qint64> &runIds);
    // An HTML report ("run": one run, "compare": runs side by side, "sweep")
    // written on the store's thread (File ▸ Export ▸ Report).
    void exportReport(const QString &kind, const QList<qint64> &ids, const QString &file);

    QString databasePath() const { return m_dbPath; }
    RunController *controller() const { return m_controller; }
    RunSetupPanel *setupPanel() const { return m_setup; }
    RunView *liveView() const { return m_live; }
    RunView *storedView() const { return m_stored; }
    RunsBrowser *runsBrowser() const { return m_browser; }
    CompareView *compareView() const { return m_compare; }
    AnalysisPanel *analysisPanel() const { return m_analysis; }
    SweepsView *sweepsView() const { return m_sweeps; }
    ModelPanel *modelPanel() const { return m_modelPanel; }
    DataPanel *dataPanel() const { return m_dataPanel; }
    QTabWidget *tabs() const { return m_tabs; }
    StallMonitor *stallMonitor() const { return m_stall; }
    // The last error shown in a dialog (empty when none).
    const QString &lastError() const { return m_lastError; }

Q_SIGNALS:
    void modelLoaded(bool ok);
    void calibrationLoaded(bool ok);
    void runFinished(qint64 runId, metaaug::RunStatus status);
    void errorShown(const QString &message);
    // A rerun finished: whether its quantized weights equal the stored run's.
    void rerunCompared(qint64 runId, bool identical);
    void exportFinished(bool ok);
    void reportWritten(bool ok);
    // A stored run opened (Runs ▸ Open) and a comparison shown, once read off the GUI thread.
    void storedRunShown(qint64 runId);
    void comparisonShown(int runs);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createPanels();
    void createActions();
    void createMenus();
    // The helpers' errors and status lines go to the window.
    void connectHelpers();
    void rebuildRecentMenu();
    void showError(const QString &title, const QString &message);
    void updateState();
    // The run setup's spec with the open model, card and data.
    QJsonObject runSpec() const;
    void onAnalysisFinished(bool ok, const QString &message);
    void loadSettings(const WorkbenchOptions &options);
    void saveSettings() const;

    QString m_dbPath, m_lastError;
    WorkbenchState *m_state;  // model, data, readiness, remembered files
    RunController *m_controller;
    StallMonitor *m_stall;
    StoreClient *m_store = nullptr;  // every store access of the window, off the GUI thread
    LoadFlow *m_loads = nullptr;
    RunSession *m_session = nullptr;
    StoredRuns *m_storedRuns = nullptr;
    ExportActions *m_exports = nullptr;
    QTabWidget *m_tabs = nullptr;
    RunView *m_live = nullptr, *m_stored = nullptr;
    RunsBrowser *m_browser = nullptr;
    CompareView *m_compare = nullptr;
    AnalysisPanel *m_analysis = nullptr;
    SweepsView *m_sweeps = nullptr;
    ModelPanel *m_modelPanel = nullptr;
    DataPanel *m_dataPanel = nullptr;
    RunSetupPanel *m_setup = nullptr;
    QMenu *m_recentMenu = nullptr, *m_exportMenu = nullptr;
    QLabel *m_modelStatus = nullptr, *m_dataStatus = nullptr, *m_runStatus = nullptr;
};

}  // namespace metaaug::ui
