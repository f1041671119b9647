// SPDX-License-Identifier: GPL-3.0-or-later
// Memory follows the work, not the data source: the built-in data opened at
// 3x224x224 (60 000 images, 9 GB were it prepared whole) for a preview, a
// calibration sample and a streamed evaluation. Coarse bounds on the growth
// of peak RSS, not benchmarks.
#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "eval/accuracy.h"
#include "model/datasummary.h"

#include "tolerances.h"

#include <QtCore/QFile>
#include <QtTest/QtTest>

using namespace metaaug;

namespace {

// A field of /proc/self/status in bytes (its values are kB); -1 if absent.
int64_t statusBytes(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').front().toLongLong() * 1024;
    return -1;
}

// Resets VmHWM (peak RSS) to the current RSS; returns that RSS, -1 on failure.
int64_t resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (!f.open(QIODevice::WriteOnly) || f.write("5") != 1)
        return -1;
    f.close();
    return statusBytes("VmRSS");
}

PreprocessSpec imagenet224()
{
    PreprocessSpec s;
    s.channels = 3;
    s.resize = 256;
    s.height = s.width = 224;
    s.mean = {0.485, 0.456, 0.406};
    s.std = {0.229, 0.224, 0.225};
    return s;
}

}  // namespace

class TestDataMemory : public QObject {
    Q_OBJECT
private slots:
    void init();
    void previewReadsOneImage();
    void calibrationSampleReadsItsImages();
    void evaluationStreamsInBatches();

private:
    int64_t m_before = -1;
    // Peak RSS growth since init(), checked against the bound.
    void checkGrowth(const char *what);
};

void TestDataMemory::init()
{
    m_before = resetPeak();
    if (m_before < 0)
        QSKIP("this kernel does not let a process reset its peak RSS (/proc/self/clear_refs)");
}

void TestDataMemory::checkGrowth(const char *what)
{
    const int64_t growth = statusBytes("VmHWM") - m_before;
    qInfo("%s: peak RSS grew by %.1f MiB", what, double(growth) / (1 << 20));
    QVERIFY2(growth < test::kDataMemoryMaxGrowthBytes,
             qPrintable(QStringLiteral("%1 grew peak RSS by %2 MiB").arg(what).arg(growth >> 20)));
}

void TestDataMemory::previewReadsOneImage()
{
    // The card dialog's preview of a card-less 224x224 model.
    auto s = summarizeData(QStringLiteral("fashion-mnist:train"), imagenet224(), 1);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->count, 60000);
    QCOMPARE(int(s->samples.size()), 1);
    QCOMPARE(s->samples[0].rows, 224);
    QCOMPARE(s->samples[0].cols, 224);
    QCOMPARE(s->samples[0].channels(), 3);
    checkGrowth("preview of one image");
}

void TestDataMemory::calibrationSampleReadsItsImages()
{
    auto data = openDataSource(QStringLiteral("fashion-mnist:train"), imagenet224());
    QVERIFY(data);
    auto sel = selectCalibration(*data, 64, 0);
    QVERIFY(sel);
    auto x = data->input(sel->indexTensor());
    QVERIFY2(x, qPrintable(x ? QString() : x.error().message));
    QCOMPARE(x->sizes().vec(), (std::vector<int64_t>{64, 3, 224, 224}));
    // Gray images: the three channels carry the same 8-bit value.
    const torch::Tensor u8 = (*x * torch::tensor({0.229, 0.224, 0.225}).view({1, 3, 1, 1}) +
                              torch::tensor({0.485, 0.456, 0.406}).view({1, 3, 1, 1})) * 255;
    QVERIFY(torch::allclose(u8[0][0], u8[0][2], 0, 1e-2));
    checkGrowth("64-image calibration sample");
}

void TestDataMemory::evaluationStreamsInBatches()
{
    auto data = openDataSource(QStringLiteral("fashion-mnist:train"), imagenet224());
    QVERIFY(data);
    constexpr int64_t n = 2048;
    int64_t seen = 0;
    // Constant logits: every prediction is class 0, so top-1 is the share of
    // class 0 among the first n labels.
    auto forward = [&seen](const torch::Tensor &x) -> Result<torch::Tensor> {
        if (x.dim() != 4 || x.size(1) != 3 || x.size(2) != 224 || x.size(3) != 224)
            return makeError(ErrorCode::Internal, QStringLiteral("unexpected input shape"));
        seen += x.size(0);
        return torch::zeros({x.size(0), 10});
    };
    AccuracyOptions o;
    o.limit = n;
    o.batch = 256;
    auto acc = evaluateTop1(forward, *data, o);
    QVERIFY2(acc, qPrintable(acc ? QString() : acc.error().message));
    QCOMPARE(acc->n, n);
    QCOMPARE(seen, n);
    const int64_t zeros = (data->labels.slice(0, 0, n) == 0).sum().item<int64_t>();
    QCOMPARE(acc->correct, zeros);
    checkGrowth("evaluation over 2048 images");
}

QTEST_GUILESS_MAIN(TestDataMemory)
#include "tst_datamemory.moc"
