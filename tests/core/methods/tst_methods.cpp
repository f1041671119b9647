// SPDX-License-Identifier: GPL-3.0-or-later
// Contracts of the quantization engine on the bundled ResNet-20 (short
// iteration counts), plus the guards every run relies on.
#include "common/paths.h"
#include "common/runtime.h"
#include "eval/comparison.h"
#include "graph/torchscriptimporter.h"
#include "methods/method.h"
#include "model/model.h"
#include "recon/unitcache.h"
#include "run/quantizationrun.h"

#include "tolerances.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QtTest>

using namespace metaaug;

namespace {

RunSpec shortRun(const QString &method, int wbits, int abits, int iters)
{
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = method;
    s.wbits = wbits;
    s.abits = abits;
    s.iterations = iters;
    s.calibSize = 256;
    s.evalLimit = 2000;
    return s;
}

QJsonObject mustRunUncached(const RunSpec &spec)
{
    RunSink sink;
    auto r = runQuantization(spec, sink);
    if (!r) {
        qWarning("%s", qPrintable(r.error().message));
        return {};
    }
    return r->result.toJson();
}

// Runs are deterministic (sameSeedSameRun checks it), so tests that need
// the same run share it: each spec runs once per test binary.
QJsonObject mustRun(const RunSpec &spec)
{
    static QMap<QByteArray, QJsonObject> done;
    const QByteArray key = QJsonDocument(spec.toJson()).toJson(QJsonDocument::Compact);
    if (!done.contains(key))
        done.insert(key, mustRunUncached(spec));
    return done.value(key);
}

}  // namespace

class TestMethods : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void registryHasAllBaselines();
    void bitPolicy();
    void rtnW8A8IsNearFp();
    void geniemBeatsRtnAtW2A4();
    void reconstructionLossDecreases_data();
    void reconstructionLossDecreases();
    void everyMethodRuns_data();
    void everyMethodRuns();
    void sameSeedSameRun();
    void nanLossStopsWithUnitAndIteration();
    void badSpecValues_data();
    void badSpecValues();
    void resnet18CacheFitsBudget();
    void layerSqnrInMemoryBoundChunks();
};

void TestMethods::initTestCase()
{
    configureRuntime();
}

void TestMethods::registryHasAllBaselines()
{
    for (const char *id : {"rtn", "adaround", "brecq", "qdrop", "geniem"})
        QVERIFY2(methods::findMethod(id), id);
    QCOMPARE(methods::findMethod("adaround")->partitionRule(), graph::PartitionRule::LayerWise);
    QVERIFY(!methods::findMethod("rtn")->reconstructs());
    QVERIFY(!methods::findMethod("nope"));
}

void TestMethods::bitPolicy()
{
    auto m = Model::load(defaultModelPath());
    QVERIFY(m.ok());
    const auto &g = m->graph();
    const auto layers = g.layers();
    for (auto setting : {quant::BitSetting::QDrop, quant::BitSetting::Brecq}) {
        const quant::BitPlan plan = quant::planBits(m->executor(), 3, 4, setting);
        QCOMPARE(plan.weightBits.at(layers.front()), 8);
        QCOMPARE(plan.weightBits.at(layers.back()), 8);
        QCOMPARE(plan.weightBits.at(layers[1]), 3);
        QCOMPARE(plan.activationBits[m->executor().pointOfLayer("conv1")], 0);  // the image stays FP
        QCOMPARE(plan.activationBits[m->executor().pointOfLayer("fc")], 8);
        QCOMPARE(plan.activationBits[m->executor().pointOfLayer(g.nodes[layers[1]].name)],
                 setting == quant::BitSetting::Brecq ? 8 : 4);
        QCOMPARE(plan.activationBits[m->executor().pointOfLayer("layer2.1.conv1")], 4);
    }
}

void TestMethods::rtnW8A8IsNearFp()
{
    RunSpec s = shortRun("rtn", 8, 8, 0);
    s.evalLimit = 0;
    const QJsonObject r = mustRun(s);
    QVERIFY(!r.isEmpty());
    QCOMPARE(r.value("eval_n").toInt(), 10000);
    const double drop = r.value("fp_top1").toDouble() - r.value("q_top1").toDouble();
    qInfo("rtn W8A8: FP %.2f, Q %.2f", r.value("fp_top1").toDouble(), r.value("q_top1").toDouble());
    QVERIFY(std::abs(drop) <= test::kRtnW8A8MaxDropPt);
}

// W2A4: the geniem run is reconstructionLossDecreases(geniem)'s.
void TestMethods::geniemBeatsRtnAtW2A4()
{
    const QJsonObject rtn = mustRun(shortRun("rtn", 2, 4, 0));
    const QJsonObject genie = mustRun(shortRun("geniem", 2, 4, 200));
    QVERIFY(!rtn.isEmpty() && !genie.isEmpty());
    qInfo("W2A4 on 2000 test images: rtn %.2f, geniem %.2f (FP %.2f)", rtn.value("q_top1").toDouble(),
          genie.value("q_top1").toDouble(), rtn.value("fp_top1").toDouble());
    QVERIFY(genie.value("q_top1").toDouble() > rtn.value("q_top1").toDouble());
}

void TestMethods::reconstructionLossDecreases_data()
{
    QTest::addColumn<QString>("method");
    QTest::newRow("qdrop") << "qdrop";
    QTest::newRow("geniem") << "geniem";
}

void TestMethods::reconstructionLossDecreases()
{
    QFETCH(QString, method);
    const QJsonObject r = mustRun(shortRun(method, 2, 4, 200));
    QVERIFY(!r.isEmpty());
    const QJsonArray units = r.value("units").toArray();
    QCOMPARE(units.size(), 11);
    // Units whose layers are all at 8 bits (the first conv, the last linear)
    // have almost nothing to learn: their training loss is QDrop's noise.
    QMap<QString, int> lowestBits;
    for (const QJsonValue &l : r.value("layers").toArray()) {
        const QString unit = l.toObject().value("name").toString().section('.', 0, 1);
        const int bits = l.toObject().value("wbits").toInt();
        lowestBits[unit] = lowestBits.contains(unit) ? std::min(lowestBits[unit], bits) : bits;
    }
    int checked = 0;
    for (const QJsonValue &u : units) {
        const QJsonObject o = u.toObject();
        if (lowestBits.value(o.value("name").toString(), 8) >= 8)
            continue;
        ++checked;
        QVERIFY2(o.value("final_loss").toDouble() < o.value("first_loss").toDouble(),
                 qPrintable(QString("%1: %2 -> %3").arg(o.value("name").toString()).arg(o.value("first_loss").toDouble())
                                .arg(o.value("final_loss").toDouble())));
    }
    QCOMPARE(checked, 9);
}

void TestMethods::everyMethodRuns_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("units");
    QTest::newRow("adaround (layer-wise)") << "adaround" << 22;
    QTest::newRow("brecq") << "brecq" << 11;
}

void TestMethods::everyMethodRuns()
{
    QFETCH(QString, method);
    QFETCH(int, units);
    RunSpec s = shortRun(method, 4, 4, 20);
    s.calibSize = 64;
    s.evalLimit = 300;
    const QJsonObject r = mustRun(s);
    QVERIFY(!r.isEmpty());
    QCOMPARE(r.value("units").toArray().size(), units);
    // 4-bit weights after 20 iterations still agree with FP on most images.
    QVERIFY2(r.value("agreement").toDouble() > 50.0, qPrintable(QString::number(r.value("agreement").toDouble())));
}

void TestMethods::sameSeedSameRun()
{
    RunSpec s = shortRun("geniem", 2, 4, 20);
    s.calibSize = 128;
    s.evalLimit = 200;
    const QJsonObject a = mustRunUncached(s), b = mustRunUncached(s);
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    QCOMPARE(a.value("qweights_sha256").toString(), b.value("qweights_sha256").toString());
    QCOMPARE(a.value("q_top1").toDouble(), b.value("q_top1").toDouble());
    QCOMPARE(a.value("kl").toDouble(), b.value("kl").toDouble());
    auto losses = [](const QJsonObject &r) {
        QStringList l;
        for (const QJsonValue &u : r.value("units").toArray())
            l << QString::number(u.toObject().value("first_loss").toDouble(), 'g', 17)
              << QString::number(u.toObject().value("final_loss").toDouble(), 'g', 17);
        return l;
    };
    QCOMPARE(losses(a), losses(b));
    s.seed = 1;
    const QJsonObject c = mustRun(s);
    QVERIFY(c.value("calib_hash").toString() != a.value("calib_hash").toString());
    QVERIFY(c.value("qweights_sha256").toString() != a.value("qweights_sha256").toString());
}

void TestMethods::nanLossStopsWithUnitAndIteration()
{
    auto m = Model::load(defaultModelPath());
    QVERIFY(m.ok());
    const auto &units = m->partition().units;
    quant::QuantizedModel q(m->sharedExecutor(), quant::planBits(m->executor(), 4, 4, quant::BitSetting::QDrop));
    torch::manual_seed(0);
    const torch::Tensor images = torch::randn({16, 1, 28, 28});
    q.initializeActivations(images);
    recon::CacheBuilder builder(m->executor(), units);
    recon::UnitCache cache = builder.build(0, images, q);
    cache = builder.build(1, images, q);
    torch::Tensor poisoned = cache.yFp.all().clone();
    poisoned.select(1, 0).fill_(std::numeric_limits<float>::quiet_NaN());  // every image
    cache.yFp = recon::RowStore::wrap(poisoned);
    RunSink sink;
    const recon::RunContext ctx{m->executor(), units, q, sink, std::chrono::steady_clock::now()};
    recon::ReconOptions o;
    o.iterations = 50;
    o.batch = 16;
    o.qdropProb = 0.5;
    auto r = recon::reconstructUnit(ctx, 1, cache, o);
    QVERIFY(!r.ok());
    QCOMPARE(q.dropProbability(), 0.0);  // QDrop is off again on the error path too
    QVERIFY(!q.differentiableTwice());
    QVERIFY2(r.error().message.contains("layer1.0") && r.error().message.contains("iteration 1"), qPrintable(r.error().message));
    QCOMPARE(q.rounding(units[1].layers[0]), quant::Rounding::Hard);  // the unit is left in a defined state
}

void TestMethods::badSpecValues_data()
{
    QTest::addColumn<int>("wbits");
    QTest::addColumn<int>("abits");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("named");
    // The run spec's own table names the key, its range and the value.
    QTest::newRow("wbits 1") << 1 << 4 << "rtn" << "\"wbits\" must be a whole number from 2 to 8 (got 1)";
    QTest::newRow("wbits 9") << 9 << 4 << "rtn" << "\"wbits\" must be a whole number from 2 to 8 (got 9)";
    QTest::newRow("abits 1") << 4 << 1 << "rtn" << "\"abits\" must be a whole number from 2 to 8 (got 1)";
    QTest::newRow("method") << 4 << 4 << "magic" << "\"method\" must be one of rtn, adaround, brecq, qdrop, geniem, metaaug (got magic)";
}

void TestMethods::badSpecValues()
{
    QFETCH(int, wbits);
    QFETCH(int, abits);
    QFETCH(QString, method);
    QFETCH(QString, named);
    RunSpec s = shortRun(method, wbits, abits, 0);
    RunSink sink;
    auto r = runQuantization(s, sink);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(r.error().message.contains(named), qPrintable(r.error().message));
}

void TestMethods::resnet18CacheFitsBudget()
{
    const QString path = qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/resnet18_traced.pt";
    auto g = graph::importTorchScriptFile(path);
    QVERIFY(g.ok());
    auto shared = std::make_shared<const graph::Graph>(std::move(g).value());
    graph::Executor ex(shared);
    const auto p = graph::partition(*shared);
    const int64_t bytes = recon::estimatePeakCacheBytes(ex, p.units, torch::zeros({1, 3, 224, 224}), 1024);
    qInfo("resnet18, 1024 images at 224x224: largest unit cache %.2f GiB", bytes / double(1 << 30));
    QVERIFY(bytes < test::kResnet18CacheLimitBytes);
}


// A memory bound on the per-layer SQNR pass only changes how many images go
// through at once (one at a time here), not the figures.
void TestMethods::layerSqnrInMemoryBoundChunks()
{
    auto m = Model::load(defaultModelPath());
    QVERIFY(m.ok());
    quant::QuantizedModel q(m->sharedExecutor(), quant::planBits(m->executor(), 3, 3, quant::BitSetting::QDrop));
    torch::manual_seed(0);
    const torch::Tensor images = torch::randn({12, 1, 28, 28});
    q.initializeActivations(images);
    const auto whole = layerSqnr(m->executor(), q, images, 64);
    const auto oneByOne = layerSqnr(m->executor(), q, images, 64, /*maxBytes=*/1);
    QCOMPARE(oneByOne.size(), whole.size());
    QVERIFY(whole.size() > 10);
    for (size_t i = 0; i < whole.size(); ++i) {
        QCOMPARE(oneByOne[i].layer, whole[i].layer);
        QVERIFY2(std::abs(oneByOne[i].outputDb - whole[i].outputDb) <= test::kChunkedSqnrToleranceDb,
                 qPrintable(QStringLiteral("%1: %2 vs %3 dB").arg(QString::fromStdString(whole[i].layer))
                                .arg(oneByOne[i].outputDb).arg(whole[i].outputDb)));
        QVERIFY(std::isfinite(whole[i].outputDb) && whole[i].outputDb < 60);  // 3 bits: a real error to measure
    }
}

QTEST_GUILESS_MAIN(TestMethods)
#include "tst_methods.moc"
