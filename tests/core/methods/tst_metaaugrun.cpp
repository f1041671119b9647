// SPDX-License-Identifier: GPL-3.0-or-later
// MetaAug as a method of the engine, on the bundled ResNet-20 with short
// iteration counts: equivalence with geniem at M = 0, events for the live
// view, reproducibility, cancel and option errors.
#include "common/hashing.h"
#include "common/paths.h"
#include "common/runtime.h"
#include "methods/method.h"
#include "run/quantizationrun.h"
#include "jobs/runjob.h"
#include "store/runstore.h"

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
    void transformStoredAndReused();
    void controlsRecordedInSpec();
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
    // --t-init none (residual): T is exactly x and no warm-up draws from the random stream.
    auto meta = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 0}, {"phase_b", "originals"}, {"t_init", "none"}}), sink);
    QVERIFY2(meta, qPrintable(meta ? QString() : meta.error().message));
    QCOMPARE(meta->result.toJson().value("qweights_sha256").toString(), geniem->result.toJson().value("qweights_sha256").toString());
    QCOMPARE(meta->result.toJson().value("q_top1").toDouble(), geniem->result.toJson().value("q_top1").toDouble());
    // ... and the union (T still the identity) is a different run.
    auto unionRun = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 0}, {"t_init", "none"}}), sink);
    QVERIFY(unionRun);
    QVERIFY(unionRun->result.toJson().value("qweights_sha256").toString() != geniem->result.toJson().value("qweights_sha256").toString());
}

void TestMetaAugRun::eventsAndReport()
{
    RecordingSink sink;
    auto r = runQuantization(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 6}, {"image_every", 4}, {"t_lr", 1e-3}}), sink);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    const QJsonArray units = r->result.toJson().value("units").toArray();
    QCOMPARE(units.size(), 11);
    const int metaUnits = units.size() - 2;
    QCOMPARE(sink.metaEvents, 6 * metaUnits);
    for (const char *key : {"inner", "kl", "margin", "pkt", "outer", "t_lr", "t_mse", "ref.eps"}) {
        QVERIFY2(sink.lastMeta.values.count(QLatin1String(key)), key);
        QVERIFY(std::isfinite(sink.lastMeta.values.at(QLatin1String(key))));
    }
    QCOMPARE(sink.lastMeta.iterations, 6);
    // The warm-up's images come first (unit -1, every 4 steps and at its end),
    // then every 4 meta iterations and at the end of each unit's phase A.
    std::vector<ImageEvent> meta;
    for (const ImageEvent &e : sink.images)
        if (e.unit >= 0)
            meta.push_back(e);
    QVERIFY(sink.images.front().unit == -1);
    QCOMPARE(int(meta.size()), 2 * metaUnits);
    QCOMPARE(meta.front().iteration, 4);
    QCOMPARE(meta[1].iteration, 6);
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
    QVERIFY(r->result.toJson().value("phases").toObject().value("meta").toDouble() > 0);
    const QJsonObject opts = r->result.toJson().value("spec").toObject().value("method_options").toObject();
    QCOMPARE(opts.value("meta_iters").toInt(), 6);
    QCOMPARE(opts.value("gamma").toDouble(), 3000.0);
    QCOMPARE(opts.value("t_init").toString(), QStringLiteral("warmup"));
    // T's movement is reported per unit and for the run.
    for (int u = 1; u + 1 < units.size(); ++u) {
        const QJsonObject o = units[u].toObject();
        QVERIFY(o.value("t_change").toDouble() > 0);
        QVERIFY(o.value("t_mse").toDouble() > 0);
        QVERIFY(o.value("class_kept").toDouble() >= 0 && o.value("class_kept").toDouble() <= 1);
    }
    const QJsonObject summary = r->result.toJson().value("method_summary").toObject();
    QVERIFY(summary.value("warmup_steps").toInt() > 0);
    QCOMPARE(summary.value("t_sha256").toString().size(), 64);
    QVERIFY(summary.value("t_mse_final").toDouble() > 0);
}

void TestMetaAugRun::sameSeedSameRun()
{
    RunSink sink;
    const RunSpec spec = shortRun(QStringLiteral("metaaug"), {{"meta_iters", 3}});
    auto a = runQuantization(spec, sink);
    auto b = runQuantization(spec, sink);
    QVERIFY(a && b);
    QCOMPARE(a->result.toJson().value("qweights_sha256").toString(), b->result.toJson().value("qweights_sha256").toString());
    QCOMPARE(a->result.toJson().value("q_top1").toDouble(), b->result.toJson().value("q_top1").toDouble());
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

// A run stores its final T in the run database; `runs export-t` writes the
// same bytes, and `--t-init file:` starts a later run from them.
void TestMetaAugRun::transformStoredAndReused()
{
    QTemporaryDir dir;
    auto db = store::RunStore::open(dir.filePath("runs.sqlite"));
    QVERIFY(db);
    RecordingSink sink;
    const JobOutcome first = runJob(shortRun(QStringLiteral("metaaug"), {{"meta_iters", 2}}), db->get(), sink);
    QVERIFY2(first.status == store::RunStatus::Succeeded, qPrintable(first.error ? first.error->message : QString()));
    auto blob = (*db)->blob(first.runId, QStringLiteral("transform"));
    QVERIFY2(blob, qPrintable(blob ? QString() : blob.error().message));
    QVERIFY(blob->startsWith(QByteArray("MAUGT", 5)));
    auto artefacts = (*db)->artefacts(first.runId);
    QVERIFY(artefacts && artefacts->size() == 1 && artefacts->front().sha256 == sha256Hex(*blob));

    // Through the CLI, bit for bit.
    const QString file = dir.filePath("t.maugt");
    QProcess p;
    p.start(qEnvironmentVariable("METAAUG_CLI"), {"runs", "export-t", QString::number(first.runId), "--out", file,
                                                  "--db", dir.filePath("runs.sqlite")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), *blob);

    // A frozen start from that file keeps T exactly: the stored T is the file's.
    const JobOutcome second = runJob(shortRun(QStringLiteral("metaaug"), {{"t_init", "file:" + file}, {"t_frozen", true}}), db->get(), sink);
    QVERIFY2(second.status == store::RunStatus::Succeeded, qPrintable(second.error ? second.error->message : QString()));
    QCOMPARE(*(*db)->blob(second.runId, QStringLiteral("transform")), *blob);
    QVERIFY(!second.result.methodSummary.contains("warmup_steps"));

    // A T of another width is refused naming both shapes.
    RunSink plain;
    auto wrong = runQuantization(shortRun(QStringLiteral("metaaug"), {{"t_init", "file:" + file}, {"t_width", 8}}), plain);
    QVERIFY(!wrong);
    QVERIFY2(wrong.error().message.contains("width 16") && wrong.error().message.contains("width 8"), qPrintable(wrong.error().message));
}

// The study's controls are recorded in the spec and do what they say.
void TestMetaAugRun::controlsRecordedInSpec()
{
    RecordingSink frozenSink;
    auto frozen = runQuantization(shortRun(QStringLiteral("metaaug"), {{"t_frozen", true}, {"meta_iters", 5}}), frozenSink);
    QVERIFY2(frozen, qPrintable(frozen ? QString() : frozen.error().message));
    QJsonObject opts = frozen->result.toJson().value("spec").toObject().value("method_options").toObject();
    QCOMPARE(opts.value("t_frozen").toBool(), true);
    QCOMPARE(frozenSink.metaEvents, 0);  // M ignored
    for (const QJsonValue &u : frozen->result.toJson().value("units").toArray())
        QCOMPARE(u.toObject().value("t_change").toDouble(), 0.0);
    QVERIFY(frozen->result.toJson().value("method_summary").toObject().value("warmup_steps").toInt() > 0);

    RecordingSink randomSink;
    auto random = runQuantization(shortRun(QStringLiteral("metaaug"), {{"augment", "random"}}), randomSink);
    QVERIFY2(random, qPrintable(random ? QString() : random.error().message));
    opts = random->result.toJson().value("spec").toObject().value("method_options").toObject();
    QCOMPARE(opts.value("augment").toString(), QStringLiteral("random"));
    QCOMPARE(randomSink.metaEvents, 0);
    QVERIFY(random->blobs.empty());  // no T
    const QJsonArray units = random->result.toJson().value("units").toArray();
    for (int u = 1; u + 1 < units.size(); ++u)
        QVERIFY(std::abs(units[u].toObject().value("t_mse").toDouble() - 0.1) < 1e-3);
    QVERIFY(!randomSink.images.empty());
}

QTEST_GUILESS_MAIN(TestMetaAugRun)
#include "tst_metaaugrun.moc"
