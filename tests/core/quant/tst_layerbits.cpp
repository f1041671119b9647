// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer bits: the spec text and the bits file round-trip, bad names and
// values are refused naming them, and a run gives a layer exactly the bits
// asked (with RTN, a layer at 8 bits equals that layer of a uniform W8 run).
#include "analysis/budget.h"
#include "common/paths.h"
#include "model/model.h"
#include "quant/layerbits.h"
#include "run/quantizationrun.h"

#include <QtTest/QtTest>

using namespace metaaug;
using namespace metaaug::quant;

namespace {

RunResult mustRun(RunSpec s)
{
    RunSink sink;
    auto r = runQuantization(s, sink);
    if (!r)
        qWarning("%s", qPrintable(r.error().message));
    return r ? r->result : RunResult{};
}

RunSpec rtnSpec(int wbits)
{
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = QStringLiteral("rtn");
    s.wbits = wbits;
    s.abits = 8;
    s.calibSize = 64;
    s.evalLimit = 200;
    s.iterations = 0;
    return s;
}

const LayerResult *layer(const RunResult &r, const QString &name)
{
    for (const LayerResult &l : r.layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

}  // namespace

class TestLayerBits : public QObject {
    Q_OBJECT
private slots:
    void textAndJsonRoundTrip();
    void badTextRefused();
    void applyNamesTheFault();
    void layerAtEightBitsEqualsUniformW8();
};

void TestLayerBits::textAndJsonRoundTrip()
{
    auto m = parseLayerBits(QStringLiteral("conv1=8,layer1.0.conv1=3/4,/features/0/Conv=2"));
    QVERIFY2(m, m ? "" : qPrintable(m.error().message));
    QCOMPARE(int(m->size()), 3);
    QCOMPARE(m->at(QStringLiteral("layer1.0.conv1")).weight, 3);
    QCOMPARE(m->at(QStringLiteral("layer1.0.conv1")).activation, 4);
    QCOMPARE(m->at(QStringLiteral("conv1")).activation, 0);
    auto again = parseLayerBits(formatLayerBits(*m));
    QVERIFY(again);
    QCOMPARE(formatLayerBits(*again), formatLayerBits(*m));
    auto fromJson = layerBitsFromJson(layerBitsToJson(*m));
    QVERIFY(fromJson);
    QCOMPARE(formatLayerBits(*fromJson), formatLayerBits(*m));
    QVERIFY(parseLayerBits(QString())->empty());
}

void TestLayerBits::badTextRefused()
{
    for (const QString &bad : {QStringLiteral("conv1"), QStringLiteral("conv1=9"), QStringLiteral("conv1=1"), QStringLiteral("conv1=4/12"),
                               QStringLiteral("conv1=4,conv1=3")}) {
        auto r = parseLayerBits(bad);
        QVERIFY2(!r, qPrintable(bad));
        QVERIFY2(r.error().message.contains(bad.section(QLatin1Char('='), 0, 0)), qPrintable(r.error().message));
    }
    auto j = layerBitsFromJson(QJsonObject{{"fc", QJsonObject{{"w", 4}, {"bits", 3}}}});
    QVERIFY(!j);
    QVERIFY2(j.error().message.contains("fc") && j.error().message.contains("bits"), qPrintable(j.error().message));
    QVERIFY(!layerBitsFromJson(QJsonObject{{"fc", 9}}));
    QVERIFY(!layerBitsFromJson(QJsonObject{{"fc", "4"}}));
}

void TestLayerBits::applyNamesTheFault()
{
    auto model = Model::load(defaultModelPath());
    QVERIFY(model);
    const graph::Executor &ex = model->executor();
    const BitPlan uniform = planBits(ex, 4, 4, BitSetting::QDrop);
    auto unknown = applyLayerBits(ex, uniform, {{QStringLiteral("layer9.conv"), {3, 0}}});
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().message.contains("layer9.conv") && unknown.error().message.contains("conv1"),
             qPrintable(unknown.error().message));
    const QString first = QString::fromStdString(ex.graph().nodes[ex.graph().layers().front()].name);
    auto image = applyLayerBits(ex, uniform, {{first, {4, 4}}});
    QVERIFY(!image);
    QVERIFY2(image.error().message.contains(first) && image.error().message.contains("image"), qPrintable(image.error().message));
    // Two layers reading one input (a block's first conv and its shortcut).
    for (const graph::ActivationPoint &p : ex.activationPoints()) {
        if (p.layers.size() < 2)
            continue;
        const QString a = QString::fromStdString(ex.graph().nodes[p.layers[0]].name);
        const QString b = QString::fromStdString(ex.graph().nodes[p.layers[1]].name);
        auto shared = applyLayerBits(ex, uniform, {{a, {4, 3}}, {b, {4, 5}}});
        QVERIFY(!shared);
        QVERIFY2(shared.error().message.contains(a) && shared.error().message.contains(b), qPrintable(shared.error().message));
        auto same = applyLayerBits(ex, uniform, {{a, {2, 6}}, {b, {8, 6}}});
        QVERIFY(same);
        QCOMPARE(same->activationBits[size_t(ex.pointOfValue(p.value))], 6);
        QCOMPARE(same->weightBits.at(p.layers[0]), 2);
        QCOMPARE(same->weightBits.at(p.layers[1]), 8);
        return;
    }
    QFAIL("the bundled model has no shared input");
}

void TestLayerBits::layerAtEightBitsEqualsUniformW8()
{
    const QString name = QStringLiteral("layer2.0.conv1");
    RunSpec mixed = rtnSpec(4);
    mixed.layerBits = name + QStringLiteral("=8");
    const RunResult w4 = mustRun(rtnSpec(4)), w8 = mustRun(rtnSpec(8)), mix = mustRun(mixed);
    QVERIFY(layer(w4, name) && layer(w8, name) && layer(mix, name));
    QCOMPARE(layer(mix, name)->wbits, 8);
    QCOMPARE(layer(w4, name)->wbits, 4);
    // RTN fits each layer alone: the layer's weight is W8's, bit for bit.
    QCOMPARE(*layer(mix, name)->weightSqnrDb, *layer(w8, name)->weightSqnrDb);
    QVERIFY(*layer(mix, name)->weightSqnrDb > *layer(w4, name)->weightSqnrDb);
    // Every other layer is W4's.
    for (const LayerResult &l : mix.layers)
        if (l.name != name)
            QCOMPARE(l.weightSqnrDb, layer(w4, l.name)->weightSqnrDb);
    // The recorded costs follow: one layer's weights at 8 instead of 4 bits.
    QVERIFY(mix.weightBitsAvg && w4.weightBitsAvg && mix.weightBytes && w4.weightBytes);
    QVERIFY(*mix.weightBitsAvg > *w4.weightBitsAvg);
    auto model = Model::load(defaultModelPath());
    QVERIFY(model);
    const int64_t params = model->graph().nodes[size_t(model->graph().findNode(name.toStdString()))].weight.numel();
    QCOMPARE(qint64(*mix.weightBytes - *w4.weightBytes), qint64(analysis::packedBytes(params, 8) - analysis::packedBytes(params, 4)));
    QCOMPARE(mix.spec.value(QStringLiteral("layer_bits")).toString(), mixed.layerBits);
}

QTEST_GUILESS_MAIN(TestLayerBits)
#include "tst_layerbits.moc"
