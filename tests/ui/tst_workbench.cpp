// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench through its window (offscreen): menus, the default model
// and data, a MetaAug run watched live and cancelled, a run to completion
// found in the runs browser and reopened as recorded, a comparison of two
// runs with its CSV/PNG export, and an unsupported model's error dialog.
#include "common/paths.h"
#include "methods/methodcatalog.h"
#include "compareview.h"
#include "datapanel.h"
#include "imagegrid.h"
#include "mainwindow.h"
#include "plotstyle.h"
#include "workbenchwindow.h"
#include "modelpanel.h"
#include "resultspanel.h"
#include "runcharts.h"
#include "runcontroller.h"
#include "runsbrowser.h"
#include "runsetuppanel.h"
#include "runview.h"
#include "store/runstore.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QTreeWidget>

#include <qcustomplot.h>

#include <memory>

using namespace metaaug;
using namespace metaaug::ui;

namespace {
constexpr int kLoadTimeoutMs = 60000;
constexpr int kRunTimeoutMs = 300000;

QStringList actionTexts(QMenu *m)
{
    QStringList out;
    for (QAction *a : m->actions())
        if (!a->isSeparator())
            out << a->text().remove('&');
    return out;
}

int rowOf(QTableWidget *t, const QString &field)
{
    for (int r = 0; r < t->rowCount(); ++r)
        if (t->item(r, 0)->text() == field)
            return r;
    return -1;
}
}  // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void menusAndShortcuts();
    void startsWithTheDefaults();
    void liveRunCancelled();
    void runToCompletionInBrowser();
    void compareTwoRuns();
    void unsupportedModelDialog();
    void settingsRemembered();
    void logAxisLabelsEachTickOnce();
    void paperPresetIsThePublicCode();
    void compareViewVerdicts();

private:
    std::unique_ptr<MainWindow> window();
    qint64 runToEnd(MainWindow &w, const QJsonObject &spec);
    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_geniemRun = 0;
};

void TestWorkbench::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath("runs.sqlite");
    // Settings go to ~/.qttest, never to the user's own.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("metaaug-workbench-test");
    QCoreApplication::setApplicationName("tst_workbench");
    QSettings().clear();
}

std::unique_ptr<MainWindow> TestWorkbench::window()
{
    return test::openWorkbench(m_db, kLoadTimeoutMs);
}

qint64 TestWorkbench::runToEnd(MainWindow &w, const QJsonObject &spec)
{
    w.setupPanel()->setSpec(spec);
    QSignalSpy finished(&w, &MainWindow::runFinished);
    w.action("startRun")->trigger();
    if (!finished.wait(kRunTimeoutMs) || finished.first().at(1).value<RunStatus>() != RunStatus::Succeeded)
        return 0;
    return finished.first().at(0).toLongLong();
}

void TestWorkbench::menusAndShortcuts()
{
    auto w = window();
    QVERIFY(w);
    QStringList menus;
    for (QAction *a : w->menuBar()->actions())
        menus << a->text().remove('&');
    QCOMPARE(menus, (QStringList{"File", "Run", "View", "Help"}));
    const QStringList file = actionTexts(w->menuBar()->actions()[0]->menu());
    QCOMPARE(file, (QStringList{"Open Model…", "Open Calibration Data…", "Open Evaluation Data…", "Built-in Data", "Recent", "Export", "Quit"}));
    // File ▸ Export: one entry per format in the plugin registry, then the run bundle.
    for (const char *format : {"export_encodings", "export_torchscript", "export_bundle"})
        QVERIFY2(w->action(format), format);
    const QStringList view = actionTexts(w->menuBar()->actions()[2]->menu());
    for (const char *panel : {"Run setup", "Model", "Data", "Live run", "Runs", "Compare"})
        QVERIFY2(view.contains(panel), panel);
    QCOMPARE(w->action("openModel")->shortcut(), QKeySequence(QKeySequence::Open));
    QCOMPARE(w->action("startRun")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    QVERIFY(!w->action("cancelRun")->isEnabled());
    w->action("about")->trigger();
    auto *about = w->findChild<QMessageBox *>("aboutDialog");
    QVERIFY(about && about->isVisible());
    for (const char *lib : {"Qt", "LibTorch", "OpenCV", "SQLite"})
        QVERIFY2(about->text().contains(lib), lib);
    QVERIFY(about->text().contains("GNU General Public License, version 3"));
    about->close();
}

void TestWorkbench::startsWithTheDefaults()
{
    auto w = window();
    QVERIFY(w && w->modelReady());
    QTRY_VERIFY_WITH_TIMEOUT(w->action("startRun")->isEnabled(), kLoadTimeoutMs);
    QCOMPARE(w->modelPanel()->tree()->topLevelItemCount(), 11);  // ResNet-20's units
    QCOMPARE(w->modelPanel()->tree()->topLevelItem(1)->childCount(), 2);
    QVERIFY(w->dataPanel()->calibrationText().contains("60000 images"));
    QCOMPARE(w->dataPanel()->thumbnails()->count(), 12);
    // Every MetaAug option has a tooltip that states its default, in a
    // section shown only while MetaAug is the method.
    RunSetupPanel *setup = w->setupPanel();
    const auto editors = setup->methodGroup("metaaug")->findChildren<QWidget *>(QRegularExpression("^metaaug_"));
    QCOMPARE(int(editors.size()), int(methods::methodOptionFields("metaaug").size()));
    for (QWidget *editor : editors)
        QVERIFY2(editor->toolTip().contains("default"), qPrintable(editor->objectName()));
    setup->setSpec(QJsonObject{{"method", "rtn"}});
    QVERIFY(setup->methodGroup("metaaug")->isHidden());
    QVERIFY(!setup->findChild<QWidget *>("iters")->isEnabled());  // rtn does not iterate
    QVERIFY(setup->spec().value("method_options").toObject().isEmpty());
    setup->setSpec(QJsonObject{{"method", "metaaug"}});
    QVERIFY(!setup->methodGroup("metaaug")->isHidden());
    QVERIFY(setup->findChild<QWidget *>("iters")->isEnabled());
}

void TestWorkbench::liveRunCancelled()
{
    auto w = window();
    QVERIFY(w);
    QTRY_VERIFY_WITH_TIMEOUT(w->action("startRun")->isEnabled(), kLoadTimeoutMs);
    w->setupPanel()->setSpec(QJsonObject{{"method", "metaaug"}, {"calib_size", 64}, {"iters", 30}, {"eval_limit", 200},
                                         {"method_options", QJsonObject{{"meta_iters", 400}, {"image_every", 2}}}});
    QSignalSpy progress(w->controller(), &RunController::progress);
    QSignalSpy finished(w.get(), &MainWindow::runFinished);
    QElapsedTimer runClock;
    runClock.start();
    w->action("startRun")->trigger();
    QVERIFY(!w->action("startRun")->isEnabled());
    QVERIFY(w->action("cancelRun")->isEnabled());
    // T's warm-up (images of unit -1), unit 1 is reconstructed (probe
    // curves), unit 2 starts the meta phase (its images).
    QTRY_VERIFY_WITH_TIMEOUT(w->liveView()->progressText().contains("unit 2/11"), kRunTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!w->liveView()->data().images.isEmpty() && w->liveView()->data().images.last().unit == 1, kRunTimeoutMs);
    QVERIFY(w->liveView()->progressText().contains("meta"));
    QVERIFY(w->liveView()->progressBar()->value() > 0);
    QVERIFY(progress.count() >= 30);
    const RunData &d = w->liveView()->data();
    QVERIFY(d.probeSqnr.count(0) && !d.probeSqnr.at(0).empty());
    QVERIFY(!d.metaTerms.at("outer").isEmpty());
    // The method chart draws what the events declare: MSE(T(x), x) and the eps line.
    QVERIFY(!d.metaTerms.at("t_mse").isEmpty());
    QCOMPARE(d.metaTerms.at("ref.eps").last().y(), 0.1);
    QTRY_VERIFY_WITH_TIMEOUT(w->liveView()->charts()->metaPlot()->graphCount() >= 8, 2000);
    QTRY_VERIFY_WITH_TIMEOUT(w->liveView()->images()->caption().contains("Unit 2"), 5000);
    // T has left the identity (warm-up): the difference map has a scale of
    // more than one level, and 28x28 images show at >= 56 px.
    QVERIFY(w->liveView()->images()->differenceScale() > 1.0);
    QVERIFY(w->liveView()->images()->thumbnailSize() >= 56);
    QVERIFY(w->liveView()->images()->findChild<QLabel *>("differenceMap")->pixmap().width() >= 8 * 56);
    // Charts redraw on a timer, not per event.
    QVERIFY(w->liveView()->redraws() < progress.count());
    QVERIFY(w->liveView()->redraws() <= 1 + runClock.elapsed() / 50);

    QElapsedTimer cancelClock;
    cancelClock.start();
    w->action("cancelRun")->trigger();
    QVERIFY(finished.wait(10000));
    const qint64 cancelMs = cancelClock.elapsed();
    qInfo("cancel took %lld ms (during the meta phase)", static_cast<long long>(cancelMs));
    QVERIFY2(cancelMs < 5000, "cancel must stop the run promptly");
    QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Cancelled);
    const qint64 id = finished.first().at(0).toLongLong();
    auto db = store::RunStore::open(m_db);
    QVERIFY(db);
    auto row = (*db)->run(id);
    QVERIFY(row);
    QCOMPARE(row->status, store::RunStatus::Cancelled);
    QVERIFY((*db)->rowCounts(id)->images >= 2);
    QVERIFY(w->action("startRun")->isEnabled());
}

void TestWorkbench::runToCompletionInBrowser()
{
    auto w = window();
    QVERIFY(w);
    QTRY_VERIFY_WITH_TIMEOUT(w->action("startRun")->isEnabled(), kLoadTimeoutMs);
    m_geniemRun = runToEnd(*w, QJsonObject{{"method", "geniem"}, {"calib_size", 64}, {"iters", 20}, {"eval_limit", 300}});
    QVERIFY(m_geniemRun > 0);
    ResultsPanel *results = w->liveView()->results();
    QVERIFY2(results->headline().contains("geniem W2A4"), qPrintable(results->headline()));
    QVERIFY(results->metricText("q_top1").contains(" %"));
    QCOMPARE(results->layerTable()->rowCount(), 22);
    QCOMPARE(w->liveView()->data().layerSqnr.size(), 22);  // every layer's final SQNR reached the live view
    // At the default window size the metrics and every layer column fit:
    // nothing wraps, no column is cut.
    auto *side = w->liveView()->findChild<QTabWidget *>("runSideTabs");
    side->setCurrentWidget(results);
    QTRY_VERIFY2(results->width() >= results->neededWidth(),
                 qPrintable(QStringLiteral("%1 < %2").arg(results->width()).arg(results->neededWidth())));
    for (int c = 0; c < results->layerTable()->columnCount(); ++c)
        QVERIFY(results->layerTable()->columnWidth(c) >= results->layerTable()->horizontalHeader()->sectionSizeHint(c));

    RunsBrowser *b = w->runsBrowser();
    QTRY_COMPARE(b->visibleRuns(), 2);  // the cancelled MetaAug run and this one (read off the GUI thread)
    b->setFilters(QString(), QString(), QString(), "succeeded");
    QCOMPARE(b->visibleRuns(), 1);
    b->setFilters(QString(), "metaaug", QString(), QString());
    QCOMPARE(b->visibleRuns(), 1);
    b->setFilters("resnet20", QString(), "W2A4", QString());
    QCOMPARE(b->visibleRuns(), 2);
    b->setFilters(QString(), QString(), QString(), QString());
    b->selectRuns({m_geniemRun});
    QCOMPARE(b->selectedRunIds(), QList<qint64>{m_geniemRun});
    QSignalSpy shown(w.get(), &MainWindow::storedRunShown);
    w->findChild<QPushButton *>("openRun")->click();
    QVERIFY(shown.wait(10000));
    const RunData &stored = w->storedView()->data();
    QCOMPARE(stored.runId, m_geniemRun);
    QCOMPARE(int(stored.reconLoss.size()), 11);
    QCOMPARE(stored.reconLoss.at(3).size(), 20);
    QCOMPARE(w->storedView()->charts()->lossPlot()->graphCount(), 11);
    QCOMPARE(w->storedView()->results()->layerTable()->rowCount(), 22);
    // The stored curves are the live ones.
    QCOMPARE(stored.reconLoss.at(3), w->liveView()->data().reconLoss.at(3));
    QCOMPARE(stored.probeSqnr.at(3), w->liveView()->data().probeSqnr.at(3));

    // File ▸ Export of the run (on the thread pool): the files and an artefact row.
    QSignalSpy exported(w.get(), &MainWindow::exportFinished);
    const QString file = m_dir.filePath("gui-export.pt");
    w->exportRun(m_geniemRun, "torchscript", file);
    QVERIFY(exported.wait(60000));
    QCOMPARE(exported.first().at(0).toBool(), true);
    QVERIFY(QFileInfo(file).size() > 100000);
    auto db = store::RunStore::open(m_db);
    QCOMPARE(int((*db)->artefacts(m_geniemRun)->size()), 1);
    // A cancelled run has no model to export: a dialog says so, nothing is written.
    QSignalSpy error(w.get(), &MainWindow::errorShown);
    w->exportRun(m_geniemRun - 1, "torchscript", m_dir.filePath("cancelled.pt"));
    QVERIFY(exported.wait(60000));
    QCOMPARE(exported.last().at(0).toBool(), false);
    QVERIFY2(error.last().at(0).toString().contains("cancelled"), qPrintable(error.last().at(0).toString()));
    QVERIFY(!QFile::exists(m_dir.filePath("cancelled.pt")));
}

void TestWorkbench::compareTwoRuns()
{
    QVERIFY(m_geniemRun > 0);
    auto w = window();
    QVERIFY(w);
    QTRY_VERIFY_WITH_TIMEOUT(w->action("startRun")->isEnabled(), kLoadTimeoutMs);
    const qint64 rtnRun = runToEnd(*w, QJsonObject{{"method", "rtn"}, {"calib_size", 64}, {"eval_limit", 300}});
    QVERIFY(rtnRun > 0);
    // The run list is read off the GUI thread: select once the rtn run is listed.
    auto selectBoth = [&] {
        w->runsBrowser()->selectRuns({m_geniemRun, rtnRun});
        return w->runsBrowser()->selectedRunIds().size() == 2;
    };
    QTRY_VERIFY(selectBoth());
    QSignalSpy compared(w.get(), &MainWindow::comparisonShown);
    w->findChild<QPushButton *>("compareRuns")->click();
    QVERIFY(compared.wait(10000));
    CompareView *c = w->compareView();
    QCOMPARE(c->runs().size(), 2);
    QCOMPARE(c->table()->columnCount(), 4);  // field, run, run, delta
    auto db = store::RunStore::open(m_db);
    const double a = (*db)->run(m_geniemRun)->result.value("q_top1").toDouble();
    const double b = (*db)->run(rtnRun)->result.value("q_top1").toDouble();
    const int row = rowOf(c->table(), "quantized test top-1 (%)");
    QVERIFY(row >= 0);
    QCOMPARE(c->table()->item(row, 1)->text(), QString::number(a, 'f', 2));
    QCOMPARE(c->table()->item(row, 3)->text().section(' ', 0, 0).toDouble(), QString::number(b - a, 'f', 2).toDouble());  // "+0.40 better"
    QCOMPARE(c->table()->item(rowOf(c->table(), "method"), 3)->text(), QString("≠"));
    QCOMPARE(c->sqnrPlot()->plottableCount(), 2);
    QCOMPARE(static_cast<QCPBars *>(c->sqnrPlot()->plottable(0))->data()->size(), 22);
    QCOMPARE(static_cast<QCPBars *>(c->gapPlot()->plottable(0))->data()->size(), 2);
    QCOMPARE(c->lossPlot()->graphCount(), 1);  // rtn has no reconstruction loss

    QString error;
    const QString csv = m_dir.filePath("compare.csv");
    QVERIFY2(c->exportCsv(csv, &error), qPrintable(error));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), c->table()->rowCount() + 1);
    QVERIFY(lines[row + 1].startsWith("quantized test top-1 (%)," + QString::number(a, 'f', 2)));
    QVERIFY2(c->exportPngs(m_dir.filePath("compare"), &error), qPrintable(error));
    for (const char *chart : {"loss", "sqnr", "gap", "method"}) {
        const QImage img(m_dir.filePath(QStringLiteral("compare-%1.png").arg(chart)));
        QVERIFY2(img.width() == 1200 && img.height() == 700, chart);
    }
    QVERIFY(!QFile::exists(m_dir.filePath("compare-gap.png.partial")));
    QVERIFY(!c->exportCsv(m_dir.filePath("no/such/dir/x.csv"), &error));
    QVERIFY(error.contains("no/such/dir/x.csv"));
}

void TestWorkbench::unsupportedModelDialog()
{
    auto w = window();
    QVERIFY(w && w->modelReady());
    const QString previous = w->state()->modelPath();
    const int previousUnits = w->modelPanel()->tree()->topLevelItemCount();
    QVERIFY(previousUnits > 0);
    const QString fixture = qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/lstm_traced.pt";
    QVERIFY2(QFileInfo::exists(fixture), "run the make_fixtures CTest fixture first");
    const QString model = m_dir.filePath("lstm.pt");
    QVERIFY(QFile::copy(fixture, model));
    QVERIFY(QFile::copy(modelsDir() + "/resnet20_fmnist.json", m_dir.filePath("lstm.json")));
    QSignalSpy error(w.get(), &MainWindow::errorShown);
    w->openModel(model);
    QVERIFY(error.wait(kLoadTimeoutMs));
    QVERIFY2(error.first().at(0).toString().contains("lstm.pt"), qPrintable(error.first().at(0).toString()));
    auto *dialog = w->findChild<QMessageBox *>("errorDialog");
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(dialog->text().contains("lstm.pt"));
    // The model that was open stays open, shown and runnable.
    QVERIFY(w->modelReady());
    QCOMPARE(w->state()->modelPath(), previous);
    QCOMPARE(w->modelPanel()->tree()->topLevelItemCount(), previousUnits);
    QTRY_VERIFY_WITH_TIMEOUT(w->action("startRun")->isEnabled(), kLoadTimeoutMs);
    dialog->close();
    // The window goes on: the default model loads again.
    QSignalSpy loaded(w.get(), &MainWindow::modelLoaded);
    w->openModel(defaultModelPath());
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QVERIFY(w->modelReady());
}

void TestWorkbench::settingsRemembered()
{
    WorkbenchOptions o;
    o.dbPath = m_db;
    {
        MainWindow w(o);
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(!w.isLoading() && w.modelReady(), kLoadTimeoutMs);
        w.setupPanel()->setSpec(QJsonObject{{"method", "qdrop"}, {"wbits", 3}, {"seed", "7"}});
        w.resize(1111, 777);
        QVERIFY(w.close());
    }
    MainWindow again(o);
    QCOMPARE(again.setupPanel()->spec().value("method").toString(), QString("qdrop"));
    QCOMPARE(again.setupPanel()->spec().value("wbits").toInt(), 3);
    QCOMPARE(again.setupPanel()->spec().value("seed").toString(), QString("7"));
    QCOMPARE(again.size(), QSize(1111, 777));
    QStringList recent;
    for (QAction *a : again.findChild<QMenu *>("recentMenu")->actions())
        recent << a->text();
    QVERIFY2(recent.contains("Model: " + defaultModelPath()), qPrintable(recent.join(", ")));
}

// Under a decade a log axis gets linear ticks, each labelled once (the
// probe chart's MSE axis read "2·10^-1" four times); over decades, powers.
void TestWorkbench::logAxisLabelsEachTickOnce()
{
    QCustomPlot plot;
    plot.resize(400, 300);
    setLogAxis(plot.yAxis);
    for (const auto &[lo, hi] : {std::pair{0.15, 0.35}, std::pair{0.0102, 0.0109}, std::pair{1e-4, 10.0}}) {
        plot.yAxis->setRange(lo, hi);
        plot.replot();
        const QVector<QString> labels = plot.yAxis->tickVectorLabels();
        QVERIFY2(labels.size() >= 2, qPrintable(QString::number(lo)));
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
    }
}

void TestWorkbench::paperPresetIsThePublicCode()
{
    RunSetupPanel panel;
    panel.applyPreset("paper");
    QJsonObject spec = panel.spec();
    QCOMPARE(spec.value("iters").toInt(), 20000);
    panel.setSpec(QJsonObject{{"method", "metaaug"}});
    spec = panel.spec();
    const QJsonObject o = spec.value("method_options").toObject();
    QCOMPARE(o.value("t_init").toString(), QString("none"));
    QCOMPARE(o.value("t_output").toString(), QString("plain"));
    QCOMPARE(o.value("mixup").toString(), QString("independent"));
    QCOMPARE(o.value("meta_iters").toInt(), 500);
    // Back to the default preset: every option it does not change is the engine's default again.
    panel.applyPreset("default");
    const QJsonObject d = panel.spec().value("method_options").toObject();
    QCOMPARE(d.value("t_init").toString(), QString("warmup"));
    QCOMPARE(d.value("t_output").toString(), QString("residual"));
    QCOMPARE(d.value("t_frozen").toBool(), false);
}

// The compare view judges a delta by the metric's direction (core's
// ResultMetric::verdict), in words and colour: a larger gap is worse
// although positive, a shorter wall time better although negative.
void TestWorkbench::compareViewVerdicts()
{
    QVector<RunData> runs(2);
    const double gap[] = {1.0, 1.4}, wall[] = {100.0, 59.5}, top1[] = {90.0, 90.3};
    for (int i = 0; i < 2; ++i) {
        runs[i].runId = i + 1;
        runs[i].status = RunStatus::Succeeded;
        runs[i].spec = QJsonObject{{"method", i ? "metaaug" : "qdrop"}, {"wbits", 4}, {"abits", 4}};
        RunResult r;
        r.gap = gap[i];
        r.wallSeconds = wall[i];
        r.qTop1 = top1[i];
        r.fpTop1 = 91.7;
        runs[i].result = r;
    }
    CompareView c;
    c.setRuns(runs);
    const QColor green(0, 120, 0), red(170, 0, 0);
    struct Expect {
        const char *field, *text, *verdict;
        QColor colour;
    };
    for (const Expect &e : {Expect{"gap calibration − test (pt)", "+0.40 worse", "worse", red},
                            Expect{"wall time (s)", "-40.5 better", "better", green},
                            Expect{"quantized test top-1 (%)", "+0.30 better", "better", green},
                            Expect{"FP test top-1 (%)", "0.00", "", QColor()}}) {
        const int row = rowOf(c.table(), e.field);
        QVERIFY2(row >= 0, e.field);
        QTableWidgetItem *delta = c.table()->item(row, 3);
        QCOMPARE(delta->text(), QString(e.text));
        QCOMPARE(delta->data(Qt::UserRole).toString(), QString(e.verdict));
        QCOMPARE(delta->foreground().color(), e.colour.isValid() ? e.colour : QTableWidgetItem().foreground().color());
    }
    QVERIFY(c.csv().contains("+0.40 worse"));  // the CSV carries the verdict too
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
