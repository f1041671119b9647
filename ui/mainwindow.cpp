// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "quant/layerbitsmap.h"
#include "model/classcheck.h"

#include "analysispanel.h"
#include "sweepsview.h"
#include "compareview.h"
#include "datapanel.h"
#include "modelpanel.h"
#include "runcontroller.h"
#include "runsbrowser.h"
#include "runsetuppanel.h"
#include "runview.h"
#include "stallmonitor.h"
#include "async.h"
#include "carddialog.h"
#include "storeclient.h"

#include "common/paths.h"
#include "common/versions.h"
#include "model/datasummary.h"
#include "jobs/exportjob.h"
#include "jobs/sensitivityjob.h"
#include "report/htmlreport.h"
#include "plugin/pluginregistry.h"
#include "model/modelsummary.h"
#include "store/runstore.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtGui/QKeySequence>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>

#include <memory>

namespace metaaug::ui {

namespace {
// The stored runs `ids` with their events; an error names the database and run.
Result<QVector<RunData>> readRuns(store::RunStore &db, const QList<qint64> &ids)
{
    QVector<RunData> runs;
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
    createActions();
    createMenus();
    connect(m_controller, &RunController::progress, m_live, &RunView::onProgress);
    connect(m_controller, &RunController::layerSample, m_live, &RunView::onLayerSample);
    connect(m_controller, &RunController::image, m_live, &RunView::onImage);
    connect(m_controller, &RunController::logLine, m_live, &RunView::onLog);
    connect(m_controller, &RunController::finished, this, &MainWindow::onFinished);
    connectState();
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
    auto *comparePage = new QWidget(m_tabs);
    m_compare = new CompareView(comparePage);
    auto *cl = new QVBoxLayout(comparePage);
    auto *cb = new QHBoxLayout;
    auto *csv = new QPushButton(tr("Export table as &CSV…"), comparePage);
    csv->setObjectName(QStringLiteral("exportCompareCsv"));
    auto *png = new QPushButton(tr("Export charts as &PNG…"), comparePage);
    png->setObjectName(QStringLiteral("exportComparePng"));
    cb->addWidget(csv);
    cb->addWidget(png);
    cb->addStretch(1);
    cl->addLayout(cb);
    cl->addWidget(m_compare, 1);
    m_tabs->addTab(m_live, tr("Live run"));
    m_tabs->addTab(m_browser, tr("Runs"));
    m_tabs->addTab(m_stored, tr("Stored run"));
    m_tabs->addTab(comparePage, tr("Compare"));
    m_sweeps = new SweepsView(m_tabs);
    m_sweeps->setObjectName(QStringLiteral("sweepsView"));
    m_tabs->addTab(m_sweeps, tr("Sweeps"));
    connect(m_sweeps, &SweepsView::compareRequested, this, &MainWindow::compareRuns);
    connect(m_sweeps, &SweepsView::errorOccurred, this, [this](const QString &m) { showError(tr("Sweeps"), m); });
    m_analysis = new AnalysisPanel(m_tabs);
    m_analysis->setObjectName(QStringLiteral("analysisPanel"));
    m_tabs->addTab(m_analysis, tr("Analysis"));
    setCentralWidget(m_tabs);
    connect(m_analysis, &AnalysisPanel::analyseRequested, this, &MainWindow::analyseSensitivity);
    connect(m_analysis, &AnalysisPanel::bitsChosen, this, [this](const QString &bits) {
        m_setup->setSpec(QJsonObject{{QStringLiteral("layer_bits"), bits}, {QStringLiteral("bits"), QStringLiteral("uniform")}});
        statusBar()->showMessage(tr("Run setup: per-layer bits set from the Analysis tab"), 5000);
    });
    connect(m_analysis, &AnalysisPanel::analysisFinished, this, &MainWindow::onAnalysisFinished);
    connect(csv, &QPushButton::clicked, this, &MainWindow::exportComparison);
    connect(png, &QPushButton::clicked, this, [this] {
        const QString base = QFileDialog::getSaveFileName(this, tr("Export comparison charts (base name)"), QStringLiteral("comparison"));
        QString error;
        if (!base.isEmpty() && !m_compare->exportPngs(base, &error))
            showError(tr("Export failed"), error);
    });
    connect(m_browser, &RunsBrowser::openRequested, this, &MainWindow::openStoredRun);
    connect(m_browser, &RunsBrowser::rerunRequested, this, &MainWindow::rerunStoredRun);
    connect(m_browser, &RunsBrowser::compareRequested, this, &MainWindow::compareRuns);
    connect(m_browser, &RunsBrowser::errorOccurred, this, [this](const QString &m) { showError(tr("Runs"), m); });

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

void MainWindow::createActions()
{
    auto add = [this](const char *name, const QString &text, const QKeySequence &keys, QStyle::StandardPixmap icon,
                      const QString &tip) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(keys);
        a->setStatusTip(tip);
        a->setToolTip(tip);
        return a;
    };
    connect(add("openModel", tr("Open &Model…"), QKeySequence::Open, QStyle::SP_DialogOpenButton,
                tr("Open a model: TorchScript (.pt) or ONNX (.onnx); a card (.json) beside it, or one you describe")),
            &QAction::triggered, this, [this] {
                const QString f = QFileDialog::getOpenFileName(this, tr("Open model"), QFileInfo(m_state->modelPath()).absolutePath(),
                                                               tr("Models (*.pt *.pth *.onnx);;TorchScript (*.pt *.pth);;ONNX (*.onnx);;All files (*)"));
                if (!f.isEmpty())
                    openModel(f);
            });
    connect(add("openCalibration", tr("Open &Calibration Data…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                QStyle::SP_DirOpenIcon, tr("Choose a folder of images (class sub-folders or flat) as calibration data")),
            &QAction::triggered, this, [this] {
                const QString d = QFileDialog::getExistingDirectory(this, tr("Calibration images"));
                if (!d.isEmpty())
                    openCalibration(d);
            });
    connect(add("openEvaluation", tr("Open &Evaluation Data…"), QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_DirIcon,
                tr("Choose a folder of labelled images for the held-out evaluation")),
            &QAction::triggered, this, [this] {
                const QString d = QFileDialog::getExistingDirectory(this, tr("Evaluation images"));
                if (!d.isEmpty())
                    openEvaluation(d);
            });
    // The built-in data (Debian's Fashion-MNIST): always a way back to it
    // once a folder was chosen.
    connect(add("useBuiltinCalibration", tr("Built-in Fashion-MNIST &training set (calibration)"), {}, QStyle::SP_DriveHDIcon,
                tr("Calibrate on the built-in data, %1").arg(QStringLiteral("fashion-mnist:train"))),
            &QAction::triggered, this, [this] { openCalibration(QStringLiteral("fashion-mnist:train")); });
    connect(add("useBuiltinEvaluation", tr("Built-in Fashion-MNIST &test set (evaluation)"), {}, QStyle::SP_DriveHDIcon,
                tr("Evaluate on the built-in data, %1").arg(QStringLiteral("fashion-mnist:test"))),
            &QAction::triggered, this, [this] { openEvaluation(QStringLiteral("fashion-mnist:test")); });
    connect(add("quit", tr("&Quit"), QKeySequence::Quit, QStyle::SP_DialogCloseButton, tr("Quit the workbench")),
            &QAction::triggered, this, &QWidget::close);
    connect(add("startRun", tr("&Start"), QKeySequence(Qt::CTRL | Qt::Key_R), QStyle::SP_MediaPlay,
                tr("Quantize the model with the current settings")),
            &QAction::triggered, this, &MainWindow::startRun);
    connect(add("cancelRun", tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period), QStyle::SP_MediaStop,
                tr("Stop the run (within a second); it is kept as cancelled")),
            &QAction::triggered, this, &MainWindow::cancelRun);
    connect(add("about", tr("&About MetaAug Workbench"), {}, QStyle::SP_MessageBoxInformation, tr("Versions and licence")),
            &QAction::triggered, this, &MainWindow::showAbout);
    // One action per tab, Ctrl+1.. in tab order, for every tab there is.
    for (int i = 0; i < m_tabs->count() && i < 9; ++i)
        connect(add(tabActionName(i).toLatin1().constData(), m_tabs->tabText(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)),
                    QStyle::SP_FileDialogDetailedView, tr("Show the %1 tab").arg(m_tabs->tabText(i))),
                &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
}

// Per-layer bits belong to the model they were chosen for: after a model
// change only the layers the new model has keep theirs, and the user is told.
void MainWindow::keepLayerBitsOf(const ModelSummary &model)
{
    const QString text = m_setup->spec().value(QLatin1String("layer_bits")).toString();
    auto bits = quant::parseLayerBits(text);
    if (text.isEmpty() || !bits)
        return;
    QSet<QString> layers;
    for (const UnitSummary &u : model.units)
        for (const LayerSummary &l : u.layers)
            layers.insert(l.name);
    QStringList dropped;
    for (auto it = bits->begin(); it != bits->end();)
        if (layers.contains(it->first)) {
            ++it;
        } else {
            dropped << it->first;
            it = bits->erase(it);
        }
    if (dropped.isEmpty())
        return;
    m_setup->setSpec(QJsonObject{{QStringLiteral("layer_bits"), quant::formatLayerBits(*bits)}});
    const QString message = bits->empty()
                                ? tr("Per-layer bits cleared: %1 has none of the layers they were chosen for").arg(QFileInfo(model.path).fileName())
                                : tr("Per-layer bits kept for %1 layer(s) of %2; dropped for %3 it does not have: %4")
                                      .arg(bits->size()).arg(QFileInfo(model.path).fileName()).arg(dropped.size()).arg(dropped.join(QStringLiteral(", ")));
    m_live->onLog(message);
    statusBar()->showMessage(message, 15000);
}

// The data against the open model: labels that cannot be its outputs are
// said in red in the data panel (core's check, the one the run plan prints).
void MainWindow::updateDataWarnings()
{
    QStringList warnings;
    if (m_modelSummary)
        for (std::optional<ClassCheckInput> in : {m_calibClasses, m_evalClasses})
            if (in) {
                in->modelOutputs = m_modelSummary->classes;
                in->cardClasses = m_modelSummary->classNames;
                for (const QString &w : classMismatchWarnings(*in))
                    if (!warnings.contains(w))
                        warnings << w;
            }
    m_dataPanel->setWarnings(warnings);
}

// The tab actions' object names: the first four keep the names tests and
// settings know; later tabs are named by position.
QString MainWindow::tabActionName(int tab)
{
    static const char *const known[] = {"showLive", "showRuns", "showStored", "showCompare", "showSweeps", "showAnalysis"};
    return tab < int(std::size(known)) ? QLatin1String(known[tab]) : QStringLiteral("showTab%1").arg(tab + 1);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(QStringLiteral("openModel")));
    file->addAction(action(QStringLiteral("openCalibration")));
    file->addAction(action(QStringLiteral("openEvaluation")));
    QMenu *builtin = file->addMenu(tr("&Built-in Data"));
    builtin->setObjectName(QStringLiteral("builtinDataMenu"));
    builtin->addAction(action(QStringLiteral("useBuiltinCalibration")));
    builtin->addAction(action(QStringLiteral("useBuiltinEvaluation")));
    m_recentMenu = file->addMenu(tr("&Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    m_exportMenu = file->addMenu(tr("&Export"));
    m_exportMenu->setObjectName(QStringLiteral("exportMenu"));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quit")));
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(action(QStringLiteral("startRun")));
    run->addAction(action(QStringLiteral("cancelRun")));
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        m_viewMenu->addAction(d->toggleViewAction());
    m_viewMenu->addSeparator();
    for (int i = 0; i < m_tabs->count() && i < 9; ++i)
        m_viewMenu->addAction(action(tabActionName(i)));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(QStringLiteral("about")));

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->addAction(action(QStringLiteral("openModel")));
    tb->addAction(action(QStringLiteral("openCalibration")));
    tb->addSeparator();
    tb->addAction(action(QStringLiteral("startRun")));
    tb->addAction(action(QStringLiteral("cancelRun")));
    m_viewMenu->addAction(tb->toggleViewAction());
    rebuildExportMenu();
}

void MainWindow::rebuildExportMenu()
{
    // Model formats from the plugin registry, for the run selected in the runs
    // browser (or the stored run shown); then the run itself as a bundle.
    m_exportMenu->clear();
    for (const exporting::Exporter *e : exporting::PluginRegistry::instance().exporters()) {
        QAction *a = m_exportMenu->addAction(e->title() + QStringLiteral("…"));
        a->setObjectName(QStringLiteral("export_") + e->id());
        const QString id = e->id(), suffix = e->fileSuffix();
        // The file-type filter from the exporter's own title and suffix.
        const QString filter = tr("%1 (*.%2);;All files (*)").arg(e->title(), suffix);
        connect(a, &QAction::triggered, this, [this, id, suffix, filter] {
            const qint64 run = selectedRun();
            if (run <= 0)
                return;
            const QString file = QFileDialog::getSaveFileName(this, tr("Export run %1 as %2").arg(run).arg(id),
                                                              QStringLiteral("run-%1.%2").arg(run).arg(suffix), filter);
            if (!file.isEmpty())
                exportRun(run, id, file);
        });
    }
    for (const exporting::PluginFailure &f : exporting::PluginRegistry::instance().failures())
        m_live->onLog(tr("plugin %1 was not loaded: %2").arg(f.file, f.reason));
    if (!m_exportMenu->isEmpty())
        m_exportMenu->addSeparator();
    QAction *bundle = m_exportMenu->addAction(tr("Run bundle (.sqlite)…"));
    bundle->setObjectName(QStringLiteral("export_bundle"));
    bundle->setToolTip(tr("The selected run with its metrics, series and images, as a single SQLite file for `metaaug runs import`"));
    connect(bundle, &QAction::triggered, this, &MainWindow::exportSelectedRun);
    QAction *reportAction = m_exportMenu->addAction(tr("Report (HTML)…"));
    reportAction->setObjectName(QStringLiteral("export_report"));
    reportAction->setToolTip(tr("One self-contained HTML file: the selected run, the selected runs side by side, or the sweep shown "
                                "in the Sweeps tab"));
    connect(reportAction, &QAction::triggered, this, [this] {
        const bool sweep = m_tabs->currentWidget() == m_sweeps && m_sweeps->sweepBox()->currentData().toLongLong() > 0;
        QList<qint64> ids = sweep ? QList<qint64>{m_sweeps->sweepBox()->currentData().toLongLong()} : m_browser->selectedRunIds();
        if (ids.isEmpty() && m_stored->data().runId > 0)
            ids << m_stored->data().runId;
        if (ids.isEmpty()) {
            showError(tr("Export report"), tr("Select one or more runs in the Runs tab, or show a sweep in the Sweeps tab."));
            return;
        }
        const QString name = sweep ? QStringLiteral("sweep-%1.html").arg(ids.first())
                             : ids.size() == 1 ? QStringLiteral("run-%1.html").arg(ids.first())
                                               : QStringLiteral("comparison.html");
        const QString file = QFileDialog::getSaveFileName(this, tr("Export report"), name, tr("HTML (*.html)"));
        if (!file.isEmpty())
            exportReport(sweep ? QString("sweep") : ids.size() == 1 ? QString("run") : QString("compare"), ids, file);
    });
}

void MainWindow::exportReport(const QString &kind, const QList<qint64> &ids, const QString &file)
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
            showError(tr("Export report"), r.error().message);
        else
            statusBar()->showMessage(tr("Report written to %1").arg(file), 5000);
        Q_EMIT reportWritten(bool(r));
    });
}

qint64 MainWindow::selectedRun()
{
    QList<qint64> ids = m_browser->selectedRunIds();
    if (ids.isEmpty() && m_stored->data().runId > 0)
        ids << m_stored->data().runId;
    if (ids.size() != 1) {
        showError(tr("Export"), tr("Select one run in the Runs tab to export."));
        return 0;
    }
    return ids.first();
}

void MainWindow::exportRun(qint64 runId, const QString &format, const QString &path)
{
    using Rows = Result<std::vector<store::ArtefactRow>>;
    statusBar()->showMessage(tr("Exporting run %1 as %2…").arg(runId).arg(format));
    ++m_pendingExports;
    const QString db = m_dbPath;
    runAsync<Rows>(this, [db, runId, format, path]() -> Rows {
        auto store = store::RunStore::open(db);
        if (!store)
            return store.error();
        return exporting::exportStoredRun(**store, runId, format, path);
    }, [this, runId, format](const Rows &r) {
        --m_pendingExports;
        if (!r) {
            showError(tr("Export failed"), r.error().message);
        } else {
            QStringList files;
            for (const store::ArtefactRow &a : *r)
                files << a.path;
            statusBar()->showMessage(tr("Run %1 exported as %2: %3").arg(runId).arg(format, files.join(QStringLiteral(", "))), 10000);
        }
        Q_EMIT exportFinished(bool(r));
    });
}

void MainWindow::exportSelectedRun()
{
    const qint64 run = selectedRun();
    if (run <= 0)
        return;
    const QList<qint64> ids{run};
    const QString file = QFileDialog::getSaveFileName(this, tr("Export run %1").arg(ids.first()),
                                                      QStringLiteral("run-%1.sqlite").arg(ids.first()), tr("Run bundles (*.sqlite)"));
    if (file.isEmpty())
        return;
    const qint64 id = ids.first();
    m_store->call<bool>(this, [id, file](store::RunStore &db) -> Result<bool> {
        if (auto r = db.exportRun(id, file); !r)
            return r.error();
        return true;
    }, [this, id, file](const Result<bool> &r) {
        if (!r)
            showError(tr("Export failed"), r.error().message);
        else
            statusBar()->showMessage(tr("Run %1 exported to %2").arg(id).arg(file), 5000);
    });
}

void MainWindow::exportComparison()
{
    if (m_compare->runs().size() < 2) {
        showError(tr("Export"), tr("Compare two or more runs first (Runs tab, select, Compare)."));
        return;
    }
    const QString file = QFileDialog::getSaveFileName(this, tr("Export comparison"), QStringLiteral("comparison.csv"), tr("CSV (*.csv)"));
    QString error;
    if (!file.isEmpty() && !m_compare->exportCsv(file, &error))
        showError(tr("Export failed"), error);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &m : m_state->recent(QStringLiteral("models")))
        connect(m_recentMenu->addAction(tr("Model: %1").arg(m)), &QAction::triggered, this, [this, m] { openModel(m); });
    m_recentMenu->addSeparator();
    for (const QString &d : m_state->recent(QStringLiteral("data")))
        connect(m_recentMenu->addAction(tr("Calibration: %1").arg(d)), &QAction::triggered, this, [this, d] { openCalibration(d); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

// The panels and dialogs follow the state's loads.
void MainWindow::connectState()
{
    connect(m_state, &WorkbenchState::changed, this, &MainWindow::updateState);
    connect(m_state, &WorkbenchState::recentChanged, this, &MainWindow::rebuildRecentMenu);
    connect(m_state, &WorkbenchState::modelLoaded, this, [this](const QString &, const Result<ModelSummary> &r) {
        if (r) {
            m_modelSummary = *r;
            m_modelPanel->setSummary(*r);
            keepLayerBitsOf(*r);
            updateDataWarnings();
        } else {
            // The previous model stays open: show it again.
            if (m_state->modelReady() && m_modelSummary)
                m_modelPanel->setSummary(*m_modelSummary);
            else
                m_modelPanel->setMessage(tr("The model could not be loaded."));
            showError(tr("Model not opened"), r.error().message);
        }
        Q_EMIT modelLoaded(bool(r));
    });
    connect(m_state, &WorkbenchState::cardNeeded, this, &MainWindow::askForCard);
    connect(m_state, &WorkbenchState::calibrationLoaded, this, [this](const QString &, const Result<DataSummary> &r) {
        if (r) {
            m_dataPanel->setCalibration(*r);
            m_calibClasses = ClassCheckInput{r->source, r->classNames, r->labelled, 0, {}};
            updateDataWarnings();
        } else {
            m_dataPanel->setCalibrationMessage(tr("No usable calibration data."));
            showError(tr("Calibration data"), r.error().message);
        }
        Q_EMIT calibrationLoaded(bool(r));
    });
    connect(m_state, &WorkbenchState::evaluationLoaded, this, [this](const QString &source, const Result<DataSummary> &r) {
        if (r) {
            m_dataPanel->setEvaluation(source, r->count);
            m_evalClasses = ClassCheckInput{r->source, r->classNames, r->labelled, 0, {}};
            updateDataWarnings();
        } else {
            m_dataPanel->setEvaluation(source, 0, r.error().message);
            showError(tr("Evaluation data"), r.error().message);
        }
    });
}

void MainWindow::openModel(const QString &path)
{
    m_modelPanel->setMessage(tr("Loading %1…").arg(path));
    m_state->openModel(path);
}

void MainWindow::askForCard(const QString &path)
{
    // The file is read (sandboxed, on the pool) before its card is asked for:
    // a file that is no model is refused with its own error, and no card is written.
    runAsync<Result<std::vector<int64_t>>>(this, [path] { return checkModelFile(path); }, [this, path](const Result<std::vector<int64_t>> &shape) {
        if (!shape) {
            if (m_modelSummary && m_state->modelReady())
                m_modelPanel->setSummary(*m_modelSummary);  // the previous model is still open
            else
                m_modelPanel->setMessage(tr("The model could not be loaded."));
            showError(tr("Model not opened"), shape.error().message);
            return;
        }
        auto *dialog = new CardDialog(path, *shape, m_state->calibSource(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog, path] { m_state->openModel(path, dialog->cardPath()); });
        connect(dialog, &QDialog::rejected, this, [this] {
            if (m_modelSummary && m_state->modelReady())
                m_modelPanel->setSummary(*m_modelSummary);  // the previous model is still open
            else
                m_modelPanel->setMessage(tr("No model open: it needs a model card."));
        });
        dialog->open();
    });
}

void MainWindow::openCalibration(const QString &source)
{
    m_dataPanel->setCalibrationMessage(tr("Reading %1…").arg(source));
    m_state->openCalibration(source);
}

void MainWindow::openEvaluation(const QString &source)
{
    m_dataPanel->setEvaluation(source, 0, tr("reading…"));
    m_state->openEvaluation(source);
}

void MainWindow::startRun()
{
    if (m_controller->isRunning())
        return;
    if (!m_state->canRun()) {
        showError(tr("Cannot start"), m_state->notReadyReason());
        return;
    }
    m_rerunOf.reset();
    beginRun(runSpec());
}

// A stored run's spec, run again as it was recorded (its card's values
// included): the store is read on its thread, then the run starts.
void MainWindow::rerunStoredRun(qint64 runId)
{
    if (m_controller->isRunning()) {
        showError(tr("Rerun"), tr("A run is in progress; rerun run %1 when it has finished.").arg(runId));
        return;
    }
    m_store->call<store::RunRow>(this, [runId](store::RunStore &db) { return db.run(runId); }, [this, runId](const Result<store::RunRow> &row) {
        if (!row) {
            showError(tr("Rerun"), row.error().message);
            return;
        }
        if (row->kind != QLatin1String(store::kQuantizeRun)) {
            showError(tr("Rerun"), tr("Run %1 is a %2 run; only quantization runs can be rerun.").arg(runId).arg(row->kind));
            return;
        }
        // A spec that no longer validates (a model file gone) fails as a run,
        // with the engine's message, like any other start.
        if (m_controller->isRunning())
            return;
        m_rerunOf = RerunOf{runId, row->result.value(QLatin1String("qweights_sha256")).toString()};
        beginRun(row->spec);
        m_live->onLog(tr("rerun of run %1").arg(runId));
    });
}

void MainWindow::beginRun(const QJsonObject &spec)
{
    m_live->startLive(spec);
    m_tabs->setCurrentWidget(m_live);
    m_stall->start();
    m_controller->start(spec, m_dbPath);
    m_stateText = tr("running %1 %2").arg(spec.value(QLatin1String("method")).toString(), bitsLabel(spec));
    updateState();
    if (m_state->useSettings()) {
        QSettings s;
        m_setup->save(s);
    }
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
                    m_analysis->noteRun(r);
        });
}

void MainWindow::cancelRun()
{
    if (!m_controller->isRunning())
        return;
    m_controller->cancel();
    m_stateText = tr("cancelling…");
    updateState();
}

void MainWindow::onFinished(const RunFinished &f)
{
    m_stall->stop();
    m_live->onFinished(f);
    m_live->onLog(tr("GUI responsiveness during the run: %1").arg(m_stall->summary()));
    const QString status = QLatin1String(statusName(f.status));
    m_stateText = f.runId ? tr("run %1 %2").arg(f.runId).arg(status) : status;
    updateState();
    m_browser->reload();
    if (f.result)
        m_analysis->noteRun(*f.result);
    if (m_rerunOf && f.result) {
        const QString now = f.result->qweightsSha256, was = m_rerunOf->qweightsSha256;
        const QString said = was.isEmpty() ? tr("Rerun of run %1: it had no stored result to compare with").arg(m_rerunOf->runId)
                             : was == now ? tr("Rerun of run %1: quantized weights identical (qweights_sha256 %2)").arg(m_rerunOf->runId).arg(now.left(16))
                                          : tr("Rerun of run %1: quantized weights DIFFER (was %2, now %3)").arg(m_rerunOf->runId).arg(was.left(16), now.left(16));
        m_live->onLog(said);
        statusBar()->showMessage(said, 30000);
        Q_EMIT rerunCompared(m_rerunOf->runId, !was.isEmpty() && was == now);
    }
    m_rerunOf.reset();
    if (f.status == RunStatus::Failed)
        showError(tr("Run failed"), f.error);
    else if (!f.warnings.isEmpty())  // the run went on, but its record is not all there (or was rescued)
        showError(tr("Run recording"), f.warnings.join(QLatin1Char('\n')));
    Q_EMIT runFinished(f.runId, f.status);
}

// Stored runs are read on the store's thread (events, images: can be large).
void MainWindow::openStoredRun(qint64 runId)
{
    // A sensitivity analysis opens in the Analysis tab; a quantization run in the stored-run view.
    m_store->call<store::RunRow>(this, [runId](store::RunStore &db) { return db.run(runId); }, [this, runId](const Result<store::RunRow> &row) {
        if (!row) {
            showError(tr("Open run"), row.error().message);
            return;
        }
        if (row->kind == QLatin1String(store::kQuantizeRun)) {
            openStoredQuantization(runId);
            return;
        }
        if (row->status != RunStatus::Succeeded) {
            showError(tr("Open run"), tr("Sensitivity run %1 %2: %3").arg(runId).arg(QLatin1String(statusName(row->status)), row->error));
            return;
        }
        auto study = sensitivityStudyFromJson(row->result);
        if (!study) {
            showError(tr("Open run"), tr("Sensitivity run %1: %2").arg(runId).arg(study.error().message));
            return;
        }
        study->runId = runId;
        m_analysis->showStudy(*study);
        m_tabs->setCurrentWidget(m_analysis);
        Q_EMIT storedRunShown(runId);
    });
}

void MainWindow::openStoredQuantization(qint64 runId)
{
    using Runs = QVector<RunData>;
    m_store->call<Runs>(this, [runId](store::RunStore &db) { return readRuns(db, {runId}); }, [this](const Result<Runs> &r) {
        if (!r) {
            showError(tr("Open run"), r.error().message);
            return;
        }
        m_stored->showStored(r->first());
        m_tabs->setCurrentWidget(m_stored);
        Q_EMIT storedRunShown(r->first().runId);
    });
}

void MainWindow::compareRuns(const QList<qint64> &runIds)
{
    using Runs = QVector<RunData>;
    m_store->call<Runs>(this, [runIds](store::RunStore &db) { return readRuns(db, runIds); }, [this](const Result<Runs> &r) {
        if (!r) {
            showError(tr("Compare runs"), r.error().message);
            return;
        }
        m_compare->setRuns(*r);
        m_tabs->setCurrentWidget(m_compare->parentWidget());
        Q_EMIT comparisonShown(int(r->size()));
    });
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
    const bool running = m_controller->isRunning();
    action(QStringLiteral("startRun"))->setEnabled(!running && m_state->canRun());
    action(QStringLiteral("cancelRun"))->setEnabled(running && !m_controller->cancelRequested());
    for (const char *n : {"openModel", "openCalibration", "openEvaluation"})
        action(QLatin1String(n))->setEnabled(!running);
    m_setup->setEnabled(!running);
    m_modelStatus->setText(tr("Model: %1%2").arg(QFileInfo(m_state->modelPath()).fileName(), m_state->modelReady() ? QString() : tr(" (not loaded)")));
    m_dataStatus->setText(tr("Data: %1 → %2").arg(m_state->calibSource(), m_state->evalSource()));
    m_runStatus->setText(m_stateText.isEmpty() ? (m_state->isLoading() ? tr("loading…") : tr("ready")) : m_stateText);
}

void MainWindow::showAbout()
{
    QString rows;
    for (const auto &[name, version] : libraryVersions())
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(name.toHtmlEscaped(), version.toHtmlEscaped());
    auto *box = new QMessageBox(QMessageBox::Information, tr("About MetaAug Workbench"),
                                tr("<h3>MetaAug Workbench %1</h3><p>Post-training quantization of CNNs with MetaAug "
                                   "(ECCV 2024) and baselines (RTN, AdaRound, BRECQ, QDrop, Genie-M).</p>"
                                   "<p>Free software under the GNU General Public License, version 3 or (at your option) "
                                   "any later version; it comes with no warranty. See the LICENSE file.</p>"
                                   "<p>Run database: %2</p><table>%3</table>")
                                    .arg(QApplication::applicationVersion(), m_dbPath.toHtmlEscaped(), rows),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("aboutDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
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
