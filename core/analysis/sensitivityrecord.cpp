// SPDX-License-Identifier: GPL-3.0-or-later
#include "sensitivityrecord.h"

#include <cmath>
#include <limits>

namespace metaaug::analysis {

namespace {
constexpr SensitivityKind kKinds[] = {SensitivityKind::Weight, SensitivityKind::Activation, SensitivityKind::ModelWeights,
                                      SensitivityKind::ModelActivations};
}

const char *sensitivityKindName(SensitivityKind k)
{
    switch (k) {
    case SensitivityKind::Weight: return "weight";
    case SensitivityKind::Activation: return "activation";
    case SensitivityKind::ModelWeights: return "model_weights";
    case SensitivityKind::ModelActivations: return "model_activations";
    }
    return "?";
}

std::optional<SensitivityKind> sensitivityKindFromName(const QString &name)
{
    for (SensitivityKind k : kKinds)
        if (name == QLatin1String(sensitivityKindName(k)))
            return k;
    return std::nullopt;
}

QJsonObject SensitivityRecord::toJson() const
{
    return QJsonObject{{QStringLiteral("kind"), QLatin1String(sensitivityKindName(kind))},
                       {QStringLiteral("target"), target},
                       {QStringLiteral("bits"), bits},
                       {QStringLiteral("kl"), kl},
                       {QStringLiteral("agreement"), agreement},
                       // JSON has no infinity: an exact output is null.
                       {QStringLiteral("sqnr_db"), std::isfinite(sqnrDb) ? QJsonValue(sqnrDb) : QJsonValue()},
                       {QStringLiteral("parameters"), qint64(parameters)},
                       {QStringLiteral("macs"), qint64(macs)}};
}

Result<SensitivityRecord> sensitivityRecordFromJson(const QJsonObject &json)
{
    auto bad = [&json](const char *key) {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("sensitivity record %1: '%2' is missing or of the wrong type")
                                                         .arg(json.value(QLatin1String("target")).toString(), QLatin1String(key)));
    };
    SensitivityRecord r;
    const auto kind = sensitivityKindFromName(json.value(QLatin1String("kind")).toString());
    if (!kind)
        return bad("kind");
    r.kind = *kind;
    if (!json.value(QLatin1String("target")).isString())
        return bad("target");
    r.target = json.value(QLatin1String("target")).toString();
    for (const char *key : {"bits", "kl", "agreement", "parameters", "macs"})
        if (!json.value(QLatin1String(key)).isDouble())
            return bad(key);
    r.bits = json.value(QLatin1String("bits")).toInt();
    r.kl = json.value(QLatin1String("kl")).toDouble();
    r.agreement = json.value(QLatin1String("agreement")).toDouble();
    const QJsonValue sqnr = json.value(QLatin1String("sqnr_db"));
    if (!sqnr.isDouble() && !sqnr.isNull())
        return bad("sqnr_db");
    r.sqnrDb = sqnr.isNull() ? std::numeric_limits<double>::infinity() : sqnr.toDouble();
    r.parameters = json.value(QLatin1String("parameters")).toInteger();
    r.macs = json.value(QLatin1String("macs")).toInteger();
    return r;
}

}  // namespace metaaug::analysis
