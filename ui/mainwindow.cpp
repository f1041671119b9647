// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "analysispanel.h"
#include "compareview.h"
#include "datapanel.h"
#include "exportactions.h"
#include "loadflow.h"
#include "modelpanel.h"
#include "runcontroller.h"
#include "runsbrowser.h"
#include "runsession.h"
#include "runsetuppanel.h"
#include "runview.h"
#include "stallmonitor.h"
#include "storeclient.h"
#include "storedruns.h"
#include "sweepsview.h"

#include "store/runstore.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>

namespace metaaug::ui {

MainWindow::MainWindow(const WorkbenchOptions &options, QWidget *parent)
    : QMainWindow(parent), m_controller(new RunController(this)), m_stall(new StallMonitor(this)),
      m_state(new WorkbenchState(options.useSettings, this))
{
    setWindowTitle(QStringLiteral("MetaAug Workbench"));
    setObjectName(QStringLiteral("mainWindow"));
    resize(1400, 900);
    m_dbPath = options.dbPath.isEmpty() ? store::RunStore::defaultPath() : options.dbPath;
    m_store = new StoreClient(m_dbPath, this);
    createPanels();
    m_loads = new LoadFlow(m_state, {this, m_modelPanel, m_dataPanel, m_setup, m_live}, this);
    m_session = new RunSession(m_controller, m_stall, m_live, m_store, m_dbPath, this);
    m_storedRuns = new StoredRuns(m_store, {m_tabs, m_stored, m_analysis, m_compare}, this);
    m_exports = new ExportActions(m_store, {this, m_tabs, m_browser, m_stored, m_sweeps}, this);
    connectHelpers();
    createActions();
    createMenus();
    loadSettings(options);
    m_browser->setStore(m_store);
    m_sweeps->setStore(m_store);
    updateState();
}

MainWindow::~MainWindow() = default;

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::createPanels()
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_live = new RunView(m_tabs);
    m_live->setObjectName(QStringLiteral("liveView"));
    m_browser = new RunsBrowser(m_tabs);
    m_stored = new RunView(m_tabs);
    m_stored->setObjectName(QStringLiteral("storedView"));
    m_compare = new CompareView(m_tabs);
    m_sweeps = new SweepsView(m_tabs);
    m_sweeps->setObjectName(QStringLiteral("sweepsView"));
    m_analysis = new AnalysisPanel(m_tabs);
    m_analysis->setObjectName(QStringLiteral("analysisPanel"));
    m_tabs->addTab(m_live, tr("Live run"));
    m_tabs->addTab(m_browser, tr("Runs"));
    m_tabs->addTab(m_stored, tr("Stored run"));
    m_tabs->addTab(m_compare, tr("Compare"));
    m_tabs->addTab(m_sweeps, tr("Sweeps"));
    m_tabs->addTab(m_analysis, tr("Analysis"));
    setCentralWidget(m_tabs);

    auto dock = [this](const char *name, const QString &title, QWidget *w, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(QLatin1String(name));
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    m_modelPanel = new ModelPanel(this);
    m_dataPanel = new DataPanel(this);
    m_setup = new RunSetupPanel(this);
    auto *setupScroll = new QScrollArea(this);
    setupScroll->setWidget(m_setup);
    setupScroll->setWidgetResizable(true);
    QDockWidget *setupDock = dock("setupDock", tr("Run setup"), setupScroll, Qt::LeftDockWidgetArea);
    QDockWidget *modelDock = dock("modelDock", tr("Model"), m_modelPanel, Qt::LeftDockWidgetArea);
    QDockWidget *dataDock = dock("dataDock", tr("Data"), m_dataPanel, Qt::LeftDockWidgetArea);
    tabifyDockWidget(modelDock, dataDock);
    modelDock->raise();
    splitDockWidget(setupDock, modelDock, Qt::Vertical);
    resizeDocks({setupDock}, {380}, Qt::Horizontal);
    // The model tree gets the most room: a 224x224 network has 50+ layers.
    resizeDocks({setupDock, modelDock}, {320, 420}, Qt::Vertical);

    m_modelStatus = new QLabel(this);
    m_dataStatus = new QLabel(this);
    m_runStatus = new QLabel(this);
    for (QLabel *l : {m_modelStatus, m_dataStatus, m_runStatus})
        statusBar()->addPermanentWidget(l);
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    m_dataStatus->setObjectName(QStringLiteral("dataStatus"));
    m_runStatus->setObjectName(QStringLiteral("runStatus"));
}

void MainWindow::connectHelpers()
{
    auto status = [this](const QString &text, int ms) { statusBar()->showMessage(text, ms); };
    auto errors = [this](const QString &title) { return [this, title](const QString &m) { showError(title, m); }; };
    connect(m_loads, &LoadFlow::errorOccurred, this, &MainWindow::showError);
    connect(m_loads, &LoadFlow::statusMessage, this, status);
    connect(m_loads, &LoadFlow::modelLoaded, this, &MainWindow::modelLoaded);
    connect(m_loads, &LoadFlow::calibrationLoaded, this, &MainWindow::calibrationLoaded);
    connect(m_state, &WorkbenchState::changed, this, &MainWindow::updateState);
    connect(m_state, &WorkbenchState::recentChanged, this, &MainWindow::rebuildRecentMenu);

    connect(m_session, &RunSession::errorOccurred, this, &MainWindow::showError);
    connect(m_session, &RunSession::statusMessage, this, status);
    connect(m_session, &RunSession::stateChanged, this, &MainWindow::updateState);
    connect(m_session, &RunSession::rerunCompared, this, &MainWindow::rerunCompared);
    connect(m_session, &RunSession::started, this, [this] {
        m_tabs->setCurrentWidget(m_live);
        if (m_state->useSettings()) {
            QSettings s;
            m_setup->save(s);
        }
    });
    connect(m_session, &RunSession::finished, this, [this](const RunFinished &f) {
        m_browser->reload();
        if (f.result)
            m_analysis->noteRun(*f.result);
        Q_EMIT runFinished(f.runId, f.status);
    });

    connect(m_storedRuns, &StoredRuns::errorOccurred, this, &MainWindow::showError);
    connect(m_storedRuns, &StoredRuns::runShown, this, &MainWindow::storedRunShown);
    connect(m_storedRuns, &StoredRuns::comparisonShown, this, &MainWindow::comparisonShown);
    connect(m_exports, &ExportActions::errorOccurred, this, &MainWindow::showError);
    connect(m_exports, &ExportActions::statusMessage, this, status);
    connect(m_exports, &ExportActions::logLine, m_live, &RunView::onLog);
    connect(m_exports, &ExportActions::exportFinished, this, &MainWindow::exportFinished);
    connect(m_exports, &ExportActions::reportWritten, this, &MainWindow::reportWritten);

    connect(m_browser, &RunsBrowser::openRequested, this, &MainWindow::openStoredRun);
    connect(m_browser, &RunsBrowser::rerunRequested, this, &MainWindow::rerunStoredRun);
    connect(m_browser, &RunsBrowser::compareRequested, this, &MainWindow::compareRuns);
    connect(m_browser, &RunsBrowser::errorOccurred, this, errors(tr("Runs")));
    connect(m_sweeps, &SweepsView::compareRequested, this, &MainWindow::compareRuns);
    connect(m_sweeps, &SweepsView::errorOccurred, this, errors(tr("Sweeps")));
    connect(m_compare, &CompareView::errorOccurred, this, &MainWindow::showError);
    connect(m_analysis, &AnalysisPanel::analyseRequested, this, &MainWindow::analyseSensitivity);
    connect(m_analysis, &AnalysisPanel::analysisFinished, this, &MainWindow::onAnalysisFinished);
    connect(m_analysis, &AnalysisPanel::bitsChosen, this, [this](const QString &bits) {
        m_setup->setSpec(QJsonObject{{QStringLiteral("layer_bits"), bits}, {QStringLiteral("bits"), QStringLiteral("uniform")}});
        statusBar()->showMessage(tr("Run setup: per-layer bits set from the Analysis tab"), 5000);
    });
}

void MainWindow::openModel(const QString &path)
{
    m_loads->openModel(path);
}

void MainWindow::openCalibration(const QString &source)
{
    m_loads->openCalibration(source);
}

void MainWindow::openEvaluation(const QString &source)
{
    m_loads->openEvaluation(source);
}

void MainWindow::startRun()
{
    if (m_session->isRunning())
        return;
    if (!m_state->canRun()) {
        showError(tr("Cannot start"), m_state->notReadyReason());
        return;
    }
    m_session->start(runSpec());
}

void MainWindow::rerunStoredRun(qint64 runId)
{
    m_session->rerun(runId);
}

void MainWindow::cancelRun()
{
    m_session->cancel();
}

QJsonObject MainWindow::runSpec() const
{
    QJsonObject spec = m_setup->spec();
    spec[QStringLiteral("model")] = m_state->modelPath();
    if (!m_state->cardPath().isEmpty())
        spec[QStringLiteral("card")] = m_state->cardPath();
    spec[QStringLiteral("calib")] = m_state->calibSource();
    spec[QStringLiteral("eval")] = m_state->evalSource();
    return spec;
}

void MainWindow::analyseSensitivity()
{
    if (!m_state->canRun()) {
        showError(tr("Cannot analyse"), m_state->notReadyReason());
        return;
    }
    m_analysis->analyse(runSpec(), m_dbPath);
}

void MainWindow::onAnalysisFinished(bool ok, const QString &message)
{
    m_browser->reload();
    if (!ok) {
        if (!message.isEmpty())
            showError(tr("Analysis failed"), message);
        return;
    }
    if (!message.isEmpty())  // recording problems; the analysis itself went on
        showError(tr("Analysis recording"), message);
    // The runs already stored put their measured top-1 on the front.
    m_storedRuns->noteStoredResults();
}

void MainWindow::openStoredRun(qint64 runId)
{
    m_storedRuns->open(runId);
}

void MainWindow::compareRuns(const QList<qint64> &runIds)
{
    m_storedRuns->compare(runIds);
}

void MainWindow::exportRun(qint64 runId, const QString &format, const QString &path)
{
    m_exports->exportRun(runId, format, path);
}

void MainWindow::exportReport(const QString &kind, const QList<qint64> &ids, const QString &file)
{
    m_exports->exportReport(kind, ids, file);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_lastError = message;
    statusBar()->showMessage(message, 10000);
    // Window-modal and non-blocking: the event loop (and a run) go on.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
    Q_EMIT errorShown(message);
}

void MainWindow::updateState()
{
    const bool running = m_session->isRunning();
    action(QStringLiteral("startRun"))->setEnabled(!running && m_state->canRun());
    action(QStringLiteral("cancelRun"))->setEnabled(running && !m_session->cancelRequested());
    for (const char *n : {"openModel", "openCalibration", "openEvaluation"})
        action(QLatin1String(n))->setEnabled(!running);
    m_setup->setEnabled(!running);
    m_modelStatus->setText(tr("Model: %1%2").arg(QFileInfo(m_state->modelPath()).fileName(), m_state->modelReady() ? QString() : tr(" (not loaded)")));
    m_dataStatus->setText(tr("Data: %1 → %2").arg(m_state->calibSource(), m_state->evalSource()));
    const QString &runText = m_session->stateText();
    m_runStatus->setText(runText.isEmpty() ? (m_state->isLoading() ? tr("loading…") : tr("ready")) : runText);
}

void MainWindow::loadSettings(const WorkbenchOptions &o)
{
    if (m_state->useSettings()) {
        QSettings s;
        restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
        restoreState(s.value(QStringLiteral("window/state")).toByteArray());
        m_setup->restore(s);
    }
    rebuildRecentMenu();
    m_state->openInitial(o);
}

void MainWindow::saveSettings() const
{
    if (!m_state->useSettings())
        return;
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    m_state->save(s);
    m_setup->save(s);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_controller->isRunning()) {
        // The run stops at its next iteration and is recorded as cancelled
        // before the window goes (RunController's destructor waits for it).
        m_controller->cancel();
        statusBar()->showMessage(tr("Cancelling the run before quitting…"));
    }
    event->accept();
}

}  // namespace metaaug::ui
