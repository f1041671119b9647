// SPDX-License-Identifier: GPL-3.0-or-later
// The caching allocator for large tensor blocks: reuse, its size classes,
// its cap (oldest blocks go first) and release. Sizes are whole MiB of at
// least 32, which the cache takes in both the normal and the ASan build.
#include "common/tensorcache.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

using namespace metaaug;

namespace {
constexpr int64_t kMiB = 1024 * 1024;

torch::Tensor block(int64_t bytes) { return torch::empty({bytes / int64_t(sizeof(float))}, torch::kFloat32); }
}  // namespace

class TestTensorCache : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        installTensorCache();
        QVERIFY(tensorCacheInstalled());
    }
    void init() { releaseTensorCache(); }

    void freedBlockIsReused()
    {
        torch::Tensor a = block(40 * kMiB);
        void *p = a.data_ptr();
        QCOMPARE(tensorCacheBytes(), int64_t(0));
        a = torch::Tensor();
        QCOMPARE(tensorCacheBytes(), 40 * kMiB);
        // 2 KiB less falls in the same size class.
        torch::Tensor b = block(40 * kMiB - 2048);
        QCOMPARE(b.data_ptr(), p);
        QCOMPARE(tensorCacheBytes(), int64_t(0));
        b.fill_(1.5f);
        QCOMPARE(b.sum().item<double>(), 1.5 * double(b.numel()));
    }

    void smallBlocksAreNotCached()
    {
        block(64 * 1024);
        QCOMPARE(tensorCacheBytes(), int64_t(0));
    }

    void capEvictsTheOldestFirst()
    {
        // Three blocks of 400-402 MiB freed in that order: the cap (1 GiB)
        // keeps the last two.
        torch::Tensor a = block(400 * kMiB), b = block(401 * kMiB), c = block(402 * kMiB);
        void *pc = c.data_ptr();
        a = torch::Tensor();
        b = torch::Tensor();
        c = torch::Tensor();
        QCOMPARE(tensorCacheBytes(), (401 + 402) * kMiB);
        torch::Tensor again = block(402 * kMiB);
        QCOMPARE(again.data_ptr(), pc);
        QCOMPARE(tensorCacheBytes(), 401 * kMiB);
    }

    void releaseEmptiesTheCache()
    {
        block(64 * kMiB);
        block(96 * kMiB);
        QCOMPARE(tensorCacheBytes(), 160 * kMiB);
        releaseTensorCache();
        QCOMPARE(tensorCacheBytes(), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestTensorCache)
#include "tst_tensorcache.moc"
