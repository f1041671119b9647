// MetaAug as a method of the engine, on the bundled ResNet-20 with short
// iteration counts: equivalence with geniem at M = 0, events for the live
// view, reproducibility, cancel and option errors.
#include "common/paths.h"
#include "common/runtime.h"
#include "methods/method.h"
#include "run/quantizationrun.h"

#include <QtCore/QJsonArray>
#include <QtCore/QProcess>
#include <QtTest/QtTest>

using namespace metaaug;

namespace {

RunSpec shortRun(const QString &method, QJsonObject options = {})
{
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = method;
    s.iterations = 10;
    s.calibSize = 128;
    s.evalLimit = 300;
    s.methodOptions = std::move(options);
    return s;
}

class RecordingSink : public RunSink {
public:
    void progress(const ProgressEvent &e) override
    {
        if (e.phase == RunPhase::MetaLearning) {
            ++metaEvents;
            lastMeta = e;
            if (abortAfterMeta > 0 && metaEvents >= abortAfterMeta)
                abort = true;
        }
    }
    void image(const ImageEvent &e) override { images.push_back(e); }
    bool shouldAbort() override { return abort; }

    int metaEvents = 0;
    int abortAfterMeta = 0;
    bool abort = false;
    ProgressEvent lastMeta;
    std::vector<ImageEvent> images;
};

}  // namespace

class TestMetaAugRun : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { configureRuntime(); }
    void registered();
    void zeroMetaIterationsEqualsGeniem();
    void eventsAndReport();
    void sameSeedSameRun();
    void cancelDuringMetaPhase();
    void badOptions();
    void cliFlagsNeedMetaAug();
};

void TestMetaAugRun::registered()
{
    const methods::Method *m = methods::findMethod(QStringLiteral("metaaug"));
    QVERIFY(m);
    QCOMPARE(methods::methodIds().last(), QStringLiteral("metaaug"));
    auto resolved = m->resolveOptions({});
    QVERIFY(resolved);
    QCOMPARE(resolved->value("alpha").toDouble(), 5.0);
}

void TestMetaAugRun::zeroMetaIterationsEqualsGeniem()
{
    RunSink sink;
    auto geniem = runQuantization(shortRun(QStringLiteral("geniem")), sink);
    QVERIFY2(geniem, qPrintable(geniem ? QString() : geniem.error().message));
    auto meta = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 0}, {"phase_b", "originals"}}), sink);
    QVERIFY2(meta, qPrintable(meta ? QString() : meta.error().message));
    QCOMPARE(meta->result.value("qweights_sha256").toString(), geniem->result.value("qweights_sha256").toString());
    QCOMPARE(meta->result.value("q_top1").toDouble(), geniem->result.value("q_top1").toDouble());
    // ... and the union (T still the identity) is a different run.
    auto unionRun = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 0}}), sink);
    QVERIFY(unionRun);
    QVERIFY(unionRun->result.value("qweights_sha256").toString() != geniem->result.value("qweights_sha256").toString());
}

void TestMetaAugRun::eventsAndReport()
{
    RecordingSink sink;
    auto r = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 6}, {"image_every", 4}, {"t_lr", 1e-3}}), sink);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    const QJsonArray units = r->result.value("units").toArray();
    QCOMPARE(units.size(), 11);
    const int metaUnits = units.size() - 2;
    QCOMPARE(sink.metaEvents, 6 * metaUnits);
    for (const char *key : {"inner", "kl", "margin", "pkt", "outer", "t_lr"}) {
        QVERIFY2(sink.lastMeta.values.count(QLatin1String(key)), key);
        QVERIFY(std::isfinite(sink.lastMeta.values.at(QLatin1String(key))));
    }
    QCOMPARE(sink.lastMeta.iterations, 6);
    // Every 4 meta iterations and at the end of each unit's phase A.
    QCOMPARE(int(sink.images.size()), 2 * metaUnits);
    QCOMPARE(sink.images.front().iteration, 4);
    QCOMPARE(sink.images[1].iteration, 6);
    for (const ImageEvent &e : sink.images) {
        QCOMPARE(e.originals.rows, 28);
        QCOMPARE(e.originals.cols, 8 * 28);
        QCOMPARE(e.transformed.size(), e.originals.size());
    }
    // T has learned something by the last unit: T(x) != x.
    QVERIFY(cv::norm(sink.images.back().originals, sink.images.back().transformed, cv::NORM_L1) > 0);
    // First and last units have no meta phase.
    QVERIFY(!units.first().toObject().value("median_iteration_ms").toObject().contains("meta"));
    QVERIFY(units[1].toObject().value("median_iteration_ms").toObject().value("meta").toDouble() > 0);
    QVERIFY(!units.last().toObject().value("median_iteration_ms").toObject().contains("meta"));
    QVERIFY(r->result.value("phases").toObject().value("meta").toDouble() > 0);
    const QJsonObject opts = r->result.value("spec").toObject().value("method_options").toObject();
    QCOMPARE(opts.value("meta_iters").toInt(), 6);
    QCOMPARE(opts.value("gamma").toDouble(), 30000.0);
}

void TestMetaAugRun::sameSeedSameRun()
{
    RunSink sink;
    const RunSpec spec = shortRun(QStringLiteral("metaaug"), {{"meta_iters", 3}});
    auto a = runQuantization(spec, sink);
    auto b = runQuantization(spec, sink);
    QVERIFY(a && b);
    QCOMPARE(a->result.value("qweights_sha256").toString(), b->result.value("qweights_sha256").toString());
    QCOMPARE(a->result.value("q_top1").toDouble(), b->result.value("q_top1").toDouble());
}

void TestMetaAugRun::cancelDuringMetaPhase()
{
    RecordingSink sink;
    sink.abortAfterMeta = 2;
    QElapsedTimer timer;
    timer.start();
    auto r = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 50}}), sink);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Aborted);
    QVERIFY2(r.error().message.contains("meta iteration"), qPrintable(r.error().message));
    QCOMPARE(sink.metaEvents, 2);
}

void TestMetaAugRun::badOptions()
{
    RunSink sink;
    auto r = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", -3}}), sink);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(r.error().message.contains("meta_iters") && r.error().message.contains("-3"), qPrintable(r.error().message));
    auto g = runQuantization(shortRun(QStringLiteral("geniem"), {{"meta_iters", 3}}), sink);
    QVERIFY(!g);
    QVERIFY2(g.error().message.contains("geniem takes no options"), qPrintable(g.error().message));
}

void TestMetaAugRun::cliFlagsNeedMetaAug()
{
    const QString cli = qEnvironmentVariable("METAAUG_CLI");
    QVERIFY(!cli.isEmpty());
    QProcess p;
    p.start(cli, {"quantize", "--method", "geniem", "--meta-iters", "5"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("--method metaaug"));
    p.start(cli, {"quantize", "--method", "metaaug", "--inner", "rmsprop"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("--inner") && err.contains("rmsprop"), err.constData());
}

QTEST_GUILESS_MAIN(TestMetaAugRun)
#include "tst_metaaugrun.moc"
