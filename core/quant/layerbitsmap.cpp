// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerbitsmap.h"

#include <QtCore/QRegularExpression>

namespace metaaug::quant {

namespace {

bool inRange(int b)
{
    return b >= kMinBits && b <= kMaxBits;
}

QString rangeText()
{
    return QStringLiteral("%1..%2").arg(kMinBits).arg(kMaxBits);
}

}  // namespace

QString layerBitsPattern()
{
    // name=W or name=W/A, comma-separated, or nothing; names hold no '=' or ','.
    return QStringLiteral("(?:[^=,]+=[0-9]+(?:/[0-9]+)?(?:,[^=,]+=[0-9]+(?:/[0-9]+)?)*)?");
}

Result<LayerBitsMap> parseLayerBits(const QString &text)
{
    LayerBitsMap out;
    if (text.trimmed().isEmpty())
        return out;
    static const QRegularExpression whole(QRegularExpression::anchoredPattern(layerBitsPattern()));
    if (!whole.match(text).hasMatch())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer bits '%1' must read name=W or name=W/A, comma-separated").arg(text));
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString name = part.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = part.section(QLatin1Char('='), 1);
        LayerBits b;
        b.weight = value.section(QLatin1Char('/'), 0, 0).toInt();
        b.activation = value.contains(QLatin1Char('/')) ? value.section(QLatin1Char('/'), 1).toInt() : 0;
        if (!inRange(b.weight) || (b.activation && !inRange(b.activation)))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer %1: bits %2 are outside %3").arg(name, value, rangeText()));
        if (out.count(name))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer %1 is given bits twice").arg(name));
        out[name] = b;
    }
    return out;
}

QString formatLayerBits(const LayerBitsMap &bits)
{
    QStringList parts;
    for (const auto &[name, b] : bits)
        parts << (b.activation ? QStringLiteral("%1=%2/%3").arg(name).arg(b.weight).arg(b.activation)
                               : QStringLiteral("%1=%2").arg(name).arg(b.weight));
    return parts.join(QLatin1Char(','));
}

Result<LayerBitsMap> layerBitsFromJson(const QJsonObject &json)
{
    LayerBitsMap out;
    for (auto it = json.begin(); it != json.end(); ++it) {
        LayerBits b;
        if (it->isDouble()) {
            b.weight = it->toInt();
        } else if (it->isObject()) {
            const QJsonObject o = it->toObject();
            for (auto k = o.begin(); k != o.end(); ++k)
                if (k.key() != QLatin1String("w") && k.key() != QLatin1String("a"))
                    return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer %1: unknown key \"%2\" (w, a)").arg(it.key(), k.key()));
            b.weight = o.value(QLatin1String("w")).toInt();
            b.activation = o.value(QLatin1String("a")).toInt();
        } else {
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer %1: bits must be a number or {\"w\": W, \"a\": A}").arg(it.key()));
        }
        if (!inRange(b.weight) || (b.activation && !inRange(b.activation)))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("layer %1: bits must be whole numbers in %2").arg(it.key(), rangeText()));
        if (it.key().contains(QLatin1Char('=')) || it.key().contains(QLatin1Char(',')))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer name %1 contains '=' or ','").arg(it.key()));
        out[it.key()] = b;
    }
    return out;
}

QJsonObject layerBitsToJson(const LayerBitsMap &bits)
{
    QJsonObject o;
    for (const auto &[name, b] : bits)
        o[name] = b.activation ? QJsonValue(QJsonObject{{QStringLiteral("w"), b.weight}, {QStringLiteral("a"), b.activation}})
                               : QJsonValue(b.weight);
    return o;
}

}  // namespace metaaug::quant
