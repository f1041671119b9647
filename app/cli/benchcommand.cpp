// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "bench/loadbench.h"
#include "bench/microbench.h"
#include "bench/reconbench.h"
#include "bench/storebench.h"

#include <QtCore/QDir>

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>

namespace metaaug::cli {

int benchCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Time the kernels that machine-level settings make or break: a 3x3 convolution (16->16 channels, 28x28, batch 32) "
        "forward and forward+backward, and a 512x512 matmul. Medians in milliseconds. "
        "Set METAAUG_NO_MALLOC_TUNING=1 to see the cost of glibc's default malloc thresholds, and "
        "LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas to force the reference BLAS."));
    p.addHelpOption();
    p.addOption({QStringLiteral("repeat"), QStringLiteral("Timed repetitions per kernel (default 30)."), QStringLiteral("N"), QStringLiteral("30")});
    p.addOption({QStringLiteral("no-meta"), QStringLiteral("With --recon: skip metaaug's timings (a whole short metaaug run).")});
    p.addOption({QStringLiteral("images"), QStringLiteral("With --recon: calibration images cached (default 256)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("recon"), QStringLiteral(
        "Instead: median time of one reconstruction iteration (geniem, W2A4) for each unit of the model at batch 32 and 64, "
        "beside its floor (the unit's convolutions alone, forward and backward), "
        "and metaaug's meta iteration (batch 32) and reconstruction iteration on originals + T(x) (batch 64).")});
    p.addOption({QStringLiteral("store"), QStringLiteral(
        "Instead: run-store throughput (scalar rows per second in the recorder's batches of 2000) and the writer's "
        "worst transaction with a reader beside it, on a temporary database in $TMPDIR (default /tmp).")});
    p.addOption({QStringLiteral("load"), QStringLiteral(
        "Instead: the cost of the sandboxed loader (docs/sandbox.md): median wall time of loading --model through "
        "the helper and in this process, in turn (--repeat times each; default 11), this process's peak RSS and the "
        "helpers' largest.")});
    p.addOption({QStringLiteral("isolation"), QStringLiteral(
        "With --load: time only helper or in-process loads (to compare the peak memory of each alone)."),
                 QStringLiteral("MODE")});
    addModelOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object.")});
    addThreadsOption(p);
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    QString error;
    qint64 reps = 0;
    if (!intOption(p, "repeat", 1, 100000, &reps, &error))
        return fail(error, Usage);

    if (p.isSet(QStringLiteral("load"))) {
        std::optional<ModelCard> card;
        if (p.isSet(QStringLiteral("card")) || p.isSet(QStringLiteral("input-shape"))) {
            card = resolveCard(p, &error);
            if (!card)
                return fail(error);
        }
        std::optional<sandbox::LoadIsolation> only;
        const QString isolation = p.value(QStringLiteral("isolation"));
        if (isolation == QLatin1String("helper"))
            only = sandbox::LoadIsolation::Helper;
        else if (isolation == QLatin1String("in-process"))
            only = sandbox::LoadIsolation::InProcess;
        else if (!isolation.isEmpty())
            return fail(QStringLiteral("--isolation '%1' is not helper or in-process").arg(isolation), Usage);
        auto r = benchModelLoad(modelPath(p), card, p.isSet(QStringLiteral("repeat")) ? int(reps) : 11, only);
        if (!r)
            return fail(r.error().message);
        const double overheadMs = r->helperMs - r->inProcessMs;
        if (p.isSet(QStringLiteral("json")))
            printJson(QJsonObject{{QStringLiteral("model"), modelPath(p)},
                                  {QStringLiteral("helper_ms"), r->helperMs},
                                  {QStringLiteral("in_process_ms"), r->inProcessMs},
                                  {QStringLiteral("repetitions"), r->repetitions},
                                  {QStringLiteral("peak_rss_mib"), double(r->peakBytes) / (1 << 20)},
                                  {QStringLiteral("helper_peak_rss_mib"), double(r->helperPeakBytes) / (1 << 20)}});
        else
            printOut(QStringLiteral("load %1: helper %2 ms, in-process %3 ms (overhead %4 ms, %5%), median of %6\n"
                                    "peak RSS: this process %7 MiB, largest helper %8 MiB")
                         .arg(modelPath(p)).arg(r->helperMs, 0, 'f', 0).arg(r->inProcessMs, 0, 'f', 0).arg(overheadMs, 0, 'f', 0)
                         .arg(r->inProcessMs > 0 ? 100.0 * overheadMs / r->inProcessMs : 0.0, 0, 'f', 0).arg(r->repetitions)
                         .arg(r->peakBytes >> 20).arg(r->helperPeakBytes >> 20));
        return Ok;
    }
    if (p.isSet(QStringLiteral("store"))) {
        auto r = benchStore(QDir::tempPath());
        if (!r)
            return fail(r.error().message);
        if (p.isSet(QStringLiteral("json")))
            printJson(QJsonObject{{QStringLiteral("rows_per_second"), r->rowsPerSecond},
                                  {QStringLiteral("median_batch_ms"), r->medianBatchMs},
                                  {QStringLiteral("max_batch_ms"), r->maxBatchMs},
                                  {QStringLiteral("rows_per_second_with_reader"), r->rowsPerSecondWithReader},
                                  {QStringLiteral("max_batch_ms_with_reader"), r->maxBatchMsWithReader},
                                  {QStringLiteral("reader_listings"), r->readerListings}});
        else
            printOut(QStringLiteral("writer alone:       %1 rows/s, batch of 2000 median %2 ms, max %3 ms\n"
                                    "reader beside it:   %4 rows/s, max batch %5 ms (%6 reads of the run list + newest run's series)")
                         .arg(r->rowsPerSecond, 0, 'f', 0).arg(r->medianBatchMs, 0, 'f', 2).arg(r->maxBatchMs, 0, 'f', 2)
                         .arg(r->rowsPerSecondWithReader, 0, 'f', 0).arg(r->maxBatchMsWithReader, 0, 'f', 2).arg(r->readerListings));
        return Ok;
    }
    if (p.isSet(QStringLiteral("recon"))) {
        // The card as every command resolves it: --card, the file beside the
        // model, --input-shape/--mean/--std over either or alone.
        const std::optional<ModelCard> card = resolveCard(p, &error);
        if (!card)
            return fail(error);
        const int images = p.isSet(QStringLiteral("images")) ? p.value(QStringLiteral("images")).toInt() : 256;
        auto timings = benchReconstruction(modelPath(p), {32, 64}, std::max(int(reps), 5), images, card);
        if (!timings)
            return fail(timings.error().message);
        if (!p.isSet(QStringLiteral("no-meta")))
            if (auto meta = benchMetaAug(modelPath(p), *timings, std::max(int(reps), 5), 256, card); !meta)
                return fail(meta.error().message);
        QJsonArray units;
        QStringList lines{QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8").arg(QStringLiteral("unit"), -16).arg(QStringLiteral("geniem b32"), 11)
                              .arg(QStringLiteral("floor b32"), 10).arg(QStringLiteral("ratio"), 6)
                              .arg(QStringLiteral("geniem b64"), 11).arg(QStringLiteral("floor b64"), 10)
                              .arg(QStringLiteral("meta b32"), 11).arg(QStringLiteral("union b64"), 11)};
        for (const auto &t : *timings) {
            units.append(QJsonObject{{QStringLiteral("unit"), t.unit}, {QStringLiteral("batch32_ms"), t.medianMs[0]},
                                     {QStringLiteral("batch64_ms"), t.medianMs[1]}, {QStringLiteral("floor_batch32_ms"), t.floorMs[0]},
                                     {QStringLiteral("floor_batch64_ms"), t.floorMs[1]}, {QStringLiteral("meta_batch32_ms"), t.metaMs},
                                     {QStringLiteral("union_batch64_ms"), t.phaseBMs}});
            auto cell = [](double v) { return v > 0 ? QString::number(v, 'f', 2) : QStringLiteral("-"); };
            lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8").arg(t.unit, -16).arg(t.medianMs[0], 11, 'f', 2).arg(t.floorMs[0], 10, 'f', 2)
                         .arg(t.floorMs[0] > 0 ? t.medianMs[0] / t.floorMs[0] : 0.0, 6, 'f', 2)
                         .arg(t.medianMs[1], 11, 'f', 2).arg(t.floorMs[1], 10, 'f', 2)
                         .arg(cell(t.metaMs), 11).arg(cell(t.phaseBMs), 11);
        }
        if (p.isSet(QStringLiteral("json")))
            printJson(QJsonObject{{QStringLiteral("recon_iteration_median_ms"), units}});
        else
            printOut(lines.join(QLatin1Char('\n')));
        return Ok;
    }
    const MicroBenchResult r = runMicroBench(int(reps));
    if (p.isSet(QStringLiteral("json"))) {
        printJson(QJsonObject{{QStringLiteral("conv3x3_fwd_ms"), r.convForwardMs},
                              {QStringLiteral("conv3x3_fwd_bwd_ms"), r.convForwardBackwardMs},
                              {QStringLiteral("matmul512_ms"), r.matmulMs},
                              {QStringLiteral("threads"), r.threads},
                              {QStringLiteral("malloc_tuned"), r.mallocTuned},
                              {QStringLiteral("blas"), r.blas}});
    } else {
        printOut(QStringLiteral("conv 3x3 16->16 28x28 b32  forward           %1 ms\n"
                                "conv 3x3 16->16 28x28 b32  forward+backward  %2 ms\n"
                                "matmul 512x512                               %3 ms\n"
                                "threads %4, malloc thresholds %5, BLAS %6")
                     .arg(r.convForwardMs, 0, 'f', 3).arg(r.convForwardBackwardMs, 0, 'f', 3).arg(r.matmulMs, 0, 'f', 3)
                     .arg(r.threads).arg(r.mallocTuned ? QStringLiteral("tuned") : QStringLiteral("glibc default"), r.blas));
    }
    return Ok;
}

}  // namespace metaaug::cli
