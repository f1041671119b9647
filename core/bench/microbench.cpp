// SPDX-License-Identifier: GPL-3.0-or-later
#include "microbench.h"

#include "common/median.h"
#include "common/runtime.h"

#include <QtCore/QFile>

#include <algorithm>
#include <chrono>
#include <vector>

namespace metaaug {

namespace {

template <typename F>
double medianMs(int reps, F &&f)
{
    f();  // warm-up: first call creates oneDNN primitives
    std::vector<double> t;
    for (int i = 0; i < reps; ++i) {
        const auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    return median(std::move(t));
}

// Which libblas.so.3 the process mapped (reference BLAS vs OpenBLAS).
QString loadedBlas()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const int at = line.indexOf('/');
        if (at >= 0 && line.contains("libblas.so"))
            return QString::fromLocal8Bit(line.mid(at));
    }
    return QStringLiteral("none mapped");
}

}  // namespace

MicroBenchResult runMicroBench(int reps)
{
    torch::manual_seed(0);
    MicroBenchResult r;
    auto x = torch::randn({32, 16, 28, 28});
    auto w = torch::randn({16, 16, 3, 3}, torch::requires_grad());
    r.convForwardMs = medianMs(reps, [&] {
        torch::NoGradGuard ng;
        auto y = torch::conv2d(x, w, {}, 1, 1);
    });
    r.convForwardBackwardMs = medianMs(reps, [&] {
        auto y = torch::conv2d(x, w, {}, 1, 1);
        y.sum().backward();
        w.mutable_grad().reset();
    });
    auto a = torch::randn({512, 512}), b = torch::randn({512, 512});
    r.matmulMs = medianMs(reps, [&] { auto c = torch::mm(a, b); });
    r.threads = torch::get_num_threads();
    r.mallocTuned = mallocTuned();
    r.blas = loadedBlas();
    return r;
}

}  // namespace metaaug
