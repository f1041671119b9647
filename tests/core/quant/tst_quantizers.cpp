// SPDX-License-Identifier: GPL-3.0-or-later
// Properties of the quantizer primitives (docs/algorithms.md, "Quantizers").
#include "quant/activationquantizer.h"
#include "quant/dropmask.h"
#include "quant/fusedlsq.h"
#include "quant/uniformgrid.h"
#include "quant/weightquantizer.h"
#include "recon/schedules.h"

#include "tolerances.h"

#include <QtTest/QtTest>

using namespace metaaug;
using namespace metaaug::quant;

class TestQuantizers : public QObject {
    Q_OBJECT
private slots:
    void onGridWeightIsUnchanged_data();
    void onGridWeightIsUnchanged();
    void quantizingTwiceEqualsOnce_data();
    void quantizingTwiceEqualsOnce();
    void softAtZeroOrOneEqualsHard();
    void adaRoundStartsAtTheWeight();
    void steGradientInsideAndOutside();
    void stepNeverZero();
    void searchClipsOutliers();
    void activationSign();
    void roundingBetaSchedule();
    void fusedLsqMatchesComposite_data();
    void fusedLsqMatchesComposite();
    void dropMaskAndMix();
    void fusedActivationSearchMatchesComposite_data();
    void fusedActivationSearchMatchesComposite();
};

void TestQuantizers::onGridWeightIsUnchanged_data()
{
    QTest::addColumn<int>("bits");
    for (int b : {2, 3, 4, 8})
        QTest::newRow(qPrintable(QString("W%1").arg(b))) << b;
}

void TestQuantizers::onGridWeightIsUnchanged()
{
    QFETCH(int, bits);
    torch::manual_seed(bits);
    const int64_t qmax = (int64_t(1) << bits) - 1;
    const torch::Tensor scale = torch::rand({8}) * 0.1 + 0.01;
    const torch::Tensor zp = torch::randint(0, qmax + 1, {8}).to(torch::kFloat32);
    const torch::Tensor codes = torch::randint(0, qmax + 1, {8, 4, 3, 3}).to(torch::kFloat32);
    const torch::Tensor w = scale.view({-1, 1, 1, 1}) * (codes - zp.view({-1, 1, 1, 1}));
    QVERIFY(torch::equal(quantizeAsymmetric(w, scale, zp, bits), w));
}

void TestQuantizers::quantizingTwiceEqualsOnce_data()
{
    onGridWeightIsUnchanged_data();
}

void TestQuantizers::quantizingTwiceEqualsOnce()
{
    QFETCH(int, bits);
    torch::manual_seed(100 + bits);
    const torch::Tensor w = torch::randn({16, 8, 3, 3});
    WeightQuantizer q(w, bits);
    const torch::Tensor once = q.quantized(Rounding::Nearest);
    QVERIFY(torch::equal(quantizeAsymmetric(once, q.scale(), q.zeroPoint(), bits), once));
    const torch::Tensor x = torch::randn({4, 8, 5, 5});
    ActivationQuantizer a(bits);
    a.initialize(x);
    const torch::Tensor xq = a.forward(x);
    QVERIFY(torch::equal(a.forward(xq), xq));
}

void TestQuantizers::softAtZeroOrOneEqualsHard()
{
    torch::manual_seed(3);
    WeightQuantizer q(torch::randn({6, 4, 3, 3}), 3);
    q.enableAdaRound();
    {
        torch::NoGradGuard ng;
        // |V| = 10 puts h(V) exactly at 0 or 1 (the rectified sigmoid saturates).
        q.roundingLogits().copy_(torch::where(torch::rand_like(q.roundingLogits()) < 0.5, -10.0, 10.0));
    }
    QVERIFY(torch::equal(q.quantized(Rounding::Soft), q.quantized(Rounding::Hard)));
    QCOMPARE(q.roundingRegularizer(2.0).item<double>(), 0.0);
}

void TestQuantizers::adaRoundStartsAtTheWeight()
{
    torch::manual_seed(4);
    const torch::Tensor w = torch::randn({6, 4, 3, 3});
    WeightQuantizer q(w, 4);
    q.enableAdaRound();
    // h(V0) = frac(w/s): soft quantization reproduces w wherever it is not clipped.
    const torch::Tensor soft = q.quantized(Rounding::Soft);
    const torch::Tensor s = q.scale().view({-1, 1, 1, 1}), z = q.zeroPoint().view({-1, 1, 1, 1});
    const torch::Tensor inRange = (w / s + z >= 0) & (w / s + z <= 15);
    QVERIFY(torch::allclose(soft.masked_select(inRange), w.masked_select(inRange), 1e-4, 1e-5));
    // Hard rounding differs from RTN only where the fraction is near 0.5 ties: both are on the grid.
    const torch::Tensor hard = q.quantized(Rounding::Hard);
    QVERIFY(torch::equal(quantizeAsymmetric(hard, q.scale(), q.zeroPoint(), 4), hard));
}

void TestQuantizers::steGradientInsideAndOutside()
{
    const torch::Tensor x = torch::linspace(-3, 3, 61).requires_grad_(true);
    const torch::Tensor step = torch::scalar_tensor(0.25);
    // unsigned 3 bit: range [0, 7 * 0.25] = [0, 1.75]
    quantizeSymmetric(x, step, 0, 7).sum().backward();
    const torch::Tensor inside = (x >= 0) & (x <= 1.75);
    QVERIFY(torch::equal(x.grad(), inside.to(torch::kFloat32)));
}

void TestQuantizers::stepNeverZero()
{
    torch::Tensor w = torch::randn({4, 3, 3, 3});
    {
        torch::NoGradGuard ng;
        w[0].zero_();
        w[1].fill_(0.7);
        w[2].fill_(-0.3);
    }
    WeightQuantizer q(w, 2);
    QVERIFY(q.scale().min().item<double>() >= kMinStep);
    QVERIFY(torch::isfinite(q.quantized(Rounding::Nearest)).all().item<bool>());
    q.enableAdaRound();
    QVERIFY(torch::isfinite(q.quantized(Rounding::Soft)).all().item<bool>());
    QVERIFY(torch::isfinite(q.roundingLogits()).all().item<bool>());
    // The constant channels keep their value exactly (0.7 is the channel's max).
    QVERIFY(torch::allclose(q.quantized(Rounding::Nearest)[1], w[1]));
    ActivationQuantizer a(4);
    a.initialize(torch::zeros({2, 3, 4, 4}));
    QVERIFY(a.stepValue() >= kMinStep);
    QVERIFY(torch::isfinite(a.forward(torch::randn({2, 3, 4, 4}))).all().item<bool>());
}

void TestQuantizers::searchClipsOutliers()
{
    torch::manual_seed(5);
    torch::Tensor w = torch::randn({1, 65536}) * 0.1;
    {
        torch::NoGradGuard ng;
        w[0][0] = 5.0;  // two outliers among 65536 small values
        w[0][1] = -5.0;
    }
    const AsymmetricGrid g = searchWeightGrid(w, 4);
    const double fullRangeStep = 10.0 / 15.0;
    QVERIFY2(g.scale.item<double>() < 0.5 * fullRangeStep, "the 2.4-norm search should clip the outlier");
}

void TestQuantizers::activationSign()
{
    ActivationQuantizer u(4), s(4);
    u.initialize(torch::rand({2, 8}));
    s.initialize(torch::randn({2, 8}));
    QVERIFY(!u.isSigned());
    QVERIFY(s.isSigned());
    QCOMPARE(u.grid().qmax(), 15);
    QCOMPARE(s.grid().qmin(), -8);
    QCOMPARE(s.grid().qmax(), 7);
}

void TestQuantizers::roundingBetaSchedule()
{
    QVERIFY(!recon::roundingBeta(0, 100).has_value());
    QVERIFY(!recon::roundingBeta(19, 100).has_value());
    QCOMPARE(*recon::roundingBeta(20, 100), 20.0);
    QCOMPARE(*recon::roundingBeta(60, 100), 11.0);
    QVERIFY(std::abs(*recon::roundingBeta(99, 100) - 2.225) < 1e-9);
    QCOMPARE(recon::cosineLr(1.0, 0, 10), 1.0);
    QVERIFY(std::abs(recon::cosineLr(1.0, 5, 10) - 0.5) < 1e-12);
}

void TestQuantizers::fusedLsqMatchesComposite_data()
{
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<bool>("drop");
    QTest::newRow("unsigned") << false << false;
    QTest::newRow("signed") << true << false;
    QTest::newRow("unsigned qdrop") << false << true;
    QTest::newRow("signed qdrop") << true << true;
}

void TestQuantizers::fusedLsqMatchesComposite()
{
    QFETCH(bool, isSigned);
    QFETCH(bool, drop);
    torch::manual_seed(5);
    // Values below, inside and above the grid; 3 bits.
    const torch::Tensor base = isSigned ? torch::randn({4, 3, 7, 7}) * 2 : torch::rand({4, 3, 7, 7}) * 4;
    const int64_t qmin = isSigned ? -4 : 0, qmax = isSigned ? 3 : 7;
    const torch::Tensor keep = drop ? torch::rand_like(base) < 0.5 : torch::Tensor();
    const torch::Tensor g = torch::randn_like(base);

    torch::Tensor x1 = base.clone().requires_grad_(true), s1 = torch::scalar_tensor(0.37f).requires_grad_(true);
    torch::Tensor ref = quant::quantizeSymmetric(x1, s1, qmin, qmax);
    if (drop)
        ref = torch::where(keep, x1, ref);
    (ref * g).sum().backward();

    torch::Tensor x2 = base.clone().requires_grad_(true), s2 = torch::scalar_tensor(0.37f).requires_grad_(true);
    const torch::Tensor fused = quant::fusedLsq(x2, s2, qmin, qmax, keep);
    (fused * g).sum().backward();

    QVERIFY2(torch::equal(fused, ref.detach()), "forward must equal the composite bit for bit");
    QVERIFY(torch::allclose(x2.grad(), x1.grad(), test::kFusedInputGradRelTolerance, 0));
    const double a = s1.grad().item<double>(), b = s2.grad().item<double>();
    QVERIFY2(std::abs(a - b) <= test::kFusedStepGradRelTolerance * std::abs(a), qPrintable(QStringLiteral("%1 vs %2").arg(a).arg(b)));
    // Some elements of each kind, so the comparison covers every branch.
    QVERIFY((base / 0.37 < qmin).any().item<bool>() || !isSigned);
    QVERIFY((base / 0.37 > qmax).any().item<bool>());
}

void TestQuantizers::dropMaskAndMix()
{
    const torch::Tensor like = torch::zeros({7, 5, 13, 11});  // not a multiple of 32 elements
    for (double p : {0.5, 0.25}) {
        torch::manual_seed(9);
        const torch::Tensor m = quant::dropMask(like, p);
        QCOMPARE(m.sizes().vec(), like.sizes().vec());
        const double frac = m.to(torch::kDouble).mean().item<double>();
        // 5005 Bernoulli(p) draws: 5 standard deviations is < 0.036
        QVERIFY2(std::abs(frac - p) < 0.036, qPrintable(QString::number(frac)));
        const torch::Tensor fp = torch::randn_like(like), q = torch::randn_like(like);
        torch::manual_seed(9);
        const torch::Tensor mix = quant::qdropMix(fp, q, p);
        QVERIFY(torch::equal(mix, torch::where(m, fp, q)));
    }
    // Neighbouring bits are independent: pairs (m[i], m[i+1]) all occur about equally often.
    torch::manual_seed(10);
    const torch::Tensor m = quant::dropMask(torch::zeros({64000}), 0.5).to(torch::kLong);
    const torch::Tensor pairs = m.slice(0, 0, -1) * 2 + m.slice(0, 1);
    for (int v = 0; v < 4; ++v) {
        const double f = (pairs == v).to(torch::kDouble).mean().item<double>();
        QVERIFY2(std::abs(f - 0.25) < 0.01, qPrintable(QString::number(f)));
    }
}

namespace {
// The search as torch ops: 100 ratios of max|x|, mean |x - q(x)|^2.4 each.
std::vector<double> compositeErrors(const torch::Tensor &x, const SymmetricGrid &g, std::vector<double> &steps)
{
    std::vector<double> errors;
    const double maxAbs = x.abs().max().item<double>();
    for (int i = 0; i < 100; ++i) {
        const double step = std::max(kMinStep, (1.0 - 0.01 * i) * maxAbs / double(g.qmax()));
        const torch::Tensor q = quantizeSymmetric(x, torch::scalar_tensor(step), g.qmin(), g.qmax());
        steps.push_back(step);
        errors.push_back((x - q).abs().pow(2.4).mean().item<double>());
    }
    return errors;
}
}  // namespace

void TestQuantizers::fusedActivationSearchMatchesComposite_data()
{
    QTest::addColumn<int>("bits");
    QTest::addColumn<QString>("shape");
    for (int bits : {2, 3, 4, 8})
        for (const char *shape : {"relu", "signed", "heavy-tail", "outlier"})
            QTest::addRow("W%d %s", bits, shape) << bits << QString::fromLatin1(shape);
}

// The fused search chooses the composite's step, or one whose composite
// error ties with the minimum; on 32 tensors (4 bit widths x 4 shapes).
void TestQuantizers::fusedActivationSearchMatchesComposite()
{
    QFETCH(int, bits);
    QFETCH(QString, shape);
    torch::manual_seed(uint64_t(bits) * 31 + uint64_t(qHash(shape)) % 1000);
    torch::Tensor x = torch::randn({20000});
    if (shape == QLatin1String("relu"))
        x = x.clamp_min(0);
    else if (shape == QLatin1String("heavy-tail"))
        x = x.pow(3);
    else if (shape == QLatin1String("outlier"))
        x = torch::cat({x.abs(), torch::full({3}, 40.0)});
    const SymmetricGrid fused = searchActivationGrid(x, bits);
    std::vector<double> steps;
    const std::vector<double> errors = compositeErrors(x, fused, steps);
    const auto best = std::min_element(errors.begin(), errors.end());
    const auto chosen = std::find(steps.begin(), steps.end(), fused.step);
    QVERIFY2(chosen != steps.end(), "the fused step is one of the 100 candidates");
    const double excess = errors[size_t(chosen - steps.begin())] / *best - 1.0;
    QVERIFY2(excess <= test::kActivationSearchTieRelTolerance,
             qPrintable(QStringLiteral("step %1 (candidate %2) has %3 more error than the composite's best (candidate %4)")
                            .arg(fused.step).arg(chosen - steps.begin()).arg(excess).arg(best - errors.begin())));
}

QTEST_GUILESS_MAIN(TestQuantizers)
#include "tst_quantizers.moc"
