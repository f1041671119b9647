// SPDX-License-Identifier: GPL-3.0-or-later
// Progress that moves: the words and ETA of RunProgress on made-up events,
// and the events of a real (tiny) MetaAug run on the bundled ResNet-20:
// setup steps, the warm-up's step k of N, evaluation in images.
#include "common/paths.h"
#include "common/runtime.h"
#include "events/runprogress.h"
#include "run/quantizationrun.h"

#include <QtTest/QtTest>

using namespace metaaug;

Q_DECLARE_METATYPE(metaaug::ProgressEvent)

namespace {

ProgressEvent makeEvent(RunPhase phase, int iteration, int iterations, double elapsed, int unit = -1, QString detail = {})
{
    ProgressEvent e;
    e.phase = phase;
    e.unit = unit;
    e.unitCount = 11;
    e.unitName = unit >= 0 ? QStringLiteral("layer1.0") : QString();
    e.iteration = iteration;
    e.iterations = iterations;
    e.elapsedSeconds = elapsed;
    e.detail = std::move(detail);
    return e;
}

class AllEvents : public RunSink {
public:
    void progress(const ProgressEvent &e) override
    {
        events.push_back(e);
        if (e.phase == RunPhase::Warmup)
            warmupTexts << (tracker.add(e), tracker.text());
        else
            tracker.add(e);
    }
    std::vector<ProgressEvent> ofPhase(RunPhase p, const QString &detail = {}) const
    {
        std::vector<ProgressEvent> out;
        for (const ProgressEvent &e : events)
            if (e.phase == p && (detail.isEmpty() || e.detail == detail))
                out.push_back(e);
        return out;
    }
    std::vector<ProgressEvent> events;
    RunProgress tracker;
    QStringList warmupTexts;
};

}  // namespace

class TestRunProgress : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { configureRuntime(); }
    void wordsOfEachStep_data();
    void wordsOfEachStep();
    void etaFromTheStepsPace();
    void newStepOnPhaseUnitOrDetail();
    void metaAugRunMoves();
};

void TestRunProgress::wordsOfEachStep_data()
{
    QTest::addColumn<ProgressEvent>("event");
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("fraction");
    QTest::newRow("setup") << makeEvent(RunPhase::Setup, 3, 6, 1, -1, "reading 128 calibration images")
                           << "setup 3/6: reading 128 calibration images" << 2.0 / 6;
    QTest::newRow("metaaug setup") << makeEvent(RunPhase::Setup, 0, 0, 1, -1, "metaaug: FP logits of 64 calibration images")
                                   << "setup: metaaug: FP logits of 64 calibration images" << -1.0;
    QTest::newRow("cache") << makeEvent(RunPhase::Calibration, 0, 0, 1, 2) << "unit 3/11 layer1.0 · activation cache" << -1.0;
    QTest::newRow("rtn") << makeEvent(RunPhase::Calibration, 0, 0, 1, 2, "rtn") << "unit 3/11 layer1.0 · rtn" << -1.0;
    QTest::newRow("warm-up start") << makeEvent(RunPhase::Warmup, 0, 50, 1) << "warm-up step 0/50" << 0.0;
    QTest::newRow("meta start") << makeEvent(RunPhase::MetaLearning, 0, 100, 1, 2) << "unit 3/11 layer1.0 · meta iteration 0/100" << 0.0;
    QTest::newRow("augmented cache") << makeEvent(RunPhase::Reconstruction, 0, 0, 1, 2, "augmented cache of 64 images")
                                     << "unit 3/11 layer1.0 · reconstruction: augmented cache of 64 images" << -1.0;
    QTest::newRow("evaluation") << makeEvent(RunPhase::Evaluation, 0, 10000, 1, -1, "test set")
                                << "evaluation: test set 0/10000 images" << 0.0;
    QTest::newRow("done") << makeEvent(RunPhase::Done, 0, 0, 1) << "done" << 1.0;
}

void TestRunProgress::wordsOfEachStep()
{
    QFETCH(ProgressEvent, event);
    QFETCH(QString, text);
    QFETCH(double, fraction);
    RunProgress p;
    QVERIFY(p.empty());
    QVERIFY(p.add(event));
    QCOMPARE(p.text(), text);  // iteration 0 (or no count): no pace yet, no ETA
    QCOMPARE(p.stepFraction(), fraction);
}

void TestRunProgress::etaFromTheStepsPace()
{
    RunProgress p;
    p.add(makeEvent(RunPhase::Setup, 6, 6, 4.0, -1, "fitting the weight and activation grids"));
    QVERIFY(!std::isfinite(p.stepSecondsLeft(5)));  // setup steps have no pace
    // The warm-up starts at 10 s and takes 0.5 s a step.
    QVERIFY(p.add(makeEvent(RunPhase::Warmup, 0, 50, 10.0)));
    QVERIFY(!p.add(makeEvent(RunPhase::Warmup, 1, 50, 10.5)));
    QVERIFY(!p.add(makeEvent(RunPhase::Warmup, 12, 50, 16.0)));
    QCOMPARE(p.stepFraction(), 12.0 / 50);
    QCOMPARE(p.stepSecondsLeft(16.0), 38 * 0.5);
    QCOMPARE(p.text(), QStringLiteral("warm-up step 12/50 · ETA ~0:19 (at most)"));
    // A front end's clock runs on between events: the ETA counts down, never below 0.
    QCOMPARE(p.stepSecondsLeft(20.0), 38 * 0.5 - 4);
    QCOMPARE(p.text(20.0), QStringLiteral("warm-up step 12/50 · ETA ~0:15 (at most)"));
    QCOMPARE(p.stepSecondsLeft(100.0), 0.0);

    // A step whose first event is iteration 3: its pace is taken from the
    // event before it (the unit's cache event at 20 s).
    p.add(makeEvent(RunPhase::Calibration, 0, 0, 20.0, 4));
    QVERIFY(!std::isfinite(p.stepSecondsLeft(21)));
    QVERIFY(p.add(makeEvent(RunPhase::Reconstruction, 3, 100, 26.0, 4)));
    QCOMPARE(p.stepSecondsLeft(26.0), 97 * 2.0);
    QCOMPARE(p.text(), QStringLiteral("unit 5/11 layer1.0 · reconstruction iteration 3/100 · ETA ~3:14"));
    // ... then from its own events (1 s an iteration from 26 s on).
    p.add(makeEvent(RunPhase::Reconstruction, 13, 100, 36.0, 4));
    QCOMPARE(p.stepSecondsLeft(36.0), 87 * 1.0);
    QCOMPARE(p.text(36.0 + 3700), QStringLiteral("unit 5/11 layer1.0 · reconstruction iteration 13/100 · ETA ~0:00"));

    p.add(makeEvent(RunPhase::Evaluation, 256, 1000, 50.0, -1, "test set"));
    QCOMPARE(formatDuration(p.stepSecondsLeft(50.0)), formatDuration(744 * (50.0 - 36.0) / 256));
    QCOMPARE(formatDuration(3725), QStringLiteral("1:02:05"));
    QCOMPARE(formatDuration(-1), QStringLiteral("–"));
}

void TestRunProgress::newStepOnPhaseUnitOrDetail()
{
    RunProgress p;
    QVERIFY(p.add(makeEvent(RunPhase::MetaLearning, 1, 10, 1, 2)));
    QVERIFY(!p.add(makeEvent(RunPhase::MetaLearning, 2, 10, 2, 2)));
    QVERIFY(p.add(makeEvent(RunPhase::MetaLearning, 1, 10, 3, 3)));      // another unit
    QVERIFY(p.add(makeEvent(RunPhase::Reconstruction, 1, 10, 4, 3)));    // another phase
    QVERIFY(p.add(makeEvent(RunPhase::Evaluation, 0, 300, 5, -1, "test set")));
    QVERIFY(!p.add(makeEvent(RunPhase::Evaluation, 256, 300, 6, -1, "test set")));
    QVERIFY(p.add(makeEvent(RunPhase::Evaluation, 0, 64, 7, -1, "calibration set")));  // another detail
    QCOMPARE(p.stepStartSeconds(), 7.0);
}

void TestRunProgress::metaAugRunMoves()
{
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = QStringLiteral("metaaug");
    s.iterations = 1;
    s.calibSize = 32;
    s.evalLimit = 300;
    // warmup_lr 0: T cannot reach eps, so the warm-up takes all its steps.
    constexpr int kWarmupSteps = 4;
    s.methodOptions = {{"meta_iters", 1}, {"warmup_steps", kWarmupSteps}, {"warmup_lr", 0.0}};
    AllEvents sink;
    auto r = runQuantization(s, sink);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));

    // The run's setup: steps 1..7 of 7 in order, each saying what it does.
    const auto setup = sink.ofPhase(RunPhase::Setup);
    std::vector<ProgressEvent> counted;
    std::copy_if(setup.begin(), setup.end(), std::back_inserter(counted), [](const ProgressEvent &e) { return e.iterations > 0; });
    QCOMPARE(int(counted.size()), 7);
    for (int k = 0; k < 7; ++k) {
        QCOMPARE(counted[size_t(k)].iteration, k + 1);
        QCOMPARE(counted[size_t(k)].iterations, 7);
        QVERIFY(!counted[size_t(k)].detail.isEmpty());
    }
    QVERIFY(counted.front().detail.contains("resnet20_fmnist.pt"));
    QCOMPARE(counted[2].detail, QStringLiteral("reading 32 calibration images"));
    QCOMPARE(counted[5].detail, QStringLiteral("fitting the weight grids of 22 layers"));
    QCOMPARE(counted[6].detail, QStringLiteral("fitting the activation grids on 32 images"));
    // ... and MetaAug's own whole-set pass before the warm-up.
    QCOMPARE(int(setup.size()), 8);
    QCOMPARE(setup.back().detail, QStringLiteral("metaaug: FP logits of 32 calibration images"));

    // The warm-up: a start event, then step k of N for k = 1..N, in order.
    const auto warmup = sink.ofPhase(RunPhase::Warmup);
    QCOMPARE(int(warmup.size()), kWarmupSteps + 1);
    for (int k = 0; k <= kWarmupSteps; ++k) {
        QCOMPARE(warmup[size_t(k)].iteration, k);
        QCOMPARE(warmup[size_t(k)].iterations, kWarmupSteps);
        if (k > 0)
            QVERIFY(warmup[size_t(k)].elapsedSeconds >= warmup[size_t(k - 1)].elapsedSeconds);
    }
    QVERIFY(warmup.front().elapsedSeconds >= setup.back().elapsedSeconds);
    QCOMPARE(sink.warmupTexts.front(), QStringLiteral("warm-up step 0/%1").arg(kWarmupSteps));
    QVERIFY2(sink.warmupTexts[2].startsWith(QStringLiteral("warm-up step 2/%1 · ETA ~").arg(kWarmupSteps)), qPrintable(sink.warmupTexts[2]));
    QVERIFY(sink.warmupTexts[2].endsWith("(at most)"));

    // Evaluation in images: from 0 to all of them, batch by batch, for both sets.
    for (const auto &[set, n] : {std::pair<QString, int>{"test set", 300}, {"calibration set", 32}}) {
        const auto ev = sink.ofPhase(RunPhase::Evaluation, set);
        QVERIFY2(ev.size() >= 2, qPrintable(set));
        QCOMPARE(ev.front().iteration, 0);
        QCOMPARE(ev.back().iteration, n);
        for (size_t i = 0; i < ev.size(); ++i) {
            QCOMPARE(ev[i].iterations, n);
            if (i > 0)
                QVERIFY(ev[i].iteration > ev[i - 1].iteration);
        }
    }
    QVERIFY(!sink.ofPhase(RunPhase::Evaluation, "per-layer SQNR").empty());
    // The augmented cache of each meta unit is announced before its reconstruction.
    int augmented = 0;
    for (const ProgressEvent &e : sink.ofPhase(RunPhase::Reconstruction))
        augmented += e.detail == QLatin1String("augmented cache of 32 images");
    QCOMPARE(augmented, 11 - 2);
    QCOMPARE(sink.events.back().phase, RunPhase::Done);
    QCOMPARE(sink.tracker.text(), QStringLiteral("done"));
}

QTEST_GUILESS_MAIN(TestRunProgress)
#include "tst_runprogress.moc"
