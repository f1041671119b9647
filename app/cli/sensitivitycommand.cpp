// metaaug sensitivity: per-layer and per-point RTN sensitivity (core/analysis).
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "analysis/sensitivity.h"
#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "model/model.h"
#include "quant/bitpolicy.h"

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
    p.addOption({QStringLiteral("images"), QStringLiteral("Held-out images the effects are measured on (default 256)."), QStringLiteral("N"),
                 QStringLiteral("256")});
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
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    QString error;
    qint64 images = 0, fitImages = 0, batch = 0, seed = 0;
    std::vector<int> wbits, abits;
    if (!intOption(p, "images", 1, 1'000'000, &images, &error) || !intOption(p, "fit-images", 1, 100'000, &fitImages, &error) ||
        !intOption(p, "batch", 1, 65536, &batch, &error) || !intOption(p, "seed", 0, std::numeric_limits<qint64>::max(), &seed, &error) ||
        !bitList(p, "wbits", &wbits, &error) || !bitList(p, "abits", &abits, &error))
        return fail(error, Usage);

    QElapsedTimer timer;
    timer.start();
    auto model = loadModelWithCard(p);
    if (!model)
        return fail(model.error().message);
    const ModelCard *card = &model->card();
    auto data = openDataSource(p.value(QStringLiteral("calib")), card->preprocess);
    if (!data)
        return fail(data.error().message);
    if (data->size() < images + fitImages)
        return fail(QStringLiteral("%1 has %2 images; the analysis needs %3 (--images %4 to measure on, --fit-images %5 to fit the "
                                   "activation grids on)")
                        .arg(data->source).arg(data->size()).arg(images + fitImages).arg(images).arg(fitImages));
    auto selection = selectCalibration(*data, images + fitImages, uint64_t(seed));
    if (!selection)
        return fail(selection.error().message);
    const torch::Tensor idx = selection->indexTensor();
    const torch::Tensor fit = data->input(idx.slice(0, 0, fitImages), card->preprocess);
    const torch::Tensor measure = data->input(idx.slice(0, fitImages), card->preprocess);

    ProgressBar bar(QStringLiteral("sensitivity"));
    analysis::SensitivityOptions o;
    o.weightBits = wbits;
    o.activationBits = abits;
    o.batch = batch;
    o.progress = [&bar](int done, int total) {
        bar.update(done, total);
        return true;
    };
    auto records = analysis::analyzeSensitivity(model->sharedExecutor(), model->partition().units, fit, measure, o);
    bar.finish();
    if (!records)
        return fail(records.error().message);
    const double seconds = timer.elapsed() / 1000.0;

    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const auto &r : *records)
            list.append(r.toJson());
        printJson(QJsonObject{{QStringLiteral("model"), model->path()},
                              {QStringLiteral("model_sha256"), model->sha256()},
                              {QStringLiteral("calib"), data->source},
                              {QStringLiteral("calib_hash"), selection->hash},
                              {QStringLiteral("images"), images},
                              {QStringLiteral("fit_images"), fitImages},
                              {QStringLiteral("seed"), QString::number(seed)},
                              {QStringLiteral("records"), list},
                              {QStringLiteral("wall_s"), seconds}});
        return Ok;
    }
    QString text = QStringLiteral("model %1\n%2 held-out images of %3, grids fitted on %4, seed %5\n\n%6 %7 %8 %9 %10\n")
                       .arg(model->path()).arg(images).arg(data->source).arg(fitImages).arg(seed)
                       .arg(QStringLiteral("kind"), -18).arg(QStringLiteral("target"), -28).arg(QStringLiteral("bits"), 4)
                       .arg(QStringLiteral("KL"), 10).arg(QStringLiteral("agree %   SQNR dB"), 18);
    for (const auto &r : *records)
        text += QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                    .arg(QLatin1String(analysis::sensitivityKindName(r.kind)), -18).arg(r.target, -28).arg(r.bits, 4)
                    .arg(r.kl, 10, 'e', 2).arg(r.agreement, 8, 'f', 1)
                    .arg(std::isfinite(r.sqnrDb) ? QString::number(r.sqnrDb, 'f', 1) : QStringLiteral("exact"), 9);
    text += QStringLiteral("\n%1 records in %2 s\n").arg(records->size()).arg(seconds, 0, 'f', 1);
    printOut(text);
    return Ok;
}

}  // namespace metaaug::cli
