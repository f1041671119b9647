// SPDX-License-Identifier: GPL-3.0-or-later
// MetaAug's T outside a run: the warm-up reaches eps from either side, the
// T file round-trips bit for bit and refuses a T of another shape or a
// damaged one, the random control keeps its MSE budget, and the difference
// map's colour scale is symmetric.
#include "augment/differencemap.h"
#include "augment/randomaugment.h"
#include "augment/transformfile.h"
#include "augment/warmup.h"

#include "tolerances.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace metaaug;

namespace {

// Smooth images in [-1, 1]-ish, like normalised calibration images.
torch::Tensor images(int64_t n, int64_t c = 1, int64_t side = 28)
{
    torch::manual_seed(7);
    const torch::Tensor coarse = torch::randn({n, c, side / 4, side / 4});
    return torch::upsample_bilinear2d(coarse, {side, side}, false);
}

augment::UNet makeT(bool residual, int width = 8)
{
    augment::UNetOptions o;
    o.width = width;
    o.residual = residual;
    return augment::UNet(o, 28, 28);
}

augment::TransformShape shapeOf(augment::UNet &t, bool residual, int width = 8)
{
    augment::TransformShape s;
    s.channels = 1;
    s.height = s.width = 28;
    s.unet.width = width;
    s.unet.depth = t->depth();
    s.unet.residual = residual;
    return s;
}

}  // namespace

class TestTransform : public QObject {
    Q_OBJECT
private slots:
    void warmupReachesEps_data();
    void warmupReachesEps();
    void identityHasNoGradient();
    void fileRoundTripsBitForBit();
    void fileRefusesOtherShape();
    void fileRefusesDamage();
    void randomAugmentKeepsBudget();
    void differenceMapIsSymmetric();
};

void TestTransform::warmupReachesEps_data()
{
    QTest::addColumn<bool>("residual");
    QTest::newRow("residual, small random last layer (starts below eps)") << true;
    QTest::newRow("plain, random init (starts above eps)") << false;
}

void TestTransform::warmupReachesEps()
{
    QFETCH(bool, residual);
    torch::manual_seed(1);
    augment::UNet t = makeT(residual);
    if (residual)
        t->randomizeOutput(1e-2);
    const torch::Tensor x = images(128);
    augment::WarmupOptions o;
    o.eps = 0.1;
    o.gamma = 0;  // margin only: no features needed
    o.maxSteps = 400;
    bool aborted = false;
    const augment::WarmupReport r = augment::warmUpTransform(t, x, o, {}, &aborted);
    QVERIFY(!aborted);
    QVERIFY2(r.reached, qPrintable(QStringLiteral("MSE %1 -> %2 in %3 steps").arg(r.startMse).arg(r.finalMse).arg(r.steps)));
    QVERIFY(std::abs(r.finalMse - o.eps) <= test::kWarmupEpsShare * o.eps);
    // It started outside the band, on the side the output form implies.
    QVERIFY(residual ? r.startMse < 0.75 * o.eps : std::abs(r.startMse - o.eps) > test::kWarmupEpsShare * o.eps);
    QVERIFY(r.steps > 0 && r.steps < o.maxSteps);
    // The figure is the eval-mode MSE over the probe images.
    QCOMPARE(augment::transformMse(t, x.slice(0, 0, 64)), r.finalMse);
}

// Why the warm-up exists: at the exact identity the margin has no gradient.
void TestTransform::identityHasNoGradient()
{
    augment::UNet t = makeT(true);
    const torch::Tensor x = images(8);
    const torch::Tensor xt = t->forward(x);
    QCOMPARE((xt - x).abs().max().item<double>(), 0.0);
    const torch::Tensor mse = (xt - x).pow(2).mean();
    ((mse - 0.1).abs()).backward();
    double norm = 0;
    for (const auto &p : t->parameters())
        if (p.grad().defined())
            norm += p.grad().pow(2).sum().item<double>();
    QCOMPARE(norm, 0.0);
}

void TestTransform::fileRoundTripsBitForBit()
{
    torch::manual_seed(3);
    augment::UNet a = makeT(true);
    a->randomizeOutput(0.05);
    a->train();
    a->forward(images(16));  // moves the BatchNorm running statistics away from their init
    a->eval();
    const augment::TransformShape shape = shapeOf(a, true);
    QString hash;
    const QByteArray bytes = augment::writeTransform(a, shape, &hash);
    QCOMPARE(hash.size(), 64);
    torch::manual_seed(99);
    augment::UNet b = makeT(true);
    QVERIFY(augment::readTransform(bytes, QStringLiteral("t.maugt"), b, shape));
    const auto pa = a->named_parameters(), pb = b->named_parameters();
    for (const auto &p : pa)
        QVERIFY2(torch::equal(p.value(), pb[p.key()]), p.key().c_str());
    const auto ba = a->named_buffers(), bb = b->named_buffers();
    for (const auto &p : ba)
        QVERIFY2(torch::equal(p.value(), bb[p.key()]), p.key().c_str());
    b->eval();
    const torch::Tensor x = images(4);
    QVERIFY(torch::equal(a->forward(x), b->forward(x)));
    QCOMPARE(augment::writeTransform(b, shape), bytes);
    auto peek = augment::peekTransformShape(bytes, QStringLiteral("t.maugt"));
    QVERIFY(peek && *peek == shape);
}

void TestTransform::fileRefusesOtherShape()
{
    augment::UNet wide = makeT(true, 16);
    const QByteArray bytes = augment::writeTransform(wide, shapeOf(wide, true, 16));
    augment::UNet narrow = makeT(true, 8);
    auto r = augment::readTransform(bytes, QStringLiteral("other.maugt"), narrow, shapeOf(narrow, true, 8));
    QVERIFY(!r);
    const QString m = r.error().message;
    QVERIFY2(m.contains("other.maugt") && m.contains("width 16") && m.contains("width 8"), qPrintable(m));
}

void TestTransform::fileRefusesDamage()
{
    augment::UNet t = makeT(true);
    const augment::TransformShape shape = shapeOf(t, true);
    const QByteArray good = augment::writeTransform(t, shape);
    QByteArray flipped = good;
    flipped[flipped.size() - 3] = char(flipped[flipped.size() - 3] ^ 0x40);
    QByteArray longHeader = good;
    longHeader[8] = char(0xff);
    longHeader[9] = char(0xff);
    longHeader[10] = char(0xff);
    const std::pair<const char *, QByteArray> cases[] = {
        {"SHA-256", flipped},
        {"header length", longHeader},
        {"signature", QByteArray("PK\x03\x04 a zip, not ours")},
        {"ends inside", good.left(good.size() - 100)},
    };
    for (const auto &[expect, bytes] : cases) {
        augment::UNet target = makeT(true);
        auto r = augment::readTransform(bytes, QStringLiteral("bad.maugt"), target, shape);
        QVERIFY2(!r, expect);
        QVERIFY2(r.error().message.contains("bad.maugt"), qPrintable(r.error().message));
        if (std::strcmp(expect, "ends inside") != 0)
            QVERIFY2(r.error().message.contains(QLatin1String(expect)), qPrintable(r.error().message));
    }
}

void TestTransform::randomAugmentKeepsBudget()
{
    const torch::Tensor x = images(64);
    for (double eps : {0.01, 0.1, 1.0}) {
        augment::RandomAugmentOptions o;
        o.eps = eps;
        o.horizontalFlip = true;
        const torch::Tensor a = augment::randomAugment(x, o, at::detail::createCPUGenerator(5));
        const torch::Tensor perImage = (a - x).pow(2).mean({1, 2, 3});
        QVERIFY2(((perImage - eps).abs() / eps).max().item<double>() <= test::kRandomAugmentBudgetRel, qPrintable(QString::number(eps)));
        // Same generator seed, same copies.
        QVERIFY(torch::equal(a, augment::randomAugment(x, o, at::detail::createCPUGenerator(5))));
    }
}

void TestTransform::differenceMapIsSymmetric()
{
    // Left half brighter by 40 levels, right half darker by 40, middle unchanged.
    cv::Mat a(8, 24, CV_8UC1, cv::Scalar(100)), b = a.clone();
    b.colRange(0, 8).setTo(140);
    b.colRange(16, 24).setTo(60);
    const augment::DifferenceMap d = augment::differenceMap(a, b);
    QCOMPARE(d.scale, 40.0);
    const cv::Vec3b up = d.image.at<cv::Vec3b>(0, 0), down = d.image.at<cv::Vec3b>(0, 20), zero = d.image.at<cv::Vec3b>(0, 12);
    // +40 is full red, -40 full blue: mirror images of each other (BGR).
    QCOMPARE(int(up[2]), 255);
    QCOMPARE(int(down[0]), 255);
    QCOMPARE(int(up[0]), int(down[2]));
    QCOMPARE(int(up[1]), int(down[1]));
    // Zero is white to within the half level the 8-bit index rounds off.
    for (int c = 0; c < 3; ++c)
        QVERIFY(zero[c] >= 253);
    // The colour function itself is symmetric at every value.
    for (double v = 0; v <= 1.0; v += 0.125) {
        const cv::Vec3b p = augment::divergingColour(v), n = augment::divergingColour(-v);
        QCOMPARE(int(p[0]), int(n[2]));
        QCOMPARE(int(p[2]), int(n[0]));
        QCOMPARE(int(p[1]), int(n[1]));
    }
    // One clipped pixel does not set the scale: the 99th percentile does.
    cv::Mat outlier = a.clone();
    outlier.colRange(0, 12).setTo(120);
    outlier.colRange(12, 24).setTo(80);
    outlier.at<uchar>(0, 0) = 255;
    QCOMPARE(augment::differenceMap(a, outlier).scale, 20.0);
    // Identical strips: scale of one level, all white.
    const augment::DifferenceMap same = augment::differenceMap(a, a);
    QCOMPARE(same.scale, 1.0);
}

QTEST_GUILESS_MAIN(TestTransform)
#include "tst_transform.moc"
