// SPDX-License-Identifier: GPL-3.0-or-later
// The activation cache's row store: in memory and in files it returns the
// same rows, by index, by range and across a concatenation; its files are
// unlinked from the start (nothing is left behind, also after a crash);
// reduced precision rounds as the dtype does; a folder it cannot write to is
// named.
#include "recon/rowstore.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;
using recon::CachePolicy;
using recon::RowStore;

namespace {
RowStore filled(const torch::Tensor &data, const CachePolicy &policy, int64_t batch)
{
    RowStore s(data.size(0), policy);
    for (int64_t i = 0; i < data.size(0); i += batch)
        s.append(data.slice(0, i, std::min(data.size(0), i + batch)));
    return s;
}
}  // namespace

class TestRowStore : public QObject {
    Q_OBJECT
private slots:
    void memoryAndDiskAgree();
    void concatReadsAcross();
    void reducedPrecisionRounds();
    void unwritableFolderNamed();
};

void TestRowStore::memoryAndDiskAgree()
{
    QTemporaryDir dir;
    torch::manual_seed(0);
    const torch::Tensor data = torch::randn({37, 3, 5, 4});
    const RowStore mem = filled(data, CachePolicy{}, 8);
    const RowStore disk = filled(data, CachePolicy{torch::kFloat, true, dir.path()}, 8);
    QVERIFY(!mem.onDisk());
    QVERIFY(disk.onDisk());
    QCOMPARE(disk.size(), int64_t(37));
    QCOMPARE(disk.bytes(), int64_t(37 * 3 * 5 * 4 * 4));
    // The file is unlinked at once: the folder stays empty while the store lives.
    QVERIFY2(QDir(dir.path()).entryList(QDir::Files).isEmpty(), qPrintable(QDir(dir.path()).entryList(QDir::Files).join(' ')));
    const torch::Tensor idx = torch::tensor({5, 36, 0, 5, 6, 7, 12}, torch::kLong);  // repeats, runs, out of order
    QVERIFY(torch::equal(mem.rows(idx), data.index_select(0, idx)));
    QVERIFY(torch::equal(disk.rows(idx), data.index_select(0, idx)));
    QVERIFY(torch::equal(disk.slice(3, 30), data.slice(0, 3, 30)));
    QVERIFY(torch::equal(disk.all(), data));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, disk.rows(torch::tensor({37}, torch::kLong)));
}

void TestRowStore::concatReadsAcross()
{
    QTemporaryDir dir;
    const torch::Tensor a = torch::arange(20, torch::kFloat).view({10, 2}), b = -torch::arange(12, torch::kFloat).view({6, 2});
    const RowStore both = RowStore::concat(RowStore::wrap(a), filled(b, CachePolicy{torch::kFloat, true, dir.path()}, 4));
    QCOMPARE(both.size(), int64_t(16));
    const torch::Tensor idx = torch::tensor({15, 0, 9, 10, 11}, torch::kLong);
    QVERIFY(torch::equal(both.rows(idx), torch::cat({a, b}).index_select(0, idx)));
    QVERIFY(torch::equal(both.slice(8, 13), torch::cat({a, b}).slice(0, 8, 13)));
}

void TestRowStore::reducedPrecisionRounds()
{
    QTemporaryDir dir;
    torch::manual_seed(1);
    const torch::Tensor data = torch::randn({9, 7});
    for (auto dtype : {torch::kHalf, torch::kBFloat16}) {
        for (bool onDisk : {false, true}) {
            const RowStore s = filled(data, CachePolicy{dtype, onDisk, dir.path()}, 4);
            QCOMPARE(s.bytes(), int64_t(9 * 7 * 2));
            const torch::Tensor back = s.all();
            QCOMPARE(back.scalar_type(), torch::kFloat);
            QVERIFY(torch::equal(back, data.to(dtype).to(torch::kFloat)));  // exactly the dtype's rounding
        }
    }
    QCOMPARE(recon::cacheDtypeFromName(QStringLiteral("bfloat16")), torch::kBFloat16);
    QCOMPARE(recon::cacheDtypeName(torch::kHalf), QStringLiteral("float16"));
}

void TestRowStore::unwritableFolderNamed()
{
    const QString missing = QDir::temp().filePath(QStringLiteral("metaaug-no-such-folder/cache"));
    RowStore s(4, CachePolicy{torch::kFloat, true, missing});
    try {
        s.append(torch::zeros({2, 3}));
        QFAIL("a cache in a missing folder was created");
    } catch (const std::runtime_error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(missing), e.what());
    }
}

QTEST_GUILESS_MAIN(TestRowStore)
#include "tst_rowstore.moc"
