// SPDX-License-Identifier: GPL-3.0-or-later
#include "storebench.h"

#include "common/median.h"
#include "run/runresult.h"
#include "store/runstore.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <atomic>
#include <chrono>
#include <thread>

namespace metaaug {

namespace {

using Clock = std::chrono::steady_clock;

struct WriterStats {
    double seconds = 0, medianMs = 0, maxMs = 0;
};

Result<WriterStats> writeRows(store::RunStore &s, int rows, int batch)
{
    auto id = s.createRun({{QStringLiteral("method"), QStringLiteral("bench")}});
    if (!id)
        return id.error();
    std::vector<double> ms;
    const auto start = Clock::now();
    for (int done = 0; done < rows; done += batch) {
        store::WriteBatch b;
        for (int i = 0; i < batch; ++i)
            b.scalars.push_back({i % 11, QStringLiteral("reconstruction"), done + i, QStringLiteral("rec"), 1.0 / (i + 1)});
        const auto t0 = Clock::now();
        if (auto r = s.write(*id, b); !r)
            return r.error();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    WriterStats w;
    w.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    w.maxMs = *std::max_element(ms.begin(), ms.end());
    w.medianMs = median(std::move(ms));
    const RunResult empty;
    if (auto r = s.finishRun(*id, store::RunStatus::Succeeded, &empty, {}); !r)
        return r.error();
    return w;
}

}  // namespace

Result<StoreBenchResult> benchStore(const QString &folder, int rows, int batch)
{
    const QString path = QDir(folder).filePath(QStringLiteral("store-bench.sqlite"));
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    auto writer = store::RunStore::open(path);
    if (!writer)
        return writer.error();
    StoreBenchResult out;
    auto alone = writeRows(**writer, rows, batch);
    if (!alone)
        return alone.error();
    out.rowsPerSecond = rows / alone->seconds;
    out.medianBatchMs = alone->medianMs;
    out.maxBatchMs = alone->maxMs;

    auto reader = store::RunStore::open(path);
    if (!reader)
        return reader.error();
    std::atomic<bool> stop{false};
    std::atomic<int> listings{0};
    std::thread readerThread([&] {
        while (!stop) {
            auto runs = (*reader)->listRuns();
            if (runs && !runs->empty())
                (void)(*reader)->scalars(runs->back().id);
            ++listings;
        }
    });
    auto together = writeRows(**writer, rows, batch);
    stop = true;
    readerThread.join();
    if (!together)
        return together.error();
    out.rowsPerSecondWithReader = rows / together->seconds;
    out.maxBatchMsWithReader = together->maxMs;
    out.readerListings = listings;
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    return out;
}

}  // namespace metaaug
