// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/calibrationsampler.h"
#include "data/fashionmnist.h"

#include <QtTest/QtTest>

#include <set>

using namespace metaaug;

class TestCalibrationSampler : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sameSeedSameSelection();
    void otherSeedOtherSelection();
    void indicesAreDistinctAndInRange();
    void hashDependsOnContent();
    void sizeOutOfRange_data();
    void sizeOutOfRange();

private:
    ImageDataset m_train;
};

void TestCalibrationSampler::initTestCase()
{
    auto r = loadFashionMnist("train", PreprocessSpec{});
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    m_train = std::move(r).value();
}

void TestCalibrationSampler::sameSeedSameSelection()
{
    auto a = selectCalibration(m_train, 1024, 0);
    auto b = selectCalibration(m_train, 1024, 0);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->indices, b->indices);
    QCOMPARE(a->hash, b->hash);
    QCOMPARE(a->hash.size(), 64);
}

void TestCalibrationSampler::otherSeedOtherSelection()
{
    auto a = selectCalibration(m_train, 1024, 0);
    auto b = selectCalibration(m_train, 1024, 1);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->indices != b->indices);
    QVERIFY(a->hash != b->hash);
    // A smaller selection with the same seed is a prefix of the larger one.
    auto c = selectCalibration(m_train, 128, 0);
    QVERIFY(std::equal(c->indices.begin(), c->indices.end(), a->indices.begin()));
}

void TestCalibrationSampler::indicesAreDistinctAndInRange()
{
    auto a = selectCalibration(m_train, 5000, 7);
    QVERIFY(a.ok());
    std::set<int64_t> unique(a->indices.begin(), a->indices.end());
    QCOMPARE(unique.size(), size_t(5000));
    QVERIFY(*unique.begin() >= 0 && *unique.rbegin() < m_train.size());
}

void TestCalibrationSampler::hashDependsOnContent()
{
    ImageDataset other = m_train;
    other.contentDigest = QStringLiteral("different data");
    auto a = selectCalibration(m_train, 64, 3);
    auto b = selectCalibration(other, 64, 3);
    QCOMPARE(a->indices, b->indices);
    QVERIFY(a->hash != b->hash);
}

void TestCalibrationSampler::sizeOutOfRange_data()
{
    QTest::addColumn<qint64>("n");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-5);
    QTest::newRow("too many") << qint64(60001);
}

void TestCalibrationSampler::sizeOutOfRange()
{
    QFETCH(qint64, n);
    auto r = selectCalibration(m_train, n, 0);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QString::number(n)) && r.error().message.contains("60000"), qPrintable(r.error().message));
}

QTEST_GUILESS_MAIN(TestCalibrationSampler)
#include "tst_calibrationsampler.moc"
