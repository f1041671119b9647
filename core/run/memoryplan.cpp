// SPDX-License-Identifier: GPL-3.0-or-later
#include "memoryplan.h"

#include "common/runtime.h"
#include "common/tensorcache.h"
#include "methods/method.h"
#include "recon/unitcache.h"

#include <QtCore/QStorageInfo>

#include <chrono>

namespace metaaug {

namespace {

QString mib(int64_t bytes)
{
    if (bytes >= (int64_t(10) << 30))
        return QStringLiteral("%1 GiB").arg(double(bytes) / double(1ll << 30), 0, 'f', 1);
    if (bytes < (int64_t(10) << 20))
        return QStringLiteral("%1 MiB").arg(double(bytes) / double(1ll << 20), 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(bytes >> 20);
}

QString duration(double seconds)
{
    if (seconds < 90)
        return QStringLiteral("%1 s").arg(std::max(1.0, seconds), 0, 'f', 0);
    if (seconds < 5400)
        return QStringLiteral("%1 min").arg(seconds / 60, 0, 'f', 0);
    return QStringLiteral("%1 h").arg(seconds / 3600, 0, 'f', 1);
}

// Float32 bytes one image makes inside each unit (every node output), the
// largest over units: what a reconstruction iteration keeps for backward.
int64_t largestUnitActivations(const graph::Executor &ex, const std::vector<graph::Unit> &units, const torch::Tensor &one)
{
    torch::NoGradGuard ng;
    const std::vector<c10::IValue> values = ex.allValues(one);
    int64_t largest = 0;
    for (const graph::Unit &u : units) {
        int64_t sum = 0;
        for (int i = u.firstNode; i <= u.lastNode; ++i)
            for (int v : ex.graph().nodes[size_t(i)].outputs)
                if (v < int(values.size()) && values[size_t(v)].isTensor())
                    sum += values[size_t(v)].toTensor().numel() * int64_t(sizeof(float));
        largest = std::max(largest, sum);
    }
    return largest;
}

}  // namespace

void addMethodWorkingSet(MemoryPlanInput &in, const methods::Method &method, const QJsonObject &options)
{
    const methods::MethodWorkingSet w = method.workingSet(options, *in.executor, in.oneImage, in.batch);
    in.methodBytes = w.bytes;
    in.methodPhase = w.phase;
    in.reconstructionBatch = w.reconstructionBatch;
}

Result<MemoryPlan> planMemory(const MemoryPlanInput &in, int64_t available, const QString &cacheDir)
{
    const graph::Executor &ex = *in.executor;
    MemoryPlan p;
    torch::NoGradGuard ng;
    int64_t forwardBytes = 0;
    {
        const torch::Tensor two = in.oneImage.expand({2, -1, -1, -1}).contiguous();
        (void)ex.run(two);  // warm-up: first-call allocations out of the timing
        resetPeakTensorBytes();
        const int64_t before = liveTensorBytes();
        const auto t0 = std::chrono::steady_clock::now();
        (void)ex.run(two);
        p.forwardMsPerImage = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 2;
        // What a forward holds at once per image, the convolution library's
        // buffers included; where the tensor cache is not installed, the
        // live set of the graph's values.
        forwardBytes = tensorCacheInstalled() ? (peakTensorBytes() - before) / 2 : ex.peakLiveBytes(in.oneImage);
    }
    const int64_t imageBytes = in.oneImage.numel() * int64_t(sizeof(float));
    p.imagesBytes = in.calibSize * imageBytes * in.cacheCopies;
    const int64_t largest = recon::largestActivationBytes(ex, in.oneImage);
    p.wholeSetBatch = std::clamp<int64_t>(kWholeSetBatchBytes / std::max<int64_t>(1, largest), 1, kMaxWholeSetBatch);
    // The live set of a forward, and a quantized forward's transient copies
    // (x/s, the clamp, the rounding) of the value being quantized.
    p.batchBytes = p.wholeSetBatch * (forwardBytes + 2 * largest);
    bool budgetSet = false;
    const int64_t budgetMb = qEnvironmentVariableIntValue("METAAUG_CACHE_BUDGET_MB", &budgetSet);
    p.cacheBudgetBytes = (budgetSet && budgetMb >= 0 ? budgetMb : kDefaultCacheBudgetMb) << 20;
    p.policy.dtype = in.cacheDtype;
    p.policy.dir = cacheDir;
    const double fwdSeconds = p.forwardMsPerImage / 1000;
    if (in.reconstructs) {
        p.cacheBytes = recon::estimatePeakCacheBytes(ex, *in.units, in.oneImage, in.calibSize * in.cacheCopies,
                                                     int64_t(c10::elementSize(in.cacheDtype)));
        // While unit b's cache is built, unit b-1's output and quantized input are still read.
        p.diskBytes = recon::estimatePeakCachePairBytes(ex, *in.units, in.oneImage, in.calibSize * in.cacheCopies,
                                                        int64_t(c10::elementSize(in.cacheDtype)));
        // Over the budget, or over half of what the machine has now: on disk.
        p.cacheOnDisk = p.diskBytes > p.cacheBudgetBytes || (available > 0 && p.diskBytes > available / 2);
        p.policy.onDisk = p.cacheOnDisk;
        const int64_t reconBatch = std::max(in.batch, in.reconstructionBatch);
        p.iterationBytes = reconBatch * largestUnitActivations(ex, *in.units, in.oneImage) * 3;  // values, gradients, quantizer copies
        // Each image passes the model about three times (FP input, quantized input, FP output).
        p.cacheSeconds = 3.0 * double(in.calibSize * in.cacheCopies) * fwdSeconds;
        // Forward and backward of every unit per iteration, about 6 forward passes of the batch.
        p.reconSeconds = double(in.iterations) * double(in.batch) * 6.0 * fwdSeconds;
    }
    p.evalSeconds = 2.0 * double(in.evalImages) * fwdSeconds;
    // What is resident now stays (the libraries' code and arenas, the model,
    // the calibration images already read); the copies a method adds later
    // (T(x)) and the working memory come on top.
    p.residentBytes = residentBytes();
    const int64_t laterImages = in.calibSize * imageBytes * std::max(0, in.cacheCopies - 1);
    p.methodBytes = in.methodBytes;
    p.methodPhase = in.methodPhase;
    // Two caches are held only while one is built (with a whole-set batch);
    // the iterations run beside one.
    const int64_t building = (p.cacheOnDisk ? 0 : p.diskBytes) + p.batchBytes;
    const int64_t training = (p.cacheOnDisk ? 0 : p.cacheBytes) + std::max(p.iterationBytes, p.methodBytes);
    p.peakBytes = p.residentBytes + laterImages + std::max(building, training);

    if (available > 0 && p.peakBytes > available * 9 / 10) {
        const int64_t fixed = p.peakBytes - p.imagesBytes;
        const int64_t fits = (available * 9 / 10 - fixed) / std::max<int64_t>(1, imageBytes * in.cacheCopies);
        return makeError(ErrorCode::OutOfResources,
                         QStringLiteral("this run needs about %1 of memory (%2 calibration images %3; libraries, model and working memory %4) and "
                                        "%5 are available; %6")
                             .arg(mib(p.peakBytes)).arg(in.calibSize).arg(mib(p.imagesBytes), mib(fixed), mib(available))
                             .arg(fits >= 1 ? QStringLiteral("use --calib-size %1 or fewer").arg(fits)
                                            : QStringLiteral("no --calib-size fits: the program already holds %1 (libraries, model, data); "
                                                             "use a smaller --batch or a machine with more memory")
                                                  .arg(mib(p.residentBytes))));
    }
    if (p.cacheOnDisk) {
        const QStorageInfo disk(cacheDir);
        if (disk.isValid() && disk.bytesAvailable() < p.diskBytes)
            return makeError(ErrorCode::OutOfResources,
                             QStringLiteral("the activation caches need %1 on disk in %2 but %3 are free; set TMPDIR to a "
                                            "folder on a larger disk, or use --cache-dtype float16 (half the size)")
                                 .arg(mib(p.diskBytes), cacheDir, mib(disk.bytesAvailable())));
    }
    return p;
}

QStringList MemoryPlan::lines() const
{
    QStringList out;
    out << QStringLiteral("plan: resident now %1 (libraries, model, data); calibration images: %2 in memory").arg(mib(residentBytes), mib(imagesBytes));
    if (cacheBytes > 0)
        out << QStringLiteral("plan: activation caches: %1 per unit (%2), %3; ~%4 to build")
                   .arg(mib(cacheBytes), recon::cacheDtypeName(policy.dtype))
                   .arg(cacheOnDisk ? QStringLiteral("on disk in %1 (over the %2 cache budget, $METAAUG_CACHE_BUDGET_MB)")
                                          .arg(policy.dir, mib(cacheBudgetBytes))
                                    : QStringLiteral("in memory"))
                   .arg(duration(cacheSeconds));
    if (iterationBytes > 0)
        out << QStringLiteral("plan: reconstruction: %1 working memory; ~%2").arg(mib(iterationBytes), duration(reconSeconds));
    if (methodBytes > 0)
        out << QStringLiteral("plan: %1: %2 working memory").arg(methodPhase, mib(methodBytes));
    out << QStringLiteral("plan: whole-set passes and evaluation: batches of %1, %2 working memory; evaluation ~%3")
               .arg(wholeSetBatch).arg(mib(batchBytes), duration(evalSeconds));
    out << QStringLiteral("plan: peak memory about %1 (FP forward %2 ms per image; times are rough)")
               .arg(mib(peakBytes)).arg(forwardMsPerImage, 0, 'f', 1);
    return out;
}

}  // namespace metaaug
