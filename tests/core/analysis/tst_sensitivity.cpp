// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer sensitivity on the bundled ResNet-20: one record per layer/point
// and candidate, each equal to an independent whole-model forward with only
// that layer quantized, more bits never hurting more, reproducible.
#include "analysis/sensitivity.h"
#include "common/paths.h"
#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "model/model.h"
#include "quant/weightquantizer.h"
#include "tolerances.h"

#include <QtTest/QtTest>

using namespace metaaug;
using namespace metaaug::analysis;

namespace {

struct Fixture {
    std::optional<Model> model;
    torch::Tensor fit, measure;
};

Fixture load()
{
    Fixture f;
    auto m = Model::load(defaultModelPath());
    if (!m)
        return f;
    auto data = openDataSource(QStringLiteral("fashion-mnist:train"), m->card().preprocess);
    if (!data)
        return f;
    auto sel = selectCalibration(*data, 32 + 96, 7);
    const torch::Tensor idx = sel->indexTensor();
    auto fit = data->input(idx.slice(0, 0, 32));
    auto measure = data->input(idx.slice(0, 32));
    if (!fit || !measure)
        return f;
    f.fit = *fit;
    f.measure = *measure;
    f.model.emplace(std::move(*m));
    return f;
}

// Only `node`'s weight replaced.
struct OneWeight : graph::ExecutionHooks {
    int node;
    torch::Tensor w;
    torch::Tensor weight(int n, const graph::Node &layer) override { return n == node ? w : layer.weight; }
};

}  // namespace

class TestSensitivity : public QObject {
    Q_OBJECT
private slots:
    void recordsMatchIndependentForwards();
    void moreBitsHurtLess();
    void reproducible();
};

void TestSensitivity::recordsMatchIndependentForwards()
{
    Fixture f = load();
    QVERIFY(f.model);
    const graph::Graph &g = f.model->graph();
    SensitivityOptions o;
    o.weightBits = {2, 4};
    o.activationBits = {4};
    o.batch = 40;  // not a divisor of 96: a short last batch
    auto r = analyzeSensitivity(f.model->sharedExecutor(), f.model->partition().units, f.fit, f.measure, o);
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    size_t points = 0;
    for (const auto &p : f.model->executor().activationPoints())
        points += p.isModelInput ? 0 : 1;
    QCOMPARE(r->size(), g.layers().size() * 2 + points * 1 + 2 + 1);

    // Each weight record against a whole-model forward with that layer alone
    // at RTN: the unit-by-unit streaming must not change the figure.
    torch::NoGradGuard ng;
    const torch::Tensor fp = f.model->executor().run(f.measure);
    const torch::Tensor lf = torch::log_softmax(fp, 1);
    int checked = 0;
    for (const SensitivityRecord &rec : *r) {
        if (rec.kind != SensitivityKind::Weight)
            continue;
        const int node = g.findNode(rec.target.toStdString());
        QVERIFY(node >= 0);
        OneWeight hook;
        hook.node = node;
        hook.w = quant::WeightQuantizer(g.nodes[node].weight, rec.bits).quantized(quant::Rounding::Nearest);
        const torch::Tensor q = f.model->executor().run(f.measure, &hook);
        const torch::Tensor lq = torch::log_softmax(q, 1);
        const double kl = (lf.exp() * (lf - lq)).sum(1).mean().item<double>();
        const double agree = 100.0 * (fp.argmax(1) == q.argmax(1)).to(torch::kDouble).mean().item<double>();
        QVERIFY2(std::abs(rec.kl - kl) <= test::kEngineRelTolerance * std::max(1e-6, kl),
                 qPrintable(QStringLiteral("%1 W%2: KL %3 vs %4").arg(rec.target).arg(rec.bits).arg(rec.kl).arg(kl)));
        QCOMPARE(rec.agreement, agree);
        QCOMPARE(rec.parameters, g.nodes[node].weight.numel());
        QVERIFY(rec.macs > 0);
        ++checked;
    }
    QCOMPARE(checked, int(g.layers().size()) * 2);
}

void TestSensitivity::moreBitsHurtLess()
{
    Fixture f = load();
    QVERIFY(f.model);
    SensitivityOptions o;
    o.weightBits = {2, 8};
    o.activationBits = {2, 8};
    auto r = analyzeSensitivity(f.model->sharedExecutor(), f.model->partition().units, f.fit, f.measure, o);
    QVERIFY(r);
    std::map<std::pair<QString, int>, std::map<int, SensitivityRecord>> byTarget;
    for (const auto &rec : *r)
        byTarget[{rec.target, int(rec.kind)}][rec.bits] = rec;
    int lessKl = 0;
    for (const auto &[key, bits] : byTarget) {
        const SensitivityRecord &lo = bits.at(2), &hi = bits.at(8);
        // A layer's own output is closer to FP at 8 bits than at 2, always.
        QVERIFY2(hi.sqnrDb > lo.sqnrDb, qPrintable(QStringLiteral("%1: %2 dB at 8 bits, %3 at 2").arg(key.first).arg(hi.sqnrDb).arg(lo.sqnrDb)));
        lessKl += hi.kl < lo.kl ? 1 : 0;
        QVERIFY(hi.agreement >= 90.0);
    }
    QCOMPARE(lessKl, int(byTarget.size()));  // and the output KL smaller
}

void TestSensitivity::reproducible()
{
    Fixture f = load();
    QVERIFY(f.model);
    SensitivityOptions o;
    o.weightBits = {3};
    o.activationBits = {2};
    auto a = analyzeSensitivity(f.model->sharedExecutor(), f.model->partition().units, f.fit, f.measure, o);
    auto b = analyzeSensitivity(f.model->sharedExecutor(), f.model->partition().units, f.fit, f.measure, o);
    QVERIFY(a && b);
    QCOMPARE(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i)
        QCOMPARE((*a)[i].toJson(), (*b)[i].toJson());
}

QTEST_GUILESS_MAIN(TestSensitivity)
#include "tst_sensitivity.moc"
