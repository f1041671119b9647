// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "data/imagefolder.h"

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
    QCOMPARE(r->images[0].max().item<int>(), 10);
    QCOMPARE(r->images[1].max().item<int>(), 20);
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
    QCOMPARE(r->images.sizes().vec(), (std::vector<int64_t>{1, 1, 28, 28}));
    // OpenCV's gray of pure blue: 0.114 * 255 = 29
    QCOMPARE(r->images.min().item<int>(), 29);
    QCOMPARE(r->images.max().item<int>(), 29);
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
    QCOMPARE(r->images.sizes().vec(), (std::vector<int64_t>{1, 3, 28, 28}));
    auto x = r->input(0, 1, spec);
    QVERIFY(torch::allclose(x, torch::full_like(x, (77.0 / 255.0 - 0.5) / 0.25)));
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
