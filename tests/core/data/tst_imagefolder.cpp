// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "data/imagefolder.h"
#include "data/imageheader.h"
#include "eval/accuracy.h"

#include "testutil.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>

using namespace metaaug;

namespace {
QByteArray encode(const cv::Mat &img, const std::string &ext)
{
    std::vector<uchar> buf;
    cv::imencode(ext, img, buf);
    return QByteArray(reinterpret_cast<const char *>(buf.data()), int(buf.size()));
}

cv::Mat grayImage(int rows, int cols, int value)
{
    return cv::Mat(rows, cols, CV_8UC1, cv::Scalar(value));
}

// Every item read at once, uint8 [N, C, H, W] (an undefined tensor on error).
torch::Tensor readAll(const ImageDataset &data)
{
    auto t = data.read(torch::arange(data.size()));
    return t ? *t : torch::Tensor();
}
}  // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
private slots:
    void flatFolderWithBadFiles();
    void nestedClasses();
    void colourToGrayAndResize();
    void grayToColour();
    void emptyFolder();
    void onlyCorruptFiles();
    void missingFolder();
    void decodedWhenRead();
    void fileChangedAfterOpen();
    void fileVanishedAfterOpen();
    void sameFolderSameHash();
    void evaluationNamesAVanishedFile();
    void dataSourceStrings_data();
    void dataSourceStrings();
};

void TestImageFolder::flatFolderWithBadFiles()
{
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.filePath("a.png"), encode(grayImage(28, 28, 10), ".png")));
    QVERIFY(test::writeFile(dir.filePath("b.bmp"), encode(grayImage(28, 28, 20), ".bmp")));
    QVERIFY(test::writeFile(dir.filePath("c.jpg"), encode(grayImage(28, 28, 200), ".jpg")));
    QVERIFY(test::writeFile(dir.filePath("corrupt.png"), QByteArray("\x89PNG\r\n\x1a\n garbage", 17)));
    QVERIFY(test::writeFile(dir.filePath("notes.txt"), "not an image"));
    QVERIFY(test::writeFile(dir.filePath("empty.png"), {}));

    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->size(), 3);
    QCOMPARE(int(r->skipped.size()), 3);
    QVERIFY(!r->labelled());
    QCOMPARE(r->labels[0].item<int64_t>(), -1);
    // Sorted order: a.png, b.bmp, c.jpg
    const torch::Tensor all = readAll(*r);
    QCOMPARE(all[0].max().item<int>(), 10);
    QCOMPARE(all[1].max().item<int>(), 20);
    QVERIFY(r->itemIds[0].startsWith("a.png:"));
    QStringList skippedNames;
    for (const SkippedFile &s : r->skipped)
        skippedNames << QFileInfo(s.path).fileName();
    skippedNames.sort();
    QCOMPARE(skippedNames, (QStringList{"corrupt.png", "empty.png", "notes.txt"}));
}

void TestImageFolder::nestedClasses()
{
    QTemporaryDir dir;
    // Classes by sorted folder name: "bag" = 0, "coat" = 1; files nested deeper still count.
    QVERIFY(test::writeFile(dir.filePath("coat/x.png"), encode(grayImage(28, 28, 1), ".png")));
    QVERIFY(test::writeFile(dir.filePath("coat/deeper/y.png"), encode(grayImage(28, 28, 2), ".png")));
    QVERIFY(test::writeFile(dir.filePath("bag/z.webp"), encode(grayImage(28, 28, 3), ".webp")));
    QVERIFY(test::writeFile(dir.filePath("bag/broken.jpg"), "xx"));
    QVERIFY(test::writeFile(dir.filePath("README.txt"), "loose file"));

    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->classNames, (QStringList{"bag", "coat"}));
    QCOMPARE(r->size(), 3);
    QCOMPARE(int(r->skipped.size()), 2);
    QVERIFY(r->labelled());
    QCOMPARE(r->labels[0].item<int64_t>(), 0);
    QCOMPARE(r->labels[1].item<int64_t>(), 1);
    QCOMPARE(r->labels[2].item<int64_t>(), 1);
}

void TestImageFolder::colourToGrayAndResize()
{
    QTemporaryDir dir;
    // 56x84 BGR image, pure blue: resized so the shorter side is 28, centre crop 28x28.
    cv::Mat img(56, 84, CV_8UC3, cv::Scalar(255, 0, 0));
    QVERIFY(test::writeFile(dir.filePath("blue.png"), encode(img, ".png")));
    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY(r.ok());
    const torch::Tensor all = readAll(*r);
    QCOMPARE(all.sizes().vec(), (std::vector<int64_t>{1, 1, 28, 28}));
    // OpenCV's gray of pure blue: 0.114 * 255 = 29
    QCOMPARE(all.min().item<int>(), 29);
    QCOMPARE(all.max().item<int>(), 29);
}

void TestImageFolder::grayToColour()
{
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.filePath("g.png"), encode(grayImage(30, 30, 77), ".png")));
    PreprocessSpec spec;
    spec.channels = 3;
    spec.mean = {0.5, 0.5, 0.5};
    spec.std = {0.25, 0.25, 0.25};
    auto r = loadImageFolder(dir.path(), spec);
    QVERIFY(r.ok());
    QCOMPARE(readAll(*r).sizes().vec(), (std::vector<int64_t>{1, 3, 28, 28}));
    auto x = r->input(0, 1);
    QVERIFY(x);
    QVERIFY(torch::allclose(*x, torch::full_like(*x, (77.0 / 255.0 - 0.5) / 0.25)));
}

void TestImageFolder::emptyFolder()
{
    QTemporaryDir dir;
    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(dir.path()) && r.error().message.contains("no files"), qPrintable(r.error().message));
}

void TestImageFolder::onlyCorruptFiles()
{
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.filePath("a.png"), "nope"));
    QVERIFY(test::writeFile(dir.filePath("b.jpg"), QByteArray(100, '\xff')));
    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("none of its 2 files"), qPrintable(r.error().message));
}

void TestImageFolder::missingFolder()
{
    auto r = openDataSource("/nonexistent/folder/x", PreprocessSpec{});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY(r.error().message.contains("/nonexistent/folder/x"));
}

void TestImageFolder::decodedWhenRead()
{
    QTemporaryDir dir;
    // A PNG whose header is fine but whose pixel data does not decode: the
    // header check passes it, the test decode at open time skips it.
    const QByteArray bodyless = test::pngHeaderOnly(64, 64);
    QVERIFY(!checkImageHeader(bodyless));
    QVERIFY(test::writeFile(dir.filePath("a.png"), bodyless));
    QVERIFY(test::writeFile(dir.filePath("b.png"), encode(grayImage(40, 60, 99), ".png")));
    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->size(), 1);
    QCOMPARE(int(r->skipped.size()), 1);
    QVERIFY2(r->skipped[0].path.endsWith("a.png") && r->skipped[0].reason.contains("decod"), qPrintable(r->skipped[0].reason));
    // Read: resized so the shorter side is 28 (40x60 -> 28x42), centre crop.
    auto img = r->image(0);
    QVERIFY(img);
    QCOMPARE(img->rows, 28);
    QCOMPARE(img->cols, 28);
    QCOMPARE(cv::countNonZero(*img != 99), 0);
    QVERIFY(!r->image(1));  // out of range, as a value
}

void TestImageFolder::fileChangedAfterOpen()
{
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.filePath("a.png"), encode(grayImage(28, 28, 10), ".png")));
    QVERIFY(test::writeFile(dir.filePath("b.png"), encode(grayImage(28, 28, 20), ".png")));
    auto r = loadImageFolder(dir.path(), PreprocessSpec{});
    QVERIFY(r.ok());
    QVERIFY(test::writeFile(dir.filePath("b.png"), encode(grayImage(28, 28, 21), ".png")));
    QVERIFY(r->image(0));
    auto changed = r->image(1);
    QVERIFY(!changed);
    QCOMPARE(changed.error().code, ErrorCode::BadFile);
    QVERIFY2(changed.error().message.contains(dir.filePath("b.png")) && changed.error().message.contains("changed since"),
             qPrintable(changed.error().message));
    // A batch holding it fails with the same error, whatever the other items.
    auto batch = r->input(0, 2);
    QVERIFY(!batch);
    QCOMPARE(batch.error().message, changed.error().message);
}

void TestImageFolder::fileVanishedAfterOpen()
{
    QTemporaryDir dir;
    for (int i = 0; i < 5; ++i)
        QVERIFY(test::writeFile(dir.filePath(QString("c/%1.png").arg(i)), encode(grayImage(28, 28, 10 * i), ".png")));
    auto r = openDataSource(dir.path(), PreprocessSpec{});
    QVERIFY(r.ok());
    QVERIFY(QFile::remove(dir.filePath("c/3.png")));
    auto sample = r->input(torch::tensor({4, 3, 0}, torch::kLong));
    QVERIFY(!sample);
    QCOMPARE(sample.error().code, ErrorCode::NotFound);
    QVERIFY2(sample.error().message.contains(dir.filePath("c/3.png")) && sample.error().message.contains("no longer"),
             qPrintable(sample.error().message));
    // The others still read, in the order asked.
    auto rest = r->read(torch::tensor({4, 0}, torch::kLong));
    QVERIFY(rest);
    QCOMPARE(rest->select(0, 0).max().item<int>(), 40);
    QCOMPARE(rest->select(0, 1).max().item<int>(), 0);
}

void TestImageFolder::sameFolderSameHash()
{
    QTemporaryDir dir;
    for (int i = 0; i < 6; ++i)
        QVERIFY(test::writeFile(dir.filePath(QString("%1.png").arg(i)), encode(grayImage(30, 30, 5 * i), ".png")));
    auto a = openDataSource(dir.path(), PreprocessSpec{});
    auto b = openDataSource(dir.path(), PreprocessSpec{});
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->itemIds, b->itemIds);
    auto sa = selectCalibration(*a, 4, 11), sb = selectCalibration(*b, 4, 11);
    QVERIFY(sa.ok() && sb.ok());
    QCOMPARE(sa->hash, sb->hash);
    // One file's content changed (same name): another hash.
    QVERIFY(test::writeFile(dir.filePath("2.png"), encode(grayImage(30, 30, 77), ".png")));
    auto c = openDataSource(dir.path(), PreprocessSpec{});
    QVERIFY(c.ok());
    QVERIFY(c->contentDigest != a->contentDigest);
    QVERIFY(selectCalibration(*c, 4, 11)->hash != sa->hash);
}

void TestImageFolder::evaluationNamesAVanishedFile()
{
    // An evaluation streams its batches (a run's is read after its units are
    // quantized): a file removed after opening fails it with that file's name
    // in place of a top-1 over fewer images.
    QTemporaryDir dir;
    for (int i = 0; i < 8; ++i)
        QVERIFY(test::writeFile(dir.filePath(QString("%1/%2.png").arg(i % 2 ? "b" : "a").arg(i)),
                                encode(grayImage(28, 28, 16 * i), ".png")));
    auto data = openDataSource(dir.path(), PreprocessSpec{});
    QVERIFY(data.ok());
    const QString gone = dir.filePath("b/5.png");
    int64_t batches = 0;
    auto forward = [&](const torch::Tensor &x) -> Result<torch::Tensor> {
        if (++batches == 1)
            QFile::remove(gone);  // while the first batch is being evaluated
        return torch::zeros({x.size(0), 2});
    };
    AccuracyOptions o;
    o.batch = 4;
    auto acc = evaluateTop1(forward, *data, o);
    QVERIFY(!acc);
    QCOMPARE(batches, int64_t(1));
    QCOMPARE(acc.error().code, ErrorCode::NotFound);
    QVERIFY2(acc.error().message.contains(gone) && acc.error().message.contains("no longer"), qPrintable(acc.error().message));
}

void TestImageFolder::dataSourceStrings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("roundTrip");
    QTest::newRow("train") << "fashion-mnist:train" << true << "fashion-mnist:train";
    QTest::newRow("test") << "fashion-mnist:test" << true << "fashion-mnist:test";
    QTest::newRow("bad split") << "fashion-mnist:val" << false << "";
    QTest::newRow("empty") << "  " << false << "";
    QTest::newRow("folder") << "/data/images" << true << "/data/images";
}

void TestImageFolder::dataSourceStrings()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, roundTrip);
    auto s = DataSource::parse(text);
    QCOMPARE(s.ok(), valid);
    if (valid)
        QCOMPARE(s->toString(), roundTrip);
    else
        QVERIFY(s.error().message.contains(text.trimmed()));
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
