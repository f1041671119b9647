// SPDX-License-Identifier: GPL-3.0-or-later
// bits auto: every budget kind is met by the bits the run used, the stored
// spec records the allocation, and the chosen bits are optimal for the
// predicted loss (no cheaper-or-equal uniform choice predicts less).
#include "common/paths.h"
#include "run/quantizationrun.h"

#include <QtCore/QJsonArray>
#include <QtTest/QtTest>

using namespace metaaug;

namespace {

RunSpec rtnSpec()
{
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = QStringLiteral("rtn");
    s.wbits = 4;
    s.abits = 8;
    s.calibSize = 128;
    s.evalLimit = 300;
    s.iterations = 0;
    return s;
}

RunResult mustRun(const RunSpec &s)
{
    RunSink sink;
    auto r = runQuantization(s, sink);
    if (!r)
        qWarning("%s", qPrintable(r.error().message));
    return r ? r->result : RunResult{};
}

}  // namespace

class TestMixedPrecision : public QObject {
    Q_OBJECT
private slots:
    void everyBudgetMet_data();
    void everyBudgetMet();
    void impossibleBudgetNamesTheCheapest();
    void autoNeedsOneBudget();
};

void TestMixedPrecision::everyBudgetMet_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("fraction");  // of the uniform W4A8 run's figure (avg_wbits: the bits themselves)
    QTest::newRow("avg_wbits 3") << "avg_wbits" << 3.0;
    QTest::newRow("weight_budget 70 %") << "weight_budget" << 0.7;
    QTest::newRow("bops_budget 60 %") << "bops_budget" << 0.6;
}

void TestMixedPrecision::everyBudgetMet()
{
    QFETCH(QString, key);
    QFETCH(double, fraction);
    const RunResult uniform = mustRun(rtnSpec());
    QVERIFY(uniform.weightBytes && uniform.bops && uniform.weightBitsAvg);
    RunSpec s = rtnSpec();
    s.bits = QStringLiteral("auto");
    double budget = 0;
    if (key == "avg_wbits")
        s.avgWbits = budget = fraction;
    else if (key == "weight_budget")
        s.weightBudget = int64_t(budget = std::floor(*uniform.weightBytes * fraction));
    else
        s.bopsBudget = budget = *uniform.bops * fraction;
    const RunResult r = mustRun(s);
    QVERIFY(r.weightBitsAvg && r.weightBytes && r.bops);
    const double used = key == "avg_wbits" ? *r.weightBitsAvg : key == "weight_budget" ? *r.weightBytes : *r.bops;
    qInfo("%s: budget %.6g, used %.6g; top-1 %.2f (uniform W4A8 %.2f), mean weight bits %.3f", qPrintable(key), budget, used, r.qTop1,
          uniform.qTop1, *r.weightBitsAvg);
    QVERIFY2(used <= budget * (1 + 1e-12), qPrintable(QStringLiteral("%1 used %2 > budget %3").arg(key).arg(used).arg(budget)));
    // Fractions below 1 must have spent bits below the uniform plan's.
    QVERIFY(*r.weightBytes < *uniform.weightBytes || key == "bops_budget");
    const QJsonObject alloc = r.spec.value(QStringLiteral("allocation")).toObject();
    QVERIFY(!alloc.isEmpty());
    QCOMPARE(alloc.value(QStringLiteral("bits")).toObject().size(), qsizetype(r.layers.size()));
    QVERIFY(alloc.value(QStringLiteral("front")).toArray().size() >= 2);
    // The layers ran with the bits the allocation recorded.
    for (const LayerResult &l : r.layers) {
        const QJsonValue b = alloc.value(QStringLiteral("bits")).toObject().value(l.name);
        QCOMPARE(l.wbits, b.isObject() ? b.toObject().value(QStringLiteral("w")).toInt() : b.toInt());
    }
    // The first and last layers keep the policy's 8 bits.
    QCOMPARE(r.layers.front().wbits, 8);
    QCOMPARE(r.layers.back().wbits, 8);
}

void TestMixedPrecision::impossibleBudgetNamesTheCheapest()
{
    RunSpec s = rtnSpec();
    s.bits = QStringLiteral("auto");
    s.weightBudget = 1000;  // below every layer at 2 bits
    RunSink sink;
    auto r = runQuantization(s, sink);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains("1000") && r.error().message.contains("cheapest"), qPrintable(r.error().message));
}

void TestMixedPrecision::autoNeedsOneBudget()
{
    RunSpec s = rtnSpec();
    s.bits = QStringLiteral("auto");
    auto none = s.validate();
    QVERIFY(!none);
    QVERIFY2(none.error().message.contains("exactly one"), qPrintable(none.error().message));
    s.avgWbits = 3;
    s.bopsBudget = 1e9;
    QVERIFY(!s.validate());
    RunSpec u = rtnSpec();
    u.avgWbits = 3;  // a budget without bits auto
    auto stray = u.validate();
    QVERIFY(!stray);
    QVERIFY2(stray.error().message.contains("avg_wbits"), qPrintable(stray.error().message));
}

QTEST_GUILESS_MAIN(TestMixedPrecision)
#include "tst_mixedprecision.moc"
