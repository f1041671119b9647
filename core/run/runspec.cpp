#include "runspec.h"

#include <cmath>
#include <functional>
#include <limits>

namespace metaaug {

QJsonObject RunSpec::toJson() const
{
    QJsonObject json{{QStringLiteral("model"), modelPath},
                       {QStringLiteral("method"), method},
                       {QStringLiteral("wbits"), wbits},
                       {QStringLiteral("abits"), abits},
                       {QStringLiteral("setting"), QLatin1String(quant::bitSettingName(setting))},
                       {QStringLiteral("fold_bn"), foldBatchNorm},
                       {QStringLiteral("calib"), calibSource},
                       {QStringLiteral("calib_size"), qint64(calibSize)},
                       {QStringLiteral("eval"), evalSource},
                       {QStringLiteral("eval_limit"), qint64(evalLimit)},
                       {QStringLiteral("iters"), iterations},
                       {QStringLiteral("batch"), batch},
                       {QStringLiteral("seed"), QString::number(seed)},
                       {QStringLiteral("threads"), threads},
                       {QStringLiteral("probe_every"), probeEvery},
                       {QStringLiteral("method_options"), methodOptions},
                       {QStringLiteral("engine_version"), QStringLiteral(METAAUG_VERSION)}};
    if (card && !card->path.isEmpty())
        json[QStringLiteral("card")] = card->path;
    return json;
}

namespace {

Error badKey(const char *key, const QString &why)
{
    return Error{ErrorCode::InvalidArgument, QStringLiteral("run spec: \"%1\" %2").arg(QLatin1String(key), why)};
}

// Reads an integer in [lo, hi]; seeds may come as decimal strings (64-bit).
std::optional<Error> readInt(const QJsonObject &json, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return std::nullopt;
    bool ok = false;
    int64_t x = 0;
    if (v.isDouble()) {
        const double d = v.toDouble();
        ok = d == std::floor(d) && std::abs(d) < 9.0e15;
        x = int64_t(d);
    } else if (v.isString()) {
        x = v.toString().toLongLong(&ok);
    }
    if (!ok)
        return badKey(key, QStringLiteral("must be an integer (got %1)")
                               .arg(v.isString() ? v.toString() : v.isDouble() ? QString::number(v.toDouble()) : QStringLiteral("a non-number")));
    if (x < lo || x > hi)
        return badKey(key, QStringLiteral("must be in %1..%2 (got %3)").arg(lo).arg(hi).arg(x));
    *out = x;
    return std::nullopt;
}

std::optional<Error> readString(const QJsonObject &json, const char *key, QString *out)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return std::nullopt;
    if (!v.isString())
        return badKey(key, QStringLiteral("must be a string"));
    *out = v.toString();
    return std::nullopt;
}

}  // namespace

Result<RunSpec> RunSpec::fromJson(const QJsonObject &json)
{
    RunSpec s;
    int64_t v = 0;
    QString setting = QLatin1String(quant::bitSettingName(s.setting)), cardPath;
    std::optional<Error> e;
    if ((e = readString(json, "model", &s.modelPath)) || (e = readString(json, "method", &s.method))
        || (e = readString(json, "calib", &s.calibSource)) || (e = readString(json, "eval", &s.evalSource))
        || (e = readString(json, "setting", &setting)) || (e = readString(json, "card", &cardPath)))
        return *e;
    struct IntField {
        const char *key;
        int64_t lo, hi;
        std::function<void(int64_t)> set;
    };
    const IntField ints[] = {
        {"wbits", 2, 8, [&](int64_t x) { s.wbits = int(x); }},
        {"abits", 2, 8, [&](int64_t x) { s.abits = int(x); }},
        {"calib_size", 1, 100000000, [&](int64_t x) { s.calibSize = x; }},
        {"eval_limit", 0, 1000000000, [&](int64_t x) { s.evalLimit = x; }},
        {"iters", 0, 10000000, [&](int64_t x) { s.iterations = int(x); }},
        {"batch", 1, 65536, [&](int64_t x) { s.batch = int(x); }},
        {"seed", 0, std::numeric_limits<int64_t>::max(), [&](int64_t x) { s.seed = uint64_t(x); }},
        {"threads", 1, 256, [&](int64_t x) { s.threads = int(x); }},
        {"probe_every", 0, 10000000, [&](int64_t x) { s.probeEvery = int(x); }},
    };
    for (const IntField &f : ints) {
        v = std::numeric_limits<int64_t>::min();
        if ((e = readInt(json, f.key, f.lo, f.hi, &v)))
            return *e;
        if (v != std::numeric_limits<int64_t>::min())
            f.set(v);
    }
    if (setting == QLatin1String("qdrop"))
        s.setting = quant::BitSetting::QDrop;
    else if (setting == QLatin1String("brecq"))
        s.setting = quant::BitSetting::Brecq;
    else
        return badKey("setting", QStringLiteral("must be qdrop or brecq (got %1)").arg(setting));
    const QJsonValue fold = json.value(QLatin1String("fold_bn"));
    if (!fold.isUndefined() && !fold.isBool())
        return badKey("fold_bn", QStringLiteral("must be true or false"));
    s.foldBatchNorm = fold.toBool(true);
    const QJsonValue options = json.value(QLatin1String("method_options"));
    if (!options.isUndefined() && !options.isObject())
        return badKey("method_options", QStringLiteral("must be an object"));
    s.methodOptions = options.toObject();
    if (s.modelPath.isEmpty())
        return badKey("model", QStringLiteral("is missing or empty"));
    if (!cardPath.isEmpty()) {
        auto card = ModelCard::load(cardPath);
        if (!card)
            return card.error();
        s.card = *card;
    }
    return s;
}

}  // namespace metaaug
