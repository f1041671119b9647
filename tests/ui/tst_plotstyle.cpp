// SPDX-License-Identifier: GPL-3.0-or-later
// Category axes (per-layer charts) stay legible for 50+ layers: a narrow
// chart writes every k-th name, a wide one every name, and resizing re-thins.
#include "plotstyle.h"

#include <qcustomplot.h>

#include <QtTest/QtTest>

using namespace metaaug::ui;

class TestPlotStyle : public QObject {
    Q_OBJECT
private slots:
    void manyLayerNamesAreThinnedToFit();
};

void TestPlotStyle::manyLayerNamesAreThinnedToFit()
{
    QStringList names;
    for (int i = 0; i < 54; ++i)
        names << QStringLiteral("layer%1.%2.conv%3").arg(i / 12 + 1).arg(i % 12 / 3).arg(i % 3 + 1);
    QCustomPlot *plot = makePlot(nullptr, "sqnr", QStringLiteral("Per-layer output SQNR"), QString(), QStringLiteral("dB"));
    plot->xAxis->setTickLabelRotation(90);
    plot->resize(300, 300);
    plot->show();
    QVERIFY(QTest::qWaitForWindowExposed(plot));
    setCategoryTicks(plot, names);
    plot->replot();
    auto ticks = [&] { return qSharedPointerCast<QCPAxisTickerText>(plot->xAxis->ticker())->ticks(); };
    const int narrow = int(ticks().size());
    const int line = QFontMetrics(plot->xAxis->tickLabelFont()).height();
    qInfo("300 px: %d of %d names written (axis %d px, %d px a label)", narrow, int(names.size()), plot->axisRect()->width(), line);
    QVERIFY(narrow < names.size());
    QVERIFY(narrow * line <= plot->axisRect()->width() + line);  // they fit side by side
    QVERIFY(narrow >= 5);
    QCOMPARE(ticks().value(0), names[0]);  // the first is always named
    plot->resize(54 * (line + 4) + 200, 300);
    QTRY_COMPARE(int(ticks().size()), int(names.size()));  // re-thinned on resize
    QCOMPARE(ticks().value(53), names[53]);
    delete plot;
}

QTEST_MAIN(TestPlotStyle)
#include "tst_plotstyle.moc"
