// SPDX-License-Identifier: GPL-3.0-or-later
#include "options.h"

#include "store/runstore.h"

#include "commands.h"
#include "terminal.h"

#include "common/paths.h"
#include "common/runtime.h"
#include "model/cardpresets.h"
#include "model/modelcard.h"
#include "run/presets.h"
#include "run/specfields.h"

#include <QtCore/QFileInfo>

namespace metaaug::cli {

namespace {
std::optional<std::vector<double>> parseDoubles(const QString &text)
{
    std::vector<double> out;
    for (const QString &p : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = p.trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
        out.push_back(v);
    }
    if (out.empty())
        return std::nullopt;
    return out;
}
}  // namespace

void addModelOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("Model file, TorchScript (.pt) or ONNX (.onnx) (default: the bundled ResNet-20, %1).").arg(defaultModelPath()),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("card"),
                      QStringLiteral("Model card: a card preset (%1) or a card file; default: the .json beside the model.")
                          .arg(cardPresetIds().join(QStringLiteral(", "))),
                      QStringLiteral("NAME|FILE")});
    parser.addOption({QStringLiteral("input-shape"),
                      QStringLiteral("Override the card's input shape, e.g. 3,224,224."), QStringLiteral("C,H,W")});
    parser.addOption({QStringLiteral("mean"), QStringLiteral("Override the card's per-channel mean (after scaling to [0,1])."),
                      QStringLiteral("M[,M,M]")});
    parser.addOption({QStringLiteral("std"), QStringLiteral("Override the card's per-channel std."), QStringLiteral("S[,S,S]")});
}

void addThreadsOption(QCommandLineParser &parser)
{
    // The run spec's field: one range, default and help for every command.
    const Field &f = findSpecField(QStringLiteral("threads"))->field;
    parser.addOption({f.flag, f.describe(), QStringLiteral("T"), f.defaultText()});
}

QString modelPath(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("model")) ? parser.value(QStringLiteral("model")) : defaultModelPath();
}

std::optional<ModelCard> resolveCard(const QCommandLineParser &parser, QString *error)
{
    const QString model = modelPath(parser);
    if (QFileInfo(model).isDir()) {
        *error = QStringLiteral("model %1 is a folder, not a model file (TorchScript .pt or ONNX .onnx)").arg(model);
        return std::nullopt;
    }
    ModelCard card;
    const QString cardPath = cardPathFor(model);
    const bool overrides = parser.isSet(QStringLiteral("input-shape"));
    if (parser.isSet(QStringLiteral("card"))) {
        const QString given = parser.value(QStringLiteral("card"));
        auto loaded = findCardPreset(given) || !QFileInfo::exists(given) ? cardFromPreset(given, model) : ModelCard::load(given);
        if (!loaded) {
            *error = findCardPreset(given) || QFileInfo::exists(given)
                         ? loaded.error().message
                         : QStringLiteral("--card '%1' is neither a card preset (%2) nor an existing card file")
                               .arg(given, cardPresetIds().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        card = *loaded;
    } else if (QFileInfo::exists(cardPath)) {
        auto loaded = ModelCard::load(cardPath);
        if (!loaded) {
            *error = loaded.error().message;
            return std::nullopt;
        }
        card = *loaded;
    } else if (!overrides) {
        if (!QFileInfo::exists(model))
            *error = QStringLiteral("model file %1 does not exist").arg(model);
        else
            *error = QStringLiteral("model %1 has no model card: pass --card %2, write %3 (input_shape, mean, std), "
                                    "or pass --input-shape, --mean and --std")
                         .arg(model, cardPresetIds().join(QLatin1Char('|')), cardPath);
        return std::nullopt;
    }
    PreprocessSpec &s = card.preprocess;
    if (overrides) {
        const QStringList dims = parser.value(QStringLiteral("input-shape")).split(QLatin1Char(','));
        bool ok[3] = {false, false, false};
        if (dims.size() == 3) {
            s.channels = dims[0].toInt(&ok[0]);
            s.height = dims[1].toInt(&ok[1]);
            s.width = dims[2].toInt(&ok[2]);
            s.resize = std::min(s.height, s.width);
        }
        if (!(ok[0] && ok[1] && ok[2])) {
            *error = QStringLiteral("--input-shape '%1' must be C,H,W (e.g. 3,224,224)").arg(parser.value(QStringLiteral("input-shape")));
            return std::nullopt;
        }
    }
    for (const char *name : {"mean", "std"}) {
        const QString opt = QLatin1String(name);
        if (!parser.isSet(opt))
            continue;
        auto v = parseDoubles(parser.value(opt));
        if (!v) {
            *error = QStringLiteral("--%1 '%2' must be comma-separated numbers").arg(opt, parser.value(opt));
            return std::nullopt;
        }
        (opt == QLatin1String("mean") ? s.mean : s.std) = *v;
    }
    if (auto ok = s.validate(); !ok) {
        *error = QStringLiteral("preprocessing for %1: %2").arg(model, ok.error().message);
        return std::nullopt;
    }
    return card;
}

Result<Model> loadModelWithCard(const QCommandLineParser &parser, ModelLoadOptions options)
{
    QString error;
    auto card = resolveCard(parser, &error);
    if (!card)
        return makeError(ErrorCode::InvalidArgument, error);
    options.card = card;
    return Model::load(modelPath(parser), options);
}

bool applyThreads(const QCommandLineParser &parser, QString *error)
{
    const Field &f = findSpecField(QStringLiteral("threads"))->field;
    const QString text = parser.value(f.flag);
    auto t = f.parse(text);
    if (!t) {
        *error = QStringLiteral("--%1 '%2' %3").arg(f.flag, text, t.error().message);
        return false;
    }
    setThreads(t->toInt());
    return true;
}

int threadCount(const QCommandLineParser &parser)
{
    const Field &f = findSpecField(QStringLiteral("threads"))->field;
    auto t = f.parse(parser.value(f.flag));
    return t ? t->toInt() : physicalCores();
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args, CommandShape shape)
{
    if (!parser.parse(args))
        return fail(parser.errorText(), Usage);
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return Ok;
    }
    if (shape == CommandShape::Options && !parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), Usage);
    QString error;
    if (shape == CommandShape::Options && !applyThreads(parser, &error))
        return fail(error, Usage);
    return std::nullopt;
}

bool intOption(const QCommandLineParser &parser, const char *name, qint64 lo, qint64 hi, qint64 *out, QString *error)
{
    bool ok = false;
    const QString v = parser.value(QLatin1String(name));
    const qint64 x = v.toLongLong(&ok);
    if (!ok || x < lo || x > hi) {
        *error = QStringLiteral("--%1 '%2' must be a whole number from %3 to %4").arg(QLatin1String(name), v).arg(lo).arg(hi);
        return false;
    }
    *out = x;
    return true;
}

bool presetOption(const QCommandLineParser &parser, const RunPreset **preset, QString *error)
{
    *preset = nullptr;
    if (!parser.isSet(QStringLiteral("preset")))
        return true;
    const QString id = parser.value(QStringLiteral("preset"));
    *preset = findRunPreset(id);
    if (!*preset)
        *error = QStringLiteral("--preset '%1' is not one of %2").arg(id, runPresetIds().join(QStringLiteral(", ")));
    return *preset != nullptr;
}

void addDbOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("db"), QStringLiteral("Run database (default: $METAAUG_DB, else %1).").arg(store::RunStore::defaultPath()),
                      QStringLiteral("PATH")});
}

QString dbPath(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db")) : store::RunStore::defaultPath();
}

}  // namespace metaaug::cli
