// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/fashionmnist.h"
#include "data/idxreader.h"
#include "data/preprocess.h"
#include "common/paths.h"

#include "testutil.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;

class TestIdxReader : public QObject {
    Q_OBJECT
private slots:
    void validFile_data();
    void validFile();
    void truncatedPayload();
    void truncatedHeader();
    void wrongMagic();
    void wrongType();
    void trailingData();
    void countMismatchBetweenFiles();
    void missingFile();
    void realFashionMnist();
    void itemsPreparedWhenRead();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestIdxReader::validFile_data()
{
    QTest::addColumn<bool>("gzip");
    QTest::newRow("gzip") << true;
    QTest::newRow("raw") << false;
}

void TestIdxReader::validFile()
{
    QFETCH(bool, gzip);
    QByteArray payload;
    for (int i = 0; i < 3 * 4 * 5; ++i)
        payload.append(char(i * 3));
    const QString p = path(gzip ? "valid.gz" : "valid.idx");
    const QByteArray bytes = test::idxBytes({3, 4, 5}, payload);
    QVERIFY(gzip ? test::writeGzip(p, bytes) : test::writeFile(p, bytes));
    auto r = readIdx(p);
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->dims, (std::vector<int64_t>{3, 4, 5}));
    QCOMPARE(r->count(), 3);
    QCOMPARE(r->data, payload);
}

void TestIdxReader::truncatedPayload()
{
    const QString p = path("trunc.gz");
    QVERIFY(test::writeGzip(p, test::idxBytes({10, 2, 2}, QByteArray(25, 'x'))));
    auto r = readIdx(p);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::BadFile);
    QVERIFY2(r.error().message.contains(p), qPrintable(r.error().message));
    // header 4 + 3*4 = 16 bytes, then 25 of 40 payload bytes: stops at offset 41
    QVERIFY2(r.error().message.contains("byte offset 41"), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains("40"));
}

void TestIdxReader::truncatedHeader()
{
    const QString p = path("trunchdr.idx");
    QVERIFY(test::writeFile(p, test::idxBytes({10, 2, 2}, {}).left(9)));
    auto r = readIdx(p);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("truncated at byte offset 9"), qPrintable(r.error().message));
}

void TestIdxReader::wrongMagic()
{
    const QString p = path("magic.idx");
    QByteArray b = test::idxBytes({2, 2}, QByteArray(4, 'a'));
    b[0] = char(0x1f);
    b[1] = char(0x00);
    QVERIFY(test::writeFile(p, b));
    auto r = readIdx(p);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("wrong magic number"), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(p));
}

void TestIdxReader::wrongType()
{
    const QString p = path("float.idx");
    QVERIFY(test::writeFile(p, test::idxBytes({2}, QByteArray(8, 'a'), 0x0D)));
    auto r = readIdx(p);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("0x0d"), qPrintable(r.error().message));
}

void TestIdxReader::trailingData()
{
    const QString p = path("long.idx");
    QVERIFY(test::writeFile(p, test::idxBytes({4}, QByteArray(5, 'a'))));
    auto r = readIdx(p);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("byte offset 12"), qPrintable(r.error().message));
}

void TestIdxReader::countMismatchBetweenFiles()
{
    QTemporaryDir dir;
    QVERIFY(test::writeGzip(dir.filePath("t10k-images-idx3-ubyte.gz"), test::idxBytes({3, 28, 28}, QByteArray(3 * 784, 0))));
    QVERIFY(test::writeGzip(dir.filePath("t10k-labels-idx1-ubyte.gz"), test::idxBytes({2}, QByteArray(2, 1))));
    qputenv("METAAUG_FASHION_MNIST_DIR", dir.path().toLocal8Bit());
    auto r = loadFashionMnist("test", PreprocessSpec{});
    qunsetenv("METAAUG_FASHION_MNIST_DIR");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("3 images") && r.error().message.contains("2 labels"), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains("t10k-labels-idx1-ubyte.gz"));
}

void TestIdxReader::missingFile()
{
    auto r = readIdx(path("nope.gz"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY(r.error().message.contains("nope.gz"));
}

void TestIdxReader::realFashionMnist()
{
    auto r = loadFashionMnist("test", PreprocessSpec{});
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->size(), 10000);
    auto all = r->read(torch::arange(10000));
    QVERIFY(all);
    QCOMPARE(all->sizes().vec(), (std::vector<int64_t>{10000, 1, 28, 28}));
    // At the native size an item is the IDX file's bytes.
    auto raw = readIdx(fashionMnistDir() + "/t10k-images-idx3-ubyte.gz");
    QVERIFY(raw);
    QVERIFY(torch::equal(*all, torch::from_blob(raw->data.data(), {10000, 1, 28, 28}, torch::kUInt8)));
    // Fashion-MNIST's test set is balanced: 1000 images per class.
    auto counts = torch::bincount(r->labels);
    QCOMPARE(counts.min().item<int64_t>(), 1000);
    QCOMPARE(counts.max().item<int64_t>(), 1000);
}

void TestIdxReader::itemsPreparedWhenRead()
{
    // 3x56x56: each item read is the raw 28x28 image prepared to that size,
    // whichever order or batch it is read in.
    PreprocessSpec spec;
    spec.channels = 3;
    spec.resize = spec.height = spec.width = 56;
    spec.mean = {0.5};
    spec.std = {0.5};
    auto r = loadFashionMnist("test", spec);
    QVERIFY(r.ok());
    auto raw = readIdx(fashionMnistDir() + "/t10k-images-idx3-ubyte.gz");
    QVERIFY(raw);
    const std::vector<int64_t> picks{9999, 17, 0, 17};
    auto batch = r->read(torch::tensor(picks, torch::kLong));
    QVERIFY(batch);
    QCOMPARE(batch->sizes().vec(), (std::vector<int64_t>{4, 3, 56, 56}));
    for (size_t k = 0; k < picks.size(); ++k) {
        const cv::Mat src(28, 28, CV_8UC1, raw->data.data() + picks[k] * 784);
        const cv::Mat want = prepareImage(src, spec);
        const torch::Tensor t = torch::from_blob(want.data, {56, 56, 3}, torch::kUInt8).permute({2, 0, 1});
        QVERIFY(torch::equal(batch->select(0, int64_t(k)), t));
        auto one = r->image(picks[k]);
        QVERIFY(one);
        QCOMPARE(cv::norm(*one, want, cv::NORM_INF), 0.0);
    }
    auto x = r->input(torch::tensor(picks, torch::kLong));
    QVERIFY(x);
    QVERIFY(torch::allclose(*x, normalizeBatch(*batch, spec)));
    QVERIFY(!r->read(torch::tensor({int64_t(10000)})));  // out of range, as a value
}

QTEST_GUILESS_MAIN(TestIdxReader)
#include "tst_idxreader.moc"
