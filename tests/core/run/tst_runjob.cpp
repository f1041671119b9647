// SPDX-License-Identifier: GPL-3.0-or-later
// The run as data and as a recorded job: RunSpec's JSON round trip and its
// errors, runJob's rows for succeeded / failed / cancelled runs, and the
// per-layer probe curves the GUI draws (their last sample is the layer's
// output SQNR in the final model; sampling them changes nothing).
#include "common/paths.h"
#include "common/runtime.h"
#include "jobs/runjob.h"
#include "run/runspec.h"
#include "store/runstore.h"
#include "tolerances.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;

namespace {

RunSpec tinyRun()
{
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = QStringLiteral("geniem");
    s.iterations = 30;
    s.calibSize = 32;  // = the probe batch and the final SQNR batch
    s.evalLimit = 100;
    s.probeEvery = 10;
    return s;
}

class Sink : public RunSink {
public:
    void layerMetric(const LayerMetricEvent &e) override { metrics.push_back(e); }
    void progress(const ProgressEvent &e) override
    {
        if (e.iteration > 0 && ++events >= abortAfter && abortAfter > 0)
            abort = true;
    }
    bool shouldAbort() override { return abort; }
    std::vector<LayerMetricEvent> metrics;
    int events = 0, abortAfter = 0;
    bool abort = false;
};

}  // namespace

class TestRunJob : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { configureRuntime(); }
    void specRoundTrip();
    void specErrorsNameTheKey_data();
    void specErrorsNameTheKey();
    void probeCurvesEndAtTheFinalSqnr();
    void probeChangesNothing();
    void recordedStatuses();
};

void TestRunJob::specRoundTrip()
{
    RunSpec s = tinyRun();
    s.wbits = 3;
    s.abits = 5;
    s.setting = quant::BitSetting::Brecq;
    s.seed = 12345678901234ull;
    s.foldBatchNorm = false;
    s.method = "metaaug";
    s.methodOptions = QJsonObject{{"meta_iters", 7}};
    auto back = RunSpec::fromJson(s.toJson());
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->toJson(), s.toJson());
    QCOMPARE(back->seed, s.seed);
    // Missing keys keep the defaults.
    auto minimal = RunSpec::fromJson(QJsonObject{{"model", "m.pt"}});
    QVERIFY(minimal);
    QCOMPARE(minimal->toJson().value("iters").toInt(), RunSpec{}.iterations);
}

void TestRunJob::specErrorsNameTheKey_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("key");
    QTest::newRow("wbits 9") << QJsonObject{{"model", "m.pt"}, {"wbits", 9}} << "\"wbits\"";
    QTest::newRow("wbits 1") << QJsonObject{{"model", "m.pt"}, {"wbits", 1}} << "\"wbits\"";
    QTest::newRow("fractional iters") << QJsonObject{{"model", "m.pt"}, {"iters", 2.5}} << "\"iters\"";
    QTest::newRow("text seed") << QJsonObject{{"model", "m.pt"}, {"seed", "abc"}} << "\"seed\"";
    QTest::newRow("setting") << QJsonObject{{"model", "m.pt"}, {"setting", "int4"}} << "\"setting\"";
    QTest::newRow("no model") << QJsonObject{{"method", "rtn"}} << "\"model\"";
    QTest::newRow("options not object") << QJsonObject{{"model", "m.pt"}, {"method_options", 3}} << "\"method_options\"";
}

void TestRunJob::specErrorsNameTheKey()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, key);
    auto r = RunSpec::fromJson(json);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(key), qPrintable(r.error().message));
}

void TestRunJob::probeCurvesEndAtTheFinalSqnr()
{
    Sink sink;
    const JobOutcome out = runJob(tinyRun(), nullptr, sink);
    QVERIFY2(!out.error, qPrintable(out.error ? out.error->message : QString()));
    std::map<QString, double> lastProbe, finalSqnr;
    std::map<QString, std::vector<int>> iterations;
    for (const LayerMetricEvent &e : sink.metrics) {
        if (e.key == QLatin1String("probe_sqnr_db")) {
            lastProbe[e.layer] = e.value;
            iterations[e.layer].push_back(e.iteration);
            QVERIFY(e.unit >= 0);
        } else if (e.key == QLatin1String("output_sqnr_db")) {
            finalSqnr[e.layer] = e.value;
        }
    }
    QCOMPARE(finalSqnr.size(), size_t(22));  // every conv/linear of ResNet-20
    // Every reconstructed layer is sampled at 0, 10, 20 and after fixing (30).
    QCOMPARE(lastProbe.size(), size_t(22));
    for (const auto &[layer, its] : iterations)
        QCOMPARE(its, (std::vector<int>{0, 10, 20, 30}));
    // The last sample of a unit is taken with earlier units and this one
    // fixed, on the same 32 calibration images as the final per-layer
    // SQNR: later units cannot change a layer's output, so they agree.
    for (const auto &[layer, db] : lastProbe) {
        QVERIFY2(finalSqnr.count(layer), qPrintable(layer));
        QVERIFY2(std::abs(db - finalSqnr[layer]) <= test::kProbeSqnrToleranceDb,
                 qPrintable(QStringLiteral("%1: probe %2 dB, final %3 dB").arg(layer).arg(db).arg(finalSqnr[layer])));
    }
}

void TestRunJob::probeChangesNothing()
{
    RunSpec off = tinyRun();
    off.probeEvery = 0;
    Sink a, b;
    const JobOutcome with = runJob(tinyRun(), nullptr, a);
    const JobOutcome without = runJob(off, nullptr, b);
    QVERIFY(!with.error && !without.error);
    QCOMPARE(with.result.qweightsSha256, without.result.qweightsSha256);
    QVERIFY(std::none_of(b.metrics.begin(), b.metrics.end(), [](const LayerMetricEvent &e) { return e.key.startsWith("probe_"); }));
}

void TestRunJob::recordedStatuses()
{
    QTemporaryDir dir;
    auto db = store::RunStore::open(dir.filePath("runs.sqlite"));
    QVERIFY(db);
    Sink ok;
    const JobOutcome done = runJob(tinyRun(), db->get(), ok);
    QCOMPARE(done.status, store::RunStatus::Succeeded);
    QCOMPARE(done.result.runId, done.runId);

    RunSpec bad = tinyRun();
    bad.modelPath = dir.filePath("missing.pt");
    Sink failSink;
    const JobOutcome failed = runJob(bad, db->get(), failSink);
    QCOMPARE(failed.status, store::RunStatus::Failed);
    QVERIFY(failed.error && failed.error->message.contains("missing.pt"));

    Sink cancel;
    cancel.abortAfter = 5;
    const JobOutcome cancelled = runJob(tinyRun(), db->get(), cancel);
    QCOMPARE(cancelled.status, store::RunStatus::Cancelled);
    QCOMPARE(cancelled.error->code, ErrorCode::Aborted);

    // A spec that does not parse writes no row.
    const JobOutcome unparsed = runJob(QJsonObject{{"model", "m.pt"}, {"wbits", 1}}, db->get(), ok);
    QCOMPARE(unparsed.runId, int64_t(0));

    auto runs = (*db)->listRuns();
    QVERIFY(runs);
    QCOMPARE(int(runs->size()), 3);
    QCOMPARE((*runs)[0].status, store::RunStatus::Succeeded);
    QCOMPARE((*runs)[1].status, store::RunStatus::Failed);
    QVERIFY((*runs)[1].error.contains("missing.pt"));
    QCOMPARE((*runs)[2].status, store::RunStatus::Cancelled);
    // The probe curves are stored with their unit and iteration.
    auto metrics = (*db)->layerMetrics(done.runId);
    QVERIFY(metrics);
    const auto probes = std::count_if(metrics->begin(), metrics->end(), [](const store::LayerMetricRow &m) {
        return m.key == QLatin1String("probe_mse") && m.unit >= 0 && m.step >= 0;
    });
    QCOMPARE(int(probes), 22 * 4);
}

QTEST_GUILESS_MAIN(TestRunJob)
#include "tst_runjob.moc"
