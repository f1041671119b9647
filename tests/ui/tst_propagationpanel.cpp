// SPDX-License-Identifier: GPL-3.0-or-later
// The run view's Why tab (ui/propagationpanel.h) on a real table: RTN W4A4
// of the bundled ResNet-20 with a planted outlier channel. With
// METAAUG_SCREENSHOT_DIR set it saves the tab there (docs/screenshots/).
#include "analysis/propagation.h"
#include "common/runtime.h"
#include "data/datasource.h"
#include "plantedmodel.h"
#include "propagationpanel.h"
#include "quant/bitpolicy.h"

#include <QtTest/QtTest>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableWidget>

using namespace metaaug;

class TestPropagationPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void rankedColouredAndSortable();
    void runsWithoutATable();

private:
    RunResult m_result;
};

void TestPropagationPanel::initTestCase()
{
    configureRuntime();
    const auto ex = test::plantedResnet20("layer2.1", 5, 50.0);
    QVERIFY(ex);
    auto train = openDataSource(QStringLiteral("fashion-mnist:train"), PreprocessSpec{});
    QVERIFY(train);
    auto images = train->input(0, 32);
    QVERIFY(images);
    quant::QuantizedModel q(ex, quant::planBits(*ex, 4, 4, quant::BitSetting::QDrop));
    q.initializeActivations(*images);
    const analysis::Propagation p = analysis::propagateErrors(*ex, q, *images);
    m_result.method = QStringLiteral("rtn");
    m_result.propagation = p.layers;
    m_result.findings = p.findings;
}

void TestPropagationPanel::rankedColouredAndSortable()
{
    ui::PropagationPanel panel;
    panel.resize(900, 640);
    panel.setResult(m_result);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableWidget *t = panel.table();
    QCOMPARE(t->rowCount(), int(m_result.propagation.size()));
    QCOMPARE(t->item(0, 0)->text(), QStringLiteral("layer2.1.conv2"));  // the planted culprit first
    // Ranked: injected dB falls down the table; the first layer (exact input) has a figure too.
    for (int r = 1; r < t->rowCount(); ++r)
        QVERIFY(t->item(r, 1)->data(Qt::UserRole).toDouble() <= t->item(r - 1, 1)->data(Qt::UserRole).toDouble());
    // The culprit's row is redder than the last row.
    QVERIFY(t->item(0, 1)->background().color().saturationF() > t->item(t->rowCount() - 1, 1)->background().color().saturationF());
    // Sorting by Out dB (ascending) puts the lowest output SQNR first, as a number.
    t->sortItems(3, Qt::AscendingOrder);
    for (int r = 1; r < t->rowCount(); ++r)
        QVERIFY(t->item(r, 3)->data(Qt::UserRole).toDouble() >= t->item(r - 1, 3)->data(Qt::UserRole).toDouble());
    QVERIFY2(panel.diagnosisText().contains("channel 5 of layer2.1.conv1"), qPrintable(panel.diagnosisText()));
    QVERIFY(panel.diagnosisText().contains("Try:"));
    t->sortItems(1, Qt::DescendingOrder);
    const QString dir = qEnvironmentVariable("METAAUG_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(panel.grab().save(QDir(dir).filePath(QStringLiteral("workbench-why.png"))));
}

void TestPropagationPanel::runsWithoutATable()
{
    ui::PropagationPanel panel;
    panel.setResult(std::nullopt);
    QCOMPARE(panel.note(), QStringLiteral("No result yet."));
    QCOMPARE(panel.table()->rowCount(), 0);
    RunResult old = m_result;  // stored before the table
    old.propagation.clear();
    old.findings.clear();
    panel.setResult(old);
    QVERIFY(panel.note().contains("stored by a version before it") && panel.note().contains("Rerun"));
    QCOMPARE(panel.table()->rowCount(), 0);
    panel.setResult(m_result);
    QCOMPARE(panel.table()->rowCount(), int(m_result.propagation.size()));
    panel.setResult(old);  // a table does not stay from the run shown before
    QCOMPARE(panel.table()->rowCount(), 0);
    QVERIFY(panel.diagnosisText().isEmpty());
}

QTEST_MAIN(TestPropagationPanel)
#include "tst_propagationpanel.moc"
