// SPDX-License-Identifier: GPL-3.0-or-later
// MetaAug's building blocks: the U-Net T, the outer-loss terms, the
// plateau scheduler and the hypergradient of the bi-level step.
#include "augment/imagestrip.h"
#include "augment/metalosses.h"
#include "augment/plateauscheduler.h"
#include "augment/unet.h"
#include "methods/metaaug/metaaugfields.h"
#include "methods/metaaug/metastep.h"
#include "quant/weightquantizer.h"

#include "tolerances.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace metaaug;

namespace {

// The hand computation of the three terms, with plain loops on doubles.
using Rows = std::vector<std::vector<double>>;

double handKl(const Rows &teacher, const Rows &student, double tau)
{
    double total = 0;
    for (size_t i = 0; i < teacher.size(); ++i) {
        double zt = 0, zs = 0;
        for (size_t j = 0; j < teacher[i].size(); ++j) {
            zt += std::exp(teacher[i][j] / tau);
            zs += std::exp(student[i][j] / tau);
        }
        for (size_t j = 0; j < teacher[i].size(); ++j) {
            const double p = std::exp(teacher[i][j] / tau) / zt, q = std::exp(student[i][j] / tau) / zs;
            total += p * std::log(p / q);
        }
    }
    return total / double(teacher.size());
}

Rows handSimilarity(const Rows &f)
{
    Rows out(f.size(), std::vector<double>(f.size()));
    for (size_t i = 0; i < f.size(); ++i) {
        double rowSum = 0;
        for (size_t j = 0; j < f.size(); ++j) {
            double dot = 0, ni = 0, nj = 0;
            for (size_t k = 0; k < f[i].size(); ++k) {
                dot += f[i][k] * f[j][k];
                ni += f[i][k] * f[i][k];
                nj += f[j][k] * f[j][k];
            }
            out[i][j] = (dot / std::sqrt(ni * nj) + 1) / 2;
            rowSum += out[i][j];
        }
        for (double &v : out[i])
            v /= rowSum;
    }
    return out;
}

double handPkt(const Rows &student, const Rows &target)
{
    const Rows a = handSimilarity(student), b = handSimilarity(target);
    double total = 0;
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < a.size(); ++j)
            total += b[i][j] * std::log((b[i][j] + 1e-7) / (a[i][j] + 1e-7));
    return total / double(a.size() * a.size());
}

torch::Tensor toTensor(const Rows &r)
{
    torch::Tensor t = torch::empty({int64_t(r.size()), int64_t(r[0].size())}, torch::kDouble);
    for (size_t i = 0; i < r.size(); ++i)
        for (size_t j = 0; j < r[i].size(); ++j)
            t[int64_t(i)][int64_t(j)] = r[i][j];
    return t;
}

// A tiny network around one unit, all in double: prefix conv (the
// "quantized" prefix uses a perturbed copy of its weight), unit conv with a
// real WeightQuantizer (soft AdaRound + learnable step), pooled features,
// linear head.
struct TinyNet {
    torch::Tensor prefixW = torch::randn({2, 1, 3, 3}, torch::kDouble) * 0.5;
    torch::Tensor prefixWq = prefixW + 0.05 * torch::randn({2, 1, 3, 3}, torch::kDouble);
    torch::Tensor unitW = torch::randn({3, 2, 3, 3}, torch::kDouble) * 0.5;
    quant::WeightQuantizer wq{unitW, 3};
    torch::Tensor headW = torch::randn({4, 3}, torch::kDouble);

    TinyNet()
    {
        wq.enableAdaRound();
        wq.setScaleLearnable(true);
    }
    methods::MetaProblem problem()
    {
        methods::MetaProblem p;
        p.fpPrefix = [this](const torch::Tensor &x) { return torch::relu(torch::conv2d(x, prefixW, {}, 1, 1)); };
        p.qPrefix = [this](const torch::Tensor &x) { return torch::relu(torch::conv2d(x, prefixWq, {}, 1, 1)); };
        p.fpUnit = [this](const torch::Tensor &x) { return torch::relu(torch::conv2d(x, unitW, {}, 1, 1)); };
        p.qUnit = [this](const torch::Tensor &x, bool) {
            return torch::relu(torch::conv2d(x, wq.quantized(quant::Rounding::Soft), {}, 1, 1));
        };
        p.fpSuffix = [this](const torch::Tensor &y) { return y.mean({2, 3}).mm(headW.t()); };
        p.fpFeatures = [p](const torch::Tensor &x) { return p.fpUnit(p.fpPrefix(x)).mean({2, 3}); };
        p.roundingLoss = [this](double beta) { return wq.roundingRegularizer(beta); };
        p.roundingWeight = 0.01;
        p.qdropProb = 0;  // deterministic: the loss is a function of T alone
        p.theta = {{{&wq.roundingLogits()}, 1e-3}, {{&wq.scaleParameter()}, 1e-4}};
        return p;
    }
};

}  // namespace

class TestMetaAug : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { torch::manual_seed(7); }
    void autoDepth();
    void identityAtStart_data();
    void identityAtStart();
    void plainOutputIsNotIdentity();
    void boundedTStaysAnImage();
    void boundOptionsRecorded();
    void klAgainstHand();
    void marginAgainstHand();
    void pktAgainstHand();
    void mixupShared();
    void plateauScheduler();
    void imageStripLayout();
    void options();
    void optionTableMatchesDefaults();
    void hypergradientMatchesFiniteDifferences_data();
    void hypergradientMatchesFiniteDifferences();
    void adamFirstStepIsSignStep();
};

void TestMetaAug::autoDepth()
{
    QCOMPARE(augment::autoDepth(28, 28), 3);
    QCOMPARE(augment::autoDepth(224, 224), 4);
    QCOMPARE(augment::autoDepth(32, 32), 3);
    QCOMPARE(augment::autoDepth(6, 6), 1);
    QCOMPARE(augment::autoDepth(5, 5), 0);
}

void TestMetaAug::identityAtStart_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("size");
    QTest::newRow("1ch 28") << 1 << 28;
    QTest::newRow("3ch 28") << 3 << 28;
    QTest::newRow("1ch 224") << 1 << 224;
    QTest::newRow("3ch 224") << 3 << 224;
}

void TestMetaAug::identityAtStart()
{
    QFETCH(int, channels);
    QFETCH(int, size);
    augment::UNetOptions o;
    o.channels = channels;
    augment::UNet t(o, size, size);
    const torch::Tensor x = torch::randn({2, channels, size, size});
    for (bool train : {true, false}) {
        t->train(train);
        const torch::Tensor y = t->forward(x);
        QCOMPARE(y.sizes().vec(), x.sizes().vec());
        QVERIFY2(torch::equal(y, x), "T(x) must equal x bit for bit before training");
    }
    // One optimiser step on a loss moves T away from the identity.
    torch::optim::Adam adam(t->parameters(), torch::optim::AdamOptions(1e-2));
    t->train();
    (t->forward(x) - 1.0).pow(2).mean().backward();
    adam.step();
    QVERIFY(!torch::equal(t->forward(x), x));
}

void TestMetaAug::plainOutputIsNotIdentity()
{
    augment::UNetOptions o;
    o.residual = false;
    augment::UNet t(o, 28, 28);
    const torch::Tensor x = torch::randn({2, 1, 28, 28});
    QCOMPARE(t->forward(x).sizes().vec(), x.sizes().vec());
    QVERIFY(!torch::allclose(t->forward(x), x));
}

// T pushed hard out of the image (a last layer of huge random weights):
// t_bound keeps T(x) in the valid range per channel, t_linf keeps every
// pixel's change within its budget, t_resolution makes a change that is
// constant over r x r blocks before upsampling (smooth: no single pixel
// stands out); and each is the identity where T's change is zero, also at
// the range's edge (Fashion-MNIST's background sits on the lower bound).
void TestMetaAug::boundedTStaysAnImage()
{
    const std::vector<double> mean{0.2860}, sd{0.3530};
    const double low = (0 - mean[0]) / sd[0], high = (1 - mean[0]) / sd[0];
    torch::Tensor x = torch::rand({4, 1, 28, 28}) * (high - low) + low;
    x.index_put_({torch::indexing::Slice(), 0, 0}, low);  // a background row exactly at the bound
    auto make = [&](bool bounded, double linf, int resolution) {
        augment::UNetOptions o;
        o.bounded = bounded;
        o.linf = linf;
        o.resolution = resolution;
        augment::UNet t(o, 28, 28);
        t->setValidRange({low}, {high}, sd);
        return t;
    };
    for (bool train : {true, false}) {  // identity at the start, bounds on
        augment::UNet t = make(true, 0.05, 1);
        t->train(train);
        QVERIFY2(torch::equal(t->forward(x), x), "a bounded T with no change is the identity, bit for bit");
    }
    augment::UNet wild = make(false, 0, 1), bounded = make(true, 0, 1), budget = make(false, 0.05, 1), both = make(true, 0.05, 1);
    torch::manual_seed(3);
    for (augment::UNet *t : {&wild, &bounded, &budget, &both})
        (*t)->randomizeOutput(5.0);
    torch::NoGradGuard ng;
    const torch::Tensor w = wild->forward(x);
    QVERIFY2(w.min().item<double>() < low - 1 || w.max().item<double>() > high + 1, "the test pushes T out of the range");
    for (augment::UNet *t : {&bounded, &both}) {
        const torch::Tensor y = (*t)->forward(x);
        QVERIFY(y.min().item<float>() >= float(low) && y.max().item<float>() <= float(high));  // the bounds as T holds them
    }
    for (augment::UNet *t : {&budget, &both}) {
        const double change = ((*t)->forward(x) - x).abs().max().item<double>();
        QVERIFY2(change <= 0.05 / sd[0] + 1e-6, qPrintable(QString::number(change)));
        QVERIFY(change > 0.05 / sd[0] * 0.5);  // and it is used
    }
    // Low frequency: the change of a T at 1/4 resolution varies less from pixel to pixel.
    augment::UNet coarse = make(false, 0, 4);
    coarse->randomizeOutput(5.0);
    auto roughness = [&](augment::UNet &t) {
        const torch::Tensor d = t->forward(x) - x;
        return (d.slice(3, 1) - d.slice(3, 0, -1)).abs().mean().item<double>() / d.abs().mean().item<double>();
    };
    QVERIFY2(roughness(coarse) < 0.5 * roughness(wild), qPrintable(QStringLiteral("%1 vs %2").arg(roughness(coarse)).arg(roughness(wild))));
    QCOMPARE(coarse->forward(x).sizes().vec(), x.sizes().vec());
}

void TestMetaAug::boundOptionsRecorded()
{
    auto o = methods::MetaAugOptions::fromJson({{"t_bound", "range"}, {"t_linf", 0.1}, {"t_resolution", 4}, {"t_tv", 2.5}});
    QVERIFY(o);
    QVERIFY(o->unet.bounded && o->unet.linf == 0.1 && o->unet.resolution == 4 && o->tvWeight == 2.5);
    const QJsonObject j = o->toJson();
    QCOMPARE(j.value("t_bound").toString(), QStringLiteral("range"));
    auto back = methods::MetaAugOptions::fromJson(j);
    QVERIFY(back && back->toJson() == j);
    auto d = methods::MetaAugOptions::fromJson({});
    QVERIFY(d && !d->unet.bounded && d->unet.linf == 0 && d->unet.resolution == 1 && d->tvWeight == 0);  // today's T by default
    auto plain = methods::MetaAugOptions::fromJson({{"t_output", "plain"}, {"t_bound", "range"}});
    QVERIFY(!plain && plain.error().message.contains("t_bound"));
    QVERIFY(!methods::MetaAugOptions::fromJson({{"t_resolution", 0}}));
    QVERIFY(!methods::MetaAugOptions::fromJson({{"t_linf", -0.1}}));
}

void TestMetaAug::klAgainstHand()
{
    const Rows teacher{{1.0, 2.0, 0.5, -1.0}, {0.0, 0.0, 3.0, 1.0}, {-2.0, 1.0, 1.0, 0.0}};
    const Rows student{{0.5, 2.5, 0.0, -1.0}, {1.0, 0.0, 2.0, 1.0}, {-1.0, 1.0, 0.0, 0.5}};
    for (double tau : {1.0, 4.0}) {
        const double got = augment::distillationKl(toTensor(teacher), toTensor(student), tau).item<double>();
        QVERIFY2(std::abs(got - handKl(teacher, student, tau)) < test::kMetaLossAbsTolerance, qPrintable(QString::number(got)));
    }
    QCOMPARE(augment::distillationKl(toTensor(teacher), toTensor(teacher), 4.0).item<double>(), 0.0);
}

void TestMetaAug::marginAgainstHand()
{
    const torch::Tensor x = torch::zeros({3, 4}, torch::kDouble);
    // mean((x' - x)^2) = 0.04: inside eps = 0.1 the loss is 0.06, beyond it zero.
    QVERIFY(std::abs(augment::marginLoss(x + 0.2, x, 0.1).item<double>() - 0.06) < test::kMetaLossAbsTolerance);
    QCOMPARE(augment::marginLoss(x + 0.5, x, 0.1).item<double>(), 0.0);
}

void TestMetaAug::pktAgainstHand()
{
    const Rows a{{1.0, 0.0, 2.0, -1.0}, {0.5, 1.0, 0.0, 0.0}, {-1.0, 2.0, 1.0, 3.0}};
    const Rows b{{1.0, 1.0, 0.0, 0.0}, {0.0, 1.0, 2.0, 1.0}, {2.0, -1.0, 0.5, 1.0}};
    const double got = augment::pktLoss(toTensor(a), toTensor(b)).item<double>();
    QVERIFY2(std::abs(got - handPkt(a, b)) < test::kMetaLossAbsTolerance, qPrintable(QString::number(got)));
    QVERIFY(got > 0);
    QVERIFY(std::abs(augment::pktLoss(toTensor(a), toTensor(a)).item<double>()) < test::kMetaLossAbsTolerance);
}

void TestMetaAug::mixupShared()
{
    torch::manual_seed(3);
    for (int i = 0; i < 20; ++i) {
        const augment::MixupDraw d = augment::drawMixup(8);
        QVERIFY(d.lambda >= 0.5 && d.lambda <= 1.0);
        QVERIFY(torch::equal(std::get<0>(d.permutation.sort()), torch::arange(8)));
    }
    const torch::Tensor x = torch::arange(4, torch::kDouble).view({4, 1});
    augment::MixupDraw d;
    d.lambda = 0.75;
    d.permutation = torch::tensor({1, 0, 3, 2}, torch::kLong);
    QVERIFY(torch::equal(augment::mixup(x, d), torch::tensor({0.25, 0.75, 2.25, 2.75}, torch::kDouble).view({4, 1})));
}

void TestMetaAug::plateauScheduler()
{
    torch::Tensor w = torch::zeros({1}, torch::requires_grad());
    torch::optim::Adam adam({w}, torch::optim::AdamOptions(1.0));
    augment::PlateauScheduler s(adam, 2, 0.5);
    s.step(1.0);        // best
    s.step(1.0);        // 1 bad
    s.step(1.0);        // 2 bad
    QCOMPARE(s.lr(), 1.0);
    s.step(1.0);        // 3 bad > patience: halve
    QCOMPARE(s.lr(), 0.5);
    s.step(0.5);        // improvement resets
    s.step(0.5);
    s.step(0.5);
    QCOMPARE(s.lr(), 0.5);
}

void TestMetaAug::imageStripLayout()
{
    const torch::Tensor gray = torch::linspace(0, 1, 2 * 3 * 4).view({2, 1, 3, 4});
    const cv::Mat g = augment::imageStrip(gray, 0, 1);
    QCOMPARE(g.rows, 3);
    QCOMPARE(g.cols, 8);
    QCOMPARE(g.type(), CV_8UC1);
    QCOMPARE(int(g.at<uint8_t>(0, 0)), 0);
    QCOMPARE(int(g.at<uint8_t>(2, 7)), 255);          // last pixel of the second image
    QCOMPARE(int(g.at<uint8_t>(0, 4)), int(std::lround(12.0 / 23 * 255)));  // first pixel of the second image
    torch::Tensor rgb = torch::zeros({1, 3, 2, 2});
    rgb.select(1, 0).fill_(1.0);  // pure red
    const cv::Mat c = augment::imageStrip(rgb, 0, 1);
    QCOMPARE(c.type(), CV_8UC3);
    QCOMPARE(c.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 255));  // BGR
}

void TestMetaAug::options()
{
    auto d = methods::MetaAugOptions::fromJson({});
    QVERIFY(d);
    QCOMPARE(d->alpha, 5.0);
    QCOMPARE(d->beta, 50.0);
    QCOMPARE(d->gamma, 3000.0);
    QCOMPARE(d->tau, 4.0);
    QCOMPARE(d->tLr, 1e-4);
    QCOMPARE(d->plateauPatience, 100);
    QVERIFY(d->inner == methods::InnerStep::Sgd && d->mixup == methods::MixupMode::Shared && d->unet.residual);
    QVERIFY(d->tInit == methods::TInit::Warmup && !d->tFrozen && d->augment == methods::Augment::Transform);
    auto round = methods::MetaAugOptions::fromJson(d->toJson());
    QVERIFY(round && round->toJson() == d->toJson());
    auto adam = methods::MetaAugOptions::fromJson({{"inner", "adam"}, {"meta_iters", 7}, {"t_output", "plain"}, {"t_init", "file:/x/t.maugt"}});
    QVERIFY(adam && adam->inner == methods::InnerStep::Adam && adam->metaIterations == 7 && !adam->unet.residual);
    QVERIFY(adam->tInit == methods::TInit::File && adam->tInitPath == QStringLiteral("/x/t.maugt"));
    QCOMPARE(adam->toJson().value("t_init").toString(), QStringLiteral("file:/x/t.maugt"));
    for (const QJsonObject &bad : {QJsonObject{{"inner", "rmsprop"}}, QJsonObject{{"meta_iters", -1}},
                                   QJsonObject{{"meta_iters", 2.5}}, QJsonObject{{"t_lr", "fast"}}, QJsonObject{{"gama", 1}}}) {
        auto r = methods::MetaAugOptions::fromJson(bad);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(bad.keys().first()), qPrintable(r.error().message));
    }
}

// The CLI's flags, the GUI's form and the schema come from metaAugFields():
// it must describe every key MetaAugOptions reads, with MetaAugOptions'
// defaults; each field's own range is tested in tests/core/run/tst_specfields.
void TestMetaAug::optionTableMatchesDefaults()
{
    const QJsonObject defaults = methods::MetaAugOptions{}.toJson();
    const FieldTable &table = methods::metaAugFields();
    QCOMPARE(int(table.size()), int(defaults.size()));
    for (const Field &f : table) {
        QVERIFY2(defaults.contains(f.key), qPrintable(f.key));
        QCOMPARE(f.defaultValue, defaults.value(f.key));
        QVERIFY2(f.describe().contains("default"), qPrintable(f.key));
        // Through the table's check and MetaAugOptions' reading, a value round-trips.
        auto o = methods::MetaAugOptions::fromJson({{f.key, f.defaultValue}});
        QVERIFY2(o, qPrintable(f.key));
        QCOMPARE(o->toJson().value(f.key), f.defaultValue);
    }
}

void TestMetaAug::hypergradientMatchesFiniteDifferences_data()
{
    QTest::addColumn<double>("alpha");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("gamma");
    QTest::newRow("KL only (through theta')") << 5.0 << 0.0 << 0.0;
    QTest::newRow("all terms") << 5.0 << 0.5 << 1.0;
    QTest::newRow("margin") << 0.0 << 0.5 << 0.0;
    QTest::newRow("pkt") << 0.0 << 0.0 << 1.0;
}

void TestMetaAug::hypergradientMatchesFiniteDifferences()
{
    QFETCH(double, alpha);
    QFETCH(double, beta);
    QFETCH(double, gamma);
    torch::manual_seed(11);
    TinyNet net;
    methods::MetaProblem p = net.problem();
    methods::MetaAugOptions o;
    o.inner = methods::InnerStep::Sgd;
    o.innerLr = 0.5;
    o.alpha = alpha;
    o.beta = beta;
    o.gamma = gamma;
    o.eps = 1.0;  // margin active
    augment::UNetOptions u;
    u.width = 2;
    u.depth = 1;
    augment::UNet t(u, 6, 6);
    t->to(torch::kDouble);
    {
        torch::NoGradGuard ng;  // leave the identity start so every weight gets a gradient
        for (auto &w : t->parameters())
            w.add_(0.3 * torch::randn_like(w));
    }
    t->train();
    methods::MetaBatch batch;
    batch.images = torch::randn({4, 1, 6, 6}, torch::kDouble);
    const torch::Tensor xv = torch::randn({5, 1, 6, 6}, torch::kDouble);
    batch.outerInput = p.qPrefix(xv);
    batch.outerTeacher = p.fpSuffix(p.fpUnit(p.fpPrefix(xv)));
    batch.roundingBeta = 10.0;
    batch.mixTransformed = batch.mixOriginal = augment::MixupDraw{0.7, torch::tensor({2, 0, 3, 1}, torch::kLong)};

    // The spec's inner target carries no gradient; the finite differences
    // must see it held at its value for the unperturbed T.
    torch::Tensor target;
    bool freezeTarget = false;
    p.fpUnit = [&target, &freezeTarget, unit = p.fpUnit](const torch::Tensor &x) {
        if (!freezeTarget)
            target = unit(x);
        return target;
    };
    const std::vector<torch::Tensor> params = t->parameters();
    const methods::MetaTerms terms = methods::metaOuterLoss(p, t, o, batch);
    const auto grads = torch::autograd::grad({terms.outer}, params, {}, false, false, true);
    // theta is untouched by the step
    QVERIFY(net.wq.roundingLogits().is_leaf() && net.wq.scaleParameter().is_leaf());

    freezeTarget = true;
    auto lossAt = [&]() {
        torch::NoGradGuard ng;  // the inner gradient needs autograd: re-enable locally
        torch::AutoGradMode on(true);
        return methods::metaOuterLoss(p, t, o, batch).outer.item<double>();
    };
    for (int dir = 0; dir < 3; ++dir) {
        std::vector<torch::Tensor> d;
        double analytic = 0;
        for (size_t i = 0; i < params.size(); ++i) {
            d.push_back(torch::randn_like(params[i]));
            if (grads[i].defined())
                analytic += (grads[i] * d.back()).sum().item<double>();
        }
        auto shift = [&](double h) {
            torch::NoGradGuard ng;
            for (size_t i = 0; i < params.size(); ++i)
                params[i].add_(h * d[i]);
        };
        const double h = test::kFiniteDifferenceStep;
        shift(h);
        const double up = lossAt();
        shift(-2 * h);
        const double down = lossAt();
        shift(h);
        const double numeric = (up - down) / (2 * h);
        const double rel = std::abs(analytic - numeric) / std::max({std::abs(analytic), std::abs(numeric), 1e-12});
        QVERIFY2(std::abs(analytic) > 1e-8, "the hypergradient must not vanish");
        QVERIFY2(rel < test::kHypergradientRelTolerance,
                 qPrintable(QStringLiteral("direction %1: autograd %2, finite differences %3, relative error %4")
                                .arg(dir).arg(analytic, 0, 'g', 12).arg(numeric, 0, 'g', 12).arg(rel)));
    }
}

void TestMetaAug::adamFirstStepIsSignStep()
{
    // Adam's first step from a fresh state is lr * g / (|g| + 1e-8).
    torch::Tensor theta = torch::tensor({1.0, -2.0, 0.5}, torch::dtype(torch::kDouble).requires_grad(true));
    const torch::Tensor loss = (theta * torch::tensor({3.0, -1e-3, 0.0}, torch::kDouble)).sum();
    methods::MetaAugOptions o;
    o.inner = methods::InnerStep::Adam;
    const auto updated = methods::innerUpdate(loss, {{{&theta}, 0.1}}, o);
    const torch::Tensor expected = torch::tensor({1.0 - 0.1 * 3 / (3 + 1e-8), -2.0 + 0.1 * 1e-3 / (1e-3 + 1e-8), 0.5},
                                                 torch::kDouble);
    QVERIFY(torch::allclose(updated[0][0], expected, 0, 1e-12));
    o.inner = methods::InnerStep::Sgd;
    o.innerLr = 0.2;  // the first group's lr becomes 0.2
    const auto sgd = methods::innerUpdate(loss, {{{&theta}, 0.1}}, o);
    QVERIFY(torch::allclose(sgd[0][0], torch::tensor({1.0 - 0.6, -2.0 + 0.2e-3, 0.5}, torch::kDouble), 0, 1e-12));
}

QTEST_GUILESS_MAIN(TestMetaAug)
#include "tst_metaaug.moc"
