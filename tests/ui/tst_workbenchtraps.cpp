// SPDX-License-Identifier: GPL-3.0-or-later
// Traps a user met in the window, driven through the real widgets: the
// built-in data is always reachable, every tab has its Ctrl+N, per-layer
// bits follow the model they were chosen for, the preset says Custom after
// an edit, a method switch keeps MetaAug's edited options, a finished run
// says what it did, and --help answers without a display.
#include "datapanel.h"
#include "mainwindow.h"
#include "runsetuppanel.h"
#include "runsbrowser.h"
#include "runview.h"
#include "workbenchwindow.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>

using namespace metaaug;
using namespace metaaug::ui;

namespace {
constexpr int kLoadTimeoutMs = 120000;
QString fixture(const QString &name) { return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + name; }
QString bundled(const QString &name) { return qEnvironmentVariable("METAAUG_MODELS_DIR") + "/" + name; }
}  // namespace

class TestWorkbenchTraps : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void builtinDataReachableAfterAFolder();
    void everyTabHasItsShortcut();
    void layerBitsFollowTheModel();
    void presetSaysCustomAfterAnEdit();
    void methodSwitchKeepsEditedOptions();
    void finishedRunSaysWhatItDid();
    void helpWithoutADisplay();
    void rerunFromTheBrowser();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_w;
};

void TestWorkbenchTraps::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("metaaug-workbench-test");
    QCoreApplication::setApplicationName("tst_workbenchtraps");
    m_w = test::openWorkbench(m_dir.filePath("runs.sqlite"), kLoadTimeoutMs);
    QVERIFY(m_w && m_w->modelReady());
}

void TestWorkbenchTraps::builtinDataReachableAfterAFolder()
{
    m_w->openCalibration(fixture("photos224"));
    QTRY_COMPARE_WITH_TIMEOUT(m_w->state()->calibSource(), fixture("photos224"), kLoadTimeoutMs);
    // Its class_0..class_9 folders are not the bundled model's class names: said in red.
    QTRY_VERIFY_WITH_TIMEOUT(m_w->dataPanel()->warningsText().contains("do not match the model card"), kLoadTimeoutMs);
    QAction *calib = m_w->action("useBuiltinCalibration");
    QAction *eval = m_w->action("useBuiltinEvaluation");
    QVERIFY(calib && eval);
    calib->trigger();
    QCOMPARE(m_w->state()->calibSource(), QStringLiteral("fashion-mnist:train"));
    eval->trigger();
    QCOMPARE(m_w->state()->evalSource(), QStringLiteral("fashion-mnist:test"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_w->isLoading(), kLoadTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_w->dataPanel()->warningsText().isEmpty(), kLoadTimeoutMs);  // the model's own data
}

void TestWorkbenchTraps::everyTabHasItsShortcut()
{
    auto *tabs = m_w->findChild<QTabWidget *>("mainTabs");
    QVERIFY(tabs);
    QVERIFY(tabs->count() >= 6);  // Sweeps and Analysis included
    for (int i = 0; i < tabs->count(); ++i) {
        QAction *a = m_w->action(MainWindow::tabActionName(i));
        QVERIFY2(a, qPrintable(MainWindow::tabActionName(i)));
        QCOMPARE(a->shortcut(), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        a->trigger();
        QCOMPARE(tabs->currentIndex(), i);
    }
    tabs->setCurrentIndex(0);
}

void TestWorkbenchTraps::layerBitsFollowTheModel()
{
    RunSetupPanel *setup = m_w->setupPanel();
    // Bits for two ResNet-20 layers, one of which the MobileNetV2-style model lacks.
    setup->setSpec(QJsonObject{{"layer_bits", "conv1=8,layer1.0.conv1=3"}, {"bits", "uniform"}});
    QSignalSpy loaded(m_w.get(), &MainWindow::modelLoaded);
    m_w->openModel(bundled("mobilenetv2s_fmnist.pt"));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QVERIFY(loaded.last().at(0).toBool());
    QCOMPARE(setup->spec().value("layer_bits").toString(), QString());
    QVERIFY2(m_w->statusBar()->currentMessage().contains("Per-layer bits cleared"), qPrintable(m_w->statusBar()->currentMessage()));
    // Back to ResNet-20 with bits on a layer both have and one only it has.
    setup->setSpec(QJsonObject{{"layer_bits", "conv1=8"}});
    m_w->openModel(bundled("resnet20_fmnist.pt"));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(setup->spec().value("layer_bits").toString(), QStringLiteral("conv1=8"));  // the layer exists: kept
    QTRY_VERIFY_WITH_TIMEOUT(!m_w->isLoading(), kLoadTimeoutMs);
}

void TestWorkbenchTraps::presetSaysCustomAfterAnEdit()
{
    RunSetupPanel *setup = m_w->setupPanel();
    auto *preset = setup->findChild<QComboBox *>("preset");
    QVERIFY(preset);
    setup->applyPreset(preset->itemData(0).toString());
    const QString applied = preset->currentText();
    QVERIFY(applied != QLatin1String("Custom"));
    // Choosing another method is not an edit of the preset.
    QComboBox *method = setup->methodBox();
    method->setCurrentIndex((method->currentIndex() + 1) % method->count());
    QCOMPARE(preset->currentText(), applied);
    // Editing a field is.
    auto *calib = setup->findChild<QSpinBox *>("calib_size");
    QVERIFY(calib);
    calib->setValue(calib->value() + 7);
    QCOMPARE(preset->currentText(), QStringLiteral("Custom"));
    QCOMPARE(setup->spec().value("calib_size").toInt(), calib->value());
}

void TestWorkbenchTraps::methodSwitchKeepsEditedOptions()
{
    RunSetupPanel *setup = m_w->setupPanel();
    QComboBox *method = setup->methodBox();
    method->setCurrentIndex(method->findData("metaaug"));
    auto *metaIters = setup->findChild<QSpinBox *>("metaaug_meta_iters");
    QVERIFY(metaIters);
    const int edited = metaIters->value() + 3;
    metaIters->setValue(edited);
    method->setCurrentIndex(method->findData("geniem"));
    method->setCurrentIndex(method->findData("metaaug"));
    QCOMPARE(metaIters->value(), edited);
    QCOMPARE(setup->spec().value("method_options").toObject().value("meta_iters").toInt(), edited);
}

void TestWorkbenchTraps::finishedRunSaysWhatItDid()
{
    RunView view;
    RunData d;
    d.runId = 7;
    d.status = RunStatus::Succeeded;
    RunResult r;
    r.wallSeconds = 42;
    r.units.resize(11);
    d.result = r;
    d.last.iteration = 20;  // the last event: not what a finished run shows
    view.showStored(d);
    QCOMPARE(view.progressText(), QStringLiteral("succeeded · 11 units · wall time 0:42"));
}

void TestWorkbenchTraps::helpWithoutADisplay()
{
    const QString exe = QCoreApplication::applicationDirPath() + "/../bin/metaaug-workbench";
    QVERIFY2(QFileInfo::exists(exe), qPrintable(exe));
    for (const char *flag : {"--help", "--version"}) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        env.remove("QT_QPA_PLATFORM");  // the default platform (xcb) with no display to open
        p.setProcessEnvironment(env);
        p.start(exe, {QLatin1String(flag)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains(flag == QLatin1String("--help") ? "--model" : METAAUG_VERSION), qPrintable(out));
    }
}

// Runs browser > Rerun: the stored spec runs again and the window says
// whether the quantized weights are identical.
void TestWorkbenchTraps::rerunFromTheBrowser()
{
    QTRY_VERIFY_WITH_TIMEOUT(!m_w->isLoading() && m_w->modelReady(), kLoadTimeoutMs);
    m_w->setupPanel()->setSpec(QJsonObject{{"method", "rtn"}, {"calib_size", 32}, {"eval_limit", 64}, {"layer_bits", ""}});
    QSignalSpy finished(m_w.get(), &MainWindow::runFinished);
    m_w->action("startRun")->trigger();
    QVERIFY(finished.wait(kLoadTimeoutMs));
    const qint64 first = finished.last().at(0).toLongLong();
    QCOMPARE(finished.last().at(1).value<RunStatus>(), RunStatus::Succeeded);
    RunsBrowser *browser = m_w->runsBrowser();
    browser->reload();
    QTRY_VERIFY_WITH_TIMEOUT(browser->findChild<QTableView *>() && browser->findChild<QTableView *>()->model()->rowCount() > 0, kLoadTimeoutMs);
    browser->selectRuns({first});
    QSignalSpy compared(m_w.get(), &MainWindow::rerunCompared);
    auto *rerun = browser->findChild<QPushButton *>("rerunRun");
    QVERIFY(rerun);
    rerun->click();
    QVERIFY(compared.wait(kLoadTimeoutMs));
    QCOMPARE(compared.last().at(0).toLongLong(), first);
    QVERIFY(compared.last().at(1).toBool());
    QVERIFY2(m_w->statusBar()->currentMessage().contains("identical"), qPrintable(m_w->statusBar()->currentMessage()));
}

QTEST_MAIN(TestWorkbenchTraps)
#include "tst_workbenchtraps.moc"
