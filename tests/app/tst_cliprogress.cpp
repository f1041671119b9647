// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug quantize` off a terminal says where a run is: a line when a step
// starts (setup steps, the warm-up, each unit's phases, the evaluation) and
// every $METAAUG_PROGRESS_EVERY_S seconds (15 by default) within a step,
// with the step's ETA. One short MetaAug run with the period at 0 s, so
// every event of a step has its line.
#include <QtCore/QRegularExpression>
#include <QtTest/QtTest>

#include "testutil.h"

namespace {

constexpr int kWarmupSteps = 4;

QStringList matching(const QString &err, const QString &pattern)
{
    QStringList out;
    const QRegularExpression re(pattern);
    for (const QString &line : err.split('\n'))
        if (re.match(line).hasMatch())
            out << line;
    return out;
}

}  // namespace

class TestCliProgress : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(QFileInfo::exists(qEnvironmentVariable("METAAUG_CLI"))); }
    void linesOfEachStep();
};

void TestCliProgress::linesOfEachStep()
{
    qputenv("METAAUG_PROGRESS_EVERY_S", "0");
    // warmup_lr 0: T cannot reach eps, so the warm-up takes all its steps.
    const auto r = metaaug::test::runCli({"quantize", "--method", "metaaug", "--calib-size", "32", "--iters", "1", "--eval-limit",
                                          "300", "--meta-iters", "1", "--warmup-steps", QString::number(kWarmupSteps), "--warmup-lr",
                                          "0", "--no-store"},
                                         600000);
    qunsetenv("METAAUG_PROGRESS_EVERY_S");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList progress = matching(r.err, R"(^\[ *\d+\.\d s\] .+ · RSS \d+\.\d\d GiB, peak \d+\.\d\d$)");
    QVERIFY2(progress.size() > 40, qPrintable(r.err));
    for (int k = 1; k <= 7; ++k)
        QCOMPARE(matching(r.err, QStringLiteral("\\] setup %1/7: ").arg(k)).size(), 1);
    QCOMPARE(matching(r.err, "\\] setup: metaaug: FP logits of 32 calibration images").size(), 1);
    // The warm-up: its start, then every step with the time it may still take.
    const QStringList warmup = matching(r.err, "\\] warm-up step ");
    QCOMPARE(warmup.size(), kWarmupSteps + 1);
    QVERIFY2(warmup[0].contains(QStringLiteral("warm-up step 0/%1 · RSS").arg(kWarmupSteps)), qPrintable(warmup[0]));
    for (int k = 1; k <= kWarmupSteps; ++k)
        QVERIFY2(QRegularExpression(QStringLiteral("\\] warm-up step %1/%2 · ETA ~\\d+:\\d\\d \\(at most\\) · RSS").arg(k).arg(kWarmupSteps))
                     .match(warmup[k]).hasMatch(),
                 qPrintable(warmup[k]));
    // Each of the 11 units: its cache, and for the 9 middle ones meta and the augmented cache.
    QCOMPARE(matching(r.err, "\\] unit \\d+/11 \\S+ · activation cache").size(), 11);
    QCOMPARE(matching(r.err, "\\] unit \\d+/11 \\S+ · meta iteration 1/1 · ETA ~0:00").size(), 9);
    QCOMPARE(matching(r.err, "\\] unit \\d+/11 \\S+ · reconstruction: augmented cache of 32 images").size(), 9);
    QCOMPARE(matching(r.err, "\\] unit \\d+/11 \\S+ · reconstruction iteration 1/1 · ETA ~0:00").size(), 11);
    // The evaluation in images, batch by batch (256 a batch here).
    const QStringList test = matching(r.err, "\\] evaluation: test set \\d+/300 images");
    QCOMPARE(test.size(), 3);
    QVERIFY(test[1].contains("256/300 images · ETA ~"));
    QVERIFY(test[2].contains("300/300 images · ETA ~0:00"));
    QCOMPARE(matching(r.err, "\\] evaluation: calibration set 32/32 images").size(), 1);
    // Elapsed times never go back.
    double previous = 0;
    for (const QString &l : progress) {
        const double t = l.mid(1, l.indexOf(" s]") - 1).trimmed().toDouble();
        QVERIFY2(t >= previous, qPrintable(l));
        previous = t;
    }
}

QTEST_GUILESS_MAIN(TestCliProgress)
#include "tst_cliprogress.moc"
