// SPDX-License-Identifier: GPL-3.0-or-later
// The Analysis tab (issue 20) through the window, on the bundled ResNet-20:
// an analysis recorded as a sensitivity run and drawn (one chart row per
// layer, one bar series per candidate), a front point clicked filling the run
// setup with its allocation, the bit editor's live figures equal to the
// front's and moving by what an edit costs, a run of that allocation
// measured on the front, and the stored analysis opened again.
#include "analysispanel.h"
#include "common/paths.h"
#include "biteditor.h"
#include "frontchart.h"
#include "resultspanel.h"
#include "runsetuppanel.h"
#include "runview.h"
#include "sensitivitychart.h"
#include "store/runstore.h"
#include "tolerances.h"
#include "workbenchwindow.h"

#include <QtCore/QTemporaryDir>
#include <QtWidgets/QSpinBox>

#include <qcustomplot.h>

using namespace metaaug;
using namespace metaaug::ui;

namespace {
constexpr int kLoadTimeoutMs = 120000, kAnalysisTimeoutMs = 300000, kRunTimeoutMs = 300000;
}

class TestAnalysis : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void analyseChooseAndRun();
    void storedAnalysisOpensInTheTab();

private:
    QTemporaryDir m_dir;
};

void TestAnalysis::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("metaaug-workbench-test");
    QCoreApplication::setApplicationName("tst_analysis");
    QSettings().clear();
}

void TestAnalysis::analyseChooseAndRun()
{
    const QString db = m_dir.filePath("runs.sqlite");
    auto w = test::openWorkbench(db, kLoadTimeoutMs);
    QVERIFY(w && w->modelReady());
    AnalysisPanel *panel = w->analysisPanel();
    panel->imagesBox()->setValue(64);
    panel->fitImagesBox()->setValue(16);
    w->setupPanel()->setSpec(QJsonObject{{"method", "rtn"}, {"wbits", 4}, {"abits", 8}, {"eval_limit", 1000}});

    QSignalSpy finished(panel, &AnalysisPanel::analysisFinished);
    panel->findChild<QPushButton *>("analyseButton")->click();
    QVERIFY(panel->isRunning());
    QVERIFY(finished.wait(kAnalysisTimeoutMs));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QVERIFY(panel->study());
    const SensitivityStudy study = *panel->study();  // a copy: reopening replaces the panel's

    // Recorded as a run of kind "sensitivity" with every record.
    QVERIFY(study.runId > 0);
    {
        auto store = store::RunStore::open(db);
        QVERIFY(store);
        auto row = (*store)->run(study.runId);
        QVERIFY(row);
        QCOMPARE(row->kind, QString(store::kSensitivityRun));
        QCOMPARE(row->status, RunStatus::Succeeded);
        QCOMPARE(row->result.value("records").toArray().size(), qsizetype(study.records.size()));
        QVERIFY(!row->typedResult());  // not a quantization result
    }

    // One chart row per layer, one bar series per weight candidate.
    SensitivityChart *chart = panel->sensitivityChart();
    QCOMPARE(chart->rows().size(), qsizetype(study.layers.size()));
    QCOMPARE(chart->bitWidths(), (std::vector<int>{2, 3, 4, 8}));
    QCOMPARE(chart->plot()->plottableCount(), 4);
    QVERIFY(chart->plot()->minimumHeight() >= 18 * int(study.layers.size()));  // every name on its own row
    chart->showKind(analysis::SensitivityKind::Activation);
    QVERIFY(chart->rows().size() > 0 && chart->bitWidths() == (std::vector<int>{2, 4, 8}));

    // The front: cheapest first, each point dearer and predicted better.
    FrontChart *front = panel->frontChart();
    QVERIFY(study.front.size() >= 5);
    QCOMPARE(front->frontSize(), int(study.front.size()));
    for (size_t i = 1; i < study.front.size(); ++i) {
        QVERIFY(study.front[i].figures.weightBitsAvg > study.front[i - 1].figures.weightBitsAvg);
        QVERIFY(study.front[i].predictedKl < study.front[i - 1].predictedKl);
    }

    // Clicking a point near 3 mean bits fills the run setup with its allocation.
    size_t pick = 0;
    for (size_t i = 0; i < study.front.size(); ++i)
        if (std::abs(study.front[i].figures.weightBitsAvg - 3.0) < std::abs(study.front[pick].figures.weightBitsAvg - 3.0))
            pick = i;
    const FrontPoint &point = study.front[pick];
    w->tabs()->setCurrentWidget(panel);
    front->plot()->replot();
    const QPointF px(front->plot()->xAxis->coordToPixel(point.figures.weightBitsAvg),
                     front->plot()->yAxis->coordToPixel(point.predictedKl));
    QCOMPARE(front->pointAt(px), int(pick));
    QTest::mouseClick(front->plot(), Qt::LeftButton, {}, px.toPoint());
    const QJsonObject spec = w->setupPanel()->spec();
    QCOMPARE(spec.value("layer_bits").toString(), quant::formatLayerBits(point.bits));
    QCOMPARE(spec.value("bits").toString(), QString("uniform"));

    // The editor shows the point's figures, and an edit moves them by its cost.
    BitEditor *editor = panel->bitEditor();
    QVERIFY(std::abs(editor->figures().weightBitsAvg - point.figures.weightBitsAvg) < test::kBudgetFigureRelTolerance);
    QCOMPARE(editor->figures().weightBytes, point.figures.weightBytes);
    int64_t params = 0;
    for (const auto &l : study.layers)
        params += l.cost.parameters;
    const int row = 1;  // a layer the policy does not pin
    const auto &layer = study.layers[row];
    const int before = point.bits.at(layer.cost.name).weight, after = before == 8 ? 2 : 8;
    editor->setCell(row, BitEditor::kWeight, after);
    const double expected = point.figures.weightBitsAvg + double(layer.cost.parameters) * (after - before) / double(params);
    QVERIFY(std::abs(editor->figures().weightBitsAvg - expected) < test::kBudgetFigureRelTolerance);
    QCOMPARE(editor->figures().weightBytes, point.figures.weightBytes - analysis::packedBytes(layer.cost.parameters, before) +
                                                analysis::packedBytes(layer.cost.parameters, after));
    QVERIFY(editor->figuresText().contains(QString::number(expected, 'f', 3)));
    // Layers reading one activation point share its bits.
    for (size_t a = 0; a < study.layers.size(); ++a)
        for (size_t b = a + 1; b < study.layers.size(); ++b)
            if (study.layers[a].inputPoint >= 0 && study.layers[a].inputPoint == study.layers[b].inputPoint &&
                study.layers[a].inputBits > 0) {
                editor->setCell(int(a), BitEditor::kInput, 6);
                QCOMPARE(static_cast<QSpinBox *>(editor->table()->cellWidget(int(b), BitEditor::kInput))->value(), 6);
                editor->setCell(int(a), BitEditor::kInput, study.layers[a].inputBits);
            }
    editor->setCell(row, BitEditor::kWeight, before);

    // A run of the clicked allocation lands on the front with its measured top-1.
    QSignalSpy ran(w.get(), &MainWindow::runFinished);
    w->action("startRun")->trigger();
    QVERIFY(ran.wait(kRunTimeoutMs));
    QCOMPARE(ran.first().at(1).value<RunStatus>(), RunStatus::Succeeded);
    QCOMPARE(front->measuredOnFront(), 1);
    // The results panel says the run had per-layer bits, and lists them per layer.
    const QString headline = w->liveView()->results()->headline();
    QVERIFY2(headline.contains(QString("per-layer bits: W mean %1").arg(point.figures.weightBitsAvg, 0, 'f', 2)), qPrintable(headline));
    QCOMPARE(w->liveView()->results()->layerTable()->rowCount(), int(study.layers.size()));

}

void TestAnalysis::storedAnalysisOpensInTheTab()
{
    const QString db = m_dir.filePath("stored.sqlite");
    SensitivitySettings settings;
    settings.images = 32;
    settings.fitImages = 8;
    settings.activationBits = {8};
    SensitivityStudy study;
    {
        auto store = store::RunStore::open(db);
        QVERIFY(store);
        auto done = runSensitivityJob(QJsonObject{{"model", defaultModelPath()}}, settings, store->get());
        QVERIFY2(done, done ? "" : qPrintable(done.error().message));
        study = *done;
    }
    auto w = test::openWorkbench(db, kLoadTimeoutMs);
    QVERIFY(w);
    AnalysisPanel *panel = w->analysisPanel();
    QSignalSpy shown(w.get(), &MainWindow::storedRunShown);
    w->openStoredRun(study.runId);
    QVERIFY2(shown.wait(kLoadTimeoutMs), qPrintable(w->lastError()));
    QCOMPARE(w->tabs()->currentWidget(), panel);
    QVERIFY(panel->study());
    QCOMPARE(panel->study()->runId, study.runId);
    QCOMPARE(panel->study()->records.size(), study.records.size());
    QCOMPARE(panel->study()->front.size(), study.front.size());
    QCOMPARE(panel->sensitivityChart()->rows().size(), qsizetype(study.layers.size()));
    QCOMPARE(panel->frontChart()->frontSize(), int(study.front.size()));
    QCOMPARE(panel->bitEditor()->table()->rowCount(), int(study.layers.size()));
}

QTEST_MAIN(TestAnalysis)
#include "tst_analysis.moc"
