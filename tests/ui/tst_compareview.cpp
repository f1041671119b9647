// SPDX-License-Identifier: GPL-3.0-or-later
// The Compare page owns its toolbar (MainWindow only composes): the CSV
// button refuses fewer than two runs with an error the window shows, the
// table's CSV quotes what needs quoting and is the file written, and the
// charts are written as four PNG files. No store, no model: seconds.
#include "compareview.h"

#include "run/runresult.h"

#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtTest/QtTest>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>

using namespace metaaug;
using namespace metaaug::ui;

class TestCompareView : public QObject {
    Q_OBJECT
private slots:
    void csvButtonNeedsTwoRuns();
    void csvFileIsTheTable();
    void chartsAreWrittenAsPngs();

private:
    static QVector<RunData> twoRuns();
};

QVector<RunData> TestCompareView::twoRuns()
{
    QVector<RunData> runs(2);
    const double top1[] = {88.25, 89.0};
    for (int i = 0; i < 2; ++i) {
        runs[i].runId = 7 + i;
        runs[i].status = RunStatus::Succeeded;
        // A model file name with a comma and a quote: the CSV must quote it.
        runs[i].spec = QJsonObject{{"method", i ? "metaaug" : "rtn"}, {"wbits", 4}, {"abits", 8},
                                   {"model", QStringLiteral("/models/net,\"v%1\".pt").arg(i)}};
        RunResult r;
        r.qTop1 = top1[i];
        r.fpTop1 = 91.5;
        runs[i].result = r;
    }
    return runs;
}

void TestCompareView::csvButtonNeedsTwoRuns()
{
    CompareView c;
    c.setRuns(twoRuns().mid(0, 1));
    auto *csv = c.findChild<QPushButton *>("exportCompareCsv");
    QVERIFY(csv);
    QVERIFY(c.findChild<QPushButton *>("exportComparePng"));
    QSignalSpy errors(&c, &CompareView::errorOccurred);
    csv->click();  // one run: refused before any file dialog
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).toString(), QString("Export"));
    QVERIFY2(errors.first().at(1).toString().contains("two or more runs"), qPrintable(errors.first().at(1).toString()));
}

void TestCompareView::csvFileIsTheTable()
{
    CompareView c;
    c.setRuns(twoRuns());
    QCOMPARE(c.table()->columnCount(), 4);  // field, run 7, run 8, delta
    const QString csv = c.csv();
    const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(int(lines.size()), c.table()->rowCount() + 1);  // the header, then one line a row
    QVERIFY2(lines.first().startsWith("Field,Run #7 rtn"), qPrintable(lines.first()));
    // RFC 4180: a comma or quote puts the cell in quotes, quotes doubled.
    QVERIFY2(csv.contains(R"("net,""v0"".pt")"), qPrintable(csv));
    QVERIFY2(csv.contains("88.25,89.00,+0.75 better"), qPrintable(csv));
    QTemporaryDir dir;
    QString error;
    QVERIFY2(c.exportCsv(dir.filePath("comparison.csv"), &error), qPrintable(error));
    QFile f(dir.filePath("comparison.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    QCOMPARE(QString::fromUtf8(f.readAll()), csv);
    // A folder that does not exist: said with the file's name, no throw.
    QVERIFY(!c.exportCsv(dir.filePath("missing/comparison.csv"), &error));
    QVERIFY2(error.contains("missing/comparison.csv"), qPrintable(error));
}

void TestCompareView::chartsAreWrittenAsPngs()
{
    CompareView c;
    c.setRuns(twoRuns());
    c.resize(1200, 800);
    QTemporaryDir dir;
    QString error;
    QVERIFY2(c.exportPngs(dir.filePath("cmp"), &error), qPrintable(error));
    for (const char *chart : {"loss", "sqnr", "gap", "method"}) {
        const QImage png(dir.filePath(QStringLiteral("cmp-%1.png").arg(chart)));
        QCOMPARE(png.size(), QSize(1200, 700));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 4);  // no .partial left behind
}

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
