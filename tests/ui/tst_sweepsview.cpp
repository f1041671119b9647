// SPDX-License-Identifier: GPL-3.0-or-later
// The Sweeps tab (issue 21): a 4-point sweep run by the CLI shows as its
// matrix (columns: the varying axis, n = the seeds per cell, the best column
// cell in bold) for the chosen metric, and clicking a cell compares its runs.
#include "sweepsview.h"
#include "testutil.h"
#include "workbenchwindow.h"

#include <QtCore/QTemporaryDir>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QTableWidget>

using namespace metaaug;
using namespace metaaug::ui;

class TestSweepsView : public QObject {
    Q_OBJECT
private slots:
    void matrixAndCompare();
};

void TestSweepsView::matrixAndCompare()
{
    QTemporaryDir dir;
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("metaaug-workbench-test");
    QCoreApplication::setApplicationName("tst_sweepsview");
    const QString file = dir.filePath("grid.json"), db = dir.filePath("runs.sqlite");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"name": "gui grid", "base": {"method": "rtn", "calib_size": 64, "eval_limit": 300, "abits": 8},
                "axes": {"wbits": [2, 8], "seed": [0, 1]}})");
    f.close();
    const auto r = test::runCli({"sweep", file, "--db", db, "--quiet"}, 600000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));

    auto w = test::openWorkbench(db, 120000);
    QVERIFY(w);
    SweepsView *view = w->sweepsView();
    QSignalSpy shown(view, &SweepsView::matrixShown);
    w->tabs()->setCurrentWidget(view);
    view->reload();
    QVERIFY(shown.wait(60000));
    QCOMPARE(view->sweepBox()->count(), 1);
    QCOMPARE(view->columnsBox()->currentText(), QString("wbits"));
    QTableWidget *t = view->table();
    QCOMPARE(t->columnCount(), 2);
    QCOMPARE(t->rowCount(), 1);
    QCOMPARE(t->horizontalHeaderItem(0)->text(), QString("2"));
    for (int c = 0; c < 2; ++c)
        QVERIFY2(t->item(0, c)->text().contains("(n=2)"), qPrintable(t->item(0, c)->text()));
    // One row: nothing to compare within a column, so nothing is marked best.
    QVERIFY(!t->item(0, 1)->font().bold());
    // Another metric redraws from the same runs.
    view->metricBox()->setCurrentIndex(view->metricBox()->findData("wall_s"));
    Q_EMIT view->metricBox()->activated(view->metricBox()->currentIndex());
    QCOMPARE(view->matrix()->metric, QString("wall_s"));

    QSignalSpy compared(w.get(), &MainWindow::comparisonShown);
    Q_EMIT t->cellClicked(0, 1);
    QVERIFY(compared.wait(60000));
    QCOMPARE(compared.first().at(0).toInt(), 2);

    // File ▸ Export ▸ Report of the sweep shown: one HTML file with its name and matrix.
    const QString html = dir.filePath("sweep.html");
    QSignalSpy written(w.get(), &MainWindow::reportWritten);
    w->exportReport("sweep", {view->sweepBox()->currentData().toLongLong()}, html);
    QVERIFY(written.wait(60000));
    QVERIFY(written.first().at(0).toBool());
    QFile report(html);
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(report.readAll());
    QVERIFY(text.contains("gui grid") && text.contains("(n=2)"));
    QVERIFY(w->action("export_report"));
}

QTEST_MAIN(TestSweepsView)
#include "tst_sweepsview.moc"
