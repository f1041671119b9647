// SPDX-License-Identifier: GPL-3.0-or-later
// The error-propagation table and the diagnosis find a planted culprit
// (docs/inspector.md): in the bundled ResNet-20, one output channel of a
// middle block's first conv is scaled x50 (its folded BN with it) and the
// second conv's matching input weights by 1/50. ReLU is positively
// homogeneous, so the FP function is unchanged; the second conv's
// per-tensor input quantizer is not.
#include "analysis/propagation.h"
#include "common/paths.h"
#include "common/runtime.h"
#include "data/datasource.h"
#include "model/model.h"
#include "quant/bitpolicy.h"
#include "plantedmodel.h"
#include "tolerances.h"

#include <QtTest/QtTest>

using namespace metaaug;

namespace {

constexpr int kChannel = 5;
constexpr double kScale = 50.0;

// RTN W4A4 (the QDrop bit setting) of `ex`, grids fitted on `fit`.
std::unique_ptr<quant::QuantizedModel> rtn(const std::shared_ptr<const graph::Executor> &ex, const torch::Tensor &fit)
{
    auto q = std::make_unique<quant::QuantizedModel>(ex, quant::planBits(*ex, 4, 4, quant::BitSetting::QDrop));
    q->initializeActivations(fit);
    return q;
}

double agreement(const graph::Executor &ex, graph::ExecutionHooks &q, const torch::Tensor &x)
{
    torch::NoGradGuard ng;
    return 100.0 * (ex.run(x).argmax(1) == ex.run(x, &q).argmax(1)).to(torch::kDouble).mean().item<double>();
}

}  // namespace

class TestPropagation : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void plantedChannelIsFound();
    void tableOnAnUntouchedModel();

private:
    torch::Tensor m_calib, m_test;
};

void TestPropagation::initTestCase()
{
    configureRuntime();
    auto model = Model::load(defaultModelPath());
    QVERIFY(model.ok());
    auto train = openDataSource(QStringLiteral("fashion-mnist:train"), model->card().preprocess);
    auto test = openDataSource(QStringLiteral("fashion-mnist:test"), model->card().preprocess);
    QVERIFY(train && test);
    auto c = train->input(0, 64), t = test->input(0, 1000);
    QVERIFY(c && t);
    m_calib = *c;
    m_test = *t;
}

void TestPropagation::plantedChannelIsFound()
{
    const auto original = test::plantedResnet20("layer2.1", kChannel, kScale), clean = test::plantedResnet20();
    QVERIFY(original && clean);
    {
        torch::NoGradGuard ng;
        const torch::Tensor a = clean->run(m_test), b = original->run(m_test);
        const double diff = (a - b).abs().max().item<double>(), scale = std::max(1.0, a.abs().max().item<double>());
        qInfo("planted layer2.1 channel %d: FP logits differ by at most %.3g (of %.3g)", kChannel, diff, scale);
        QVERIFY(diff <= test::kPlantedFpRelTolerance * scale);
    }
    auto qClean = rtn(clean, m_calib), qPlanted = rtn(original, m_calib);
    const double agreeClean = agreement(*clean, *qClean, m_test), agreePlanted = agreement(*original, *qPlanted, m_test);
    qInfo("RTN W4A4 agreement with FP on 1000 test images: %.1f %% untouched, %.1f %% planted", agreeClean, agreePlanted);
    QVERIFY(agreePlanted < agreeClean - 2.0);

    const analysis::Propagation p = analysis::propagateErrors(*original, *qPlanted, m_calib);
    const auto worst = std::max_element(p.layers.begin(), p.layers.end(), [](const auto &a, const auto &b) {
        return a.injectedDb.value_or(-INFINITY) < b.injectedDb.value_or(-INFINITY);
    });
    QCOMPARE(worst->layer, QStringLiteral("layer2.1.conv2"));
    bool named = false;
    for (const analysis::Finding &f : p.findings) {
        qInfo("finding %s: %s", qPrintable(f.check), qPrintable(f.detail));
        named |= f.check == QLatin1String("outlier_channel") && f.layer == QLatin1String("layer2.1.conv1") && f.channel == kChannel;
    }
    QVERIFY2(named, "the diagnosis names layer2.1.conv1's channel");
}

// Without a planting: one row per quantized layer, the first layer's input
// exact, no outlier channel, and the stored form reads back the same.
void TestPropagation::tableOnAnUntouchedModel()
{
    const auto ex = test::plantedResnet20();
    QVERIFY(ex);
    auto q = rtn(ex, m_calib);
    const analysis::Propagation p = analysis::propagateErrors(*ex, *q, m_calib, 16);
    QCOMPARE(p.layers.size(), ex->graph().layers().size());
    QVERIFY(!p.layers.front().inputDb);           // the image
    QVERIFY(p.layers.front().injectedDb.has_value());
    for (const auto &l : p.layers) {
        QVERIFY2(l.outputDb && *l.outputDb > 5 && *l.outputDb < 60, qPrintable(l.layer));
        // Weights or input alone lose less than both together.
        QVERIFY2(*l.localWeightDb >= *l.localDb - 0.5 && (!l.localActivationDb || *l.localActivationDb >= *l.localDb - 0.5),
                 qPrintable(l.layer));
    }
    for (const auto &f : p.findings)
        QVERIFY2(f.check != QLatin1String("outlier_channel"), qPrintable(f.detail));
    // One chunk or four: the same sums.
    const analysis::Propagation whole = analysis::propagateErrors(*ex, *q, m_calib, 64);
    QVERIFY(std::abs(*whole.layers[5].outputDb - *p.layers[5].outputDb) < 1e-6);
    const auto back = analysis::propagationFromJson(analysis::propagationJson(p.layers));
    QCOMPARE(back.size(), p.layers.size());
    QCOMPARE(back[3].injectedDb, p.layers[3].injectedDb);
    QCOMPARE(back.front().inputDb, p.layers.front().inputDb);
}

QTEST_GUILESS_MAIN(TestPropagation)
#include "tst_propagation.moc"
