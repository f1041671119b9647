// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug sensitivity: per-layer and per-point RTN sensitivity (core/analysis).
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "jobs/sensitivityjob.h"
#include "quant/bitpolicy.h"
#include "run/runspec.h"

#include <unistd.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>

namespace metaaug::cli {

namespace {

// "2,3,4,8" as bit-widths in the quantizers' range.
bool bitList(const QCommandLineParser &p, const char *name, std::vector<int> *out, QString *error)
{
    out->clear();
    for (const QString &part : p.value(QLatin1String(name)).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int b = part.trimmed().toInt(&ok);
        if (!ok || b < quant::kMinBits || b > quant::kMaxBits) {
            *error = QStringLiteral("--%1 '%2': each bit-width must be a whole number from %3 to %4")
                         .arg(QLatin1String(name), p.value(QLatin1String(name))).arg(quant::kMinBits).arg(quant::kMaxBits);
            return false;
        }
        out->push_back(b);
    }
    if (out->empty()) {
        *error = QStringLiteral("--%1 names no bit-width").arg(QLatin1String(name));
        return false;
    }
    return true;
}

}  // namespace

int sensitivityCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Per-layer sensitivity: quantize one layer's weight, or one activation point, alone with RTN at each candidate "
        "bit-width, the rest FP, and measure on held-out calibration images the output KL to FP, top-1 agreement and the "
        "layer's output SQNR; plus the whole model with only weights or only activations quantized."));
    p.addHelpOption();
    addModelOptions(p);
    p.addOption({QStringLiteral("calib"), QStringLiteral("Calibration data source (default fashion-mnist:train)."), QStringLiteral("SOURCE"),
                 QStringLiteral("fashion-mnist:train")});
    p.addOption({QStringLiteral("images"), QStringLiteral(
                     "Held-out images the effects are measured on, or auto (the default): as many as a compute budget allows, "
                     "%1 to %2 (all %2 for the bundled models, %1 for ResNet-50 at 224).")
                     .arg(kSensitivityImagesMin).arg(kSensitivityImagesMax), QStringLiteral("N|auto"), QStringLiteral("auto")});
    p.addOption({QStringLiteral("fit-images"), QStringLiteral("Images the activation grids are fitted on (default 64)."), QStringLiteral("N"),
                 QStringLiteral("64")});
    p.addOption({QStringLiteral("wbits"), QStringLiteral("Candidate weight bit-widths (default 2,3,4,8)."), QStringLiteral("B,B,..."),
                 QStringLiteral("2,3,4,8")});
    p.addOption({QStringLiteral("abits"), QStringLiteral("Candidate activation bit-widths (default 2,4,8)."), QStringLiteral("B,B,..."),
                 QStringLiteral("2,4,8")});
    p.addOption({QStringLiteral("batch"), QStringLiteral("Images per forward pass (default 64)."), QStringLiteral("B"), QStringLiteral("64")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the image choice (default 0)."), QStringLiteral("S"), QStringLiteral("0")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object with one record per layer or point and candidate.")});
    addThreadsOption(p);
    addDbOption(p);
    p.addOption({QStringLiteral("no-store"), QStringLiteral("Do not record the analysis in the run database.")});
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    QString error;
    qint64 images = 0, fitImages = 0, batch = 0, seed = 0;
    std::vector<int> wbits, abits;
    const bool autoImages = p.value(QStringLiteral("images")) == QLatin1String("auto");
    if ((!autoImages && !intOption(p, "images", 1, 1'000'000, &images, &error)) || !intOption(p, "fit-images", 1, 100'000, &fitImages, &error) ||
        !intOption(p, "batch", 1, 65536, &batch, &error) || !intOption(p, "seed", 0, std::numeric_limits<qint64>::max(), &seed, &error) ||
        !bitList(p, "wbits", &wbits, &error) || !bitList(p, "abits", &abits, &error))
        return fail(error, Usage);

    QString cardError;
    auto card = resolveCard(p, &cardError);
    if (!card)
        return fail(cardError);
    RunSpec spec;
    spec.modelPath = modelPath(p);
    spec.card = card;
    spec.calibSource = p.value(QStringLiteral("calib"));
    spec.seed = uint64_t(seed);
    spec.threads = threadCount(p);
    SensitivitySettings settings;
    settings.images = images;
    settings.fitImages = fitImages;
    settings.batch = batch;
    settings.weightBits = wbits;
    settings.activationBits = abits;

    // Recorded as a run of kind "sensitivity" unless --no-store.
    std::unique_ptr<store::RunStore> db;
    if (!p.isSet(QStringLiteral("no-store"))) {
        auto opened = store::RunStore::open(dbPath(p));
        if (!opened)
            return fail(opened.error().message + QStringLiteral(" (use --db PATH or --no-store)"));
        db = std::move(*opened);
    }
    ProgressBar bar(QStringLiteral("sensitivity"));
    // Without a terminal (a log, a batch job) the bar stays silent: a line
    // per tenth of the candidates instead, so that a long analysis shows
    // it is moving.
    const bool lines = isatty(STDERR_FILENO) != 1 && !p.isSet(QStringLiteral("json"));
    QElapsedTimer clock;
    clock.start();
    int lastTenth = 0;
    auto study = runSensitivityJob(spec, settings, db.get(), [&](int done, int total) {
        bar.update(done, total);
        const int tenth = total > 0 ? 10 * done / total : 0;
        if (lines && tenth > lastTenth) {
            lastTenth = tenth;
            const double elapsed = clock.elapsed() / 1000.0;
            printErr(QStringLiteral("sensitivity: %1/%2 candidates, %3 s elapsed, ETA %4 s")
                         .arg(done).arg(total).arg(elapsed, 0, 'f', 0).arg(elapsed * (total - done) / std::max(done, 1), 0, 'f', 0));
        }
        return true;
    });
    bar.finish();
    if (!study)
        return fail(study.error().message);
    for (const QString &w : study->warnings)
        printErr(QStringLiteral("warning: %1").arg(w));
    const auto &records = study->records;
    const double seconds = study->seconds;

    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const auto &r : records)
            list.append(r.toJson());
        printJson(QJsonObject{{QStringLiteral("model"), spec.modelPath},
                              {QStringLiteral("model_sha256"), study->modelSha256},
                              {QStringLiteral("calib"), spec.calibSource},
                              {QStringLiteral("calib_hash"), study->calibHash},
                              {QStringLiteral("run_id"), qint64(study->runId)},
                              {QStringLiteral("images"), qint64(study->images)},
                              {QStringLiteral("fit_images"), fitImages},
                              {QStringLiteral("seed"), QString::number(seed)},
                              {QStringLiteral("records"), list},
                              {QStringLiteral("wall_s"), seconds}});
        return Ok;
    }
    QString text = QStringLiteral("model %1\n%2 held-out images of %3, grids fitted on %4, seed %5\n\n%6 %7 %8 %9 %10\n")
                       .arg(spec.modelPath).arg(study->images).arg(spec.calibSource).arg(fitImages).arg(seed)
                       .arg(QStringLiteral("kind"), -18).arg(QStringLiteral("target"), -28).arg(QStringLiteral("bits"), 4)
                       .arg(QStringLiteral("KL"), 10).arg(QStringLiteral("agree %   SQNR dB"), 18);
    for (const auto &r : records)
        text += QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                    .arg(QLatin1String(analysis::sensitivityKindName(r.kind)), -18).arg(r.target, -28).arg(r.bits, 4)
                    .arg(r.kl, 10, 'e', 2).arg(r.agreement, 8, 'f', 1)
                    .arg(std::isfinite(r.sqnrDb) ? QString::number(r.sqnrDb, 'f', 1) : QStringLiteral("exact"), 9);
    text += QStringLiteral("\n%1 records in %2 s").arg(records.size()).arg(seconds, 0, 'f', 1);
    text += study->runId ? QStringLiteral(", recorded as run %1\n").arg(study->runId) : QStringLiteral("\n");
    printOut(text);
    return Ok;
}

}  // namespace metaaug::cli
