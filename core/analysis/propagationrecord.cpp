// SPDX-License-Identifier: GPL-3.0-or-later
#include "propagationrecord.h"

#include <QtCore/QJsonObject>

#include <algorithm>
#include <limits>

namespace metaaug::analysis {

namespace {
QJsonValue dbJson(const std::optional<double> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }
std::optional<double> dbFrom(const QJsonValue &v) { return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt; }
}  // namespace

std::vector<LayerPropagation> rankedByInjected(std::vector<LayerPropagation> rows)
{
    std::stable_sort(rows.begin(), rows.end(), [](const LayerPropagation &a, const LayerPropagation &b) {
        return a.injectedDb.value_or(-std::numeric_limits<double>::infinity()) >
               b.injectedDb.value_or(-std::numeric_limits<double>::infinity());
    });
    return rows;
}

QJsonArray propagationJson(const std::vector<LayerPropagation> &layers)
{
    QJsonArray a;
    for (const LayerPropagation &l : layers)
        a.append(QJsonObject{{"layer", l.layer}, {"local_db", dbJson(l.localDb)}, {"local_weight_db", dbJson(l.localWeightDb)},
                             {"local_activation_db", dbJson(l.localActivationDb)}, {"input_db", dbJson(l.inputDb)},
                             {"output_db", dbJson(l.outputDb)}, {"drop_db", dbJson(l.dropDb)}, {"injected_db", dbJson(l.injectedDb)},
                             {"local_mse", l.localMse}, {"output_mse", l.outputMse}, {"output_cosine", l.outputCosine}});
    return a;
}

std::vector<LayerPropagation> propagationFromJson(const QJsonArray &json)
{
    std::vector<LayerPropagation> out;
    for (const QJsonValue &v : json) {
        const QJsonObject o = v.toObject();
        LayerPropagation l;
        l.layer = o.value(QLatin1String("layer")).toString();
        l.localDb = dbFrom(o.value(QLatin1String("local_db")));
        l.localWeightDb = dbFrom(o.value(QLatin1String("local_weight_db")));
        l.localActivationDb = dbFrom(o.value(QLatin1String("local_activation_db")));
        l.inputDb = dbFrom(o.value(QLatin1String("input_db")));
        l.outputDb = dbFrom(o.value(QLatin1String("output_db")));
        l.dropDb = dbFrom(o.value(QLatin1String("drop_db")));
        l.injectedDb = dbFrom(o.value(QLatin1String("injected_db")));
        l.localMse = o.value(QLatin1String("local_mse")).toDouble();
        l.outputMse = o.value(QLatin1String("output_mse")).toDouble();
        l.outputCosine = o.value(QLatin1String("output_cosine")).toDouble(1.0);
        out.push_back(l);
    }
    return out;
}

QJsonArray findingsJson(const std::vector<Finding> &findings)
{
    QJsonArray a;
    for (const Finding &f : findings)
        a.append(QJsonObject{{"check", f.check}, {"layer", f.layer}, {"channel", f.channel}, {"value", f.value},
                             {"detail", f.detail}, {"experiment", f.experiment}});
    return a;
}

std::vector<Finding> findingsFromJson(const QJsonArray &json)
{
    std::vector<Finding> out;
    for (const QJsonValue &v : json) {
        const QJsonObject o = v.toObject();
        out.push_back({o.value(QLatin1String("check")).toString(), o.value(QLatin1String("layer")).toString(),
                       o.value(QLatin1String("channel")).toInt(-1), o.value(QLatin1String("value")).toDouble(),
                       o.value(QLatin1String("detail")).toString(), o.value(QLatin1String("experiment")).toString()});
    }
    return out;
}

}  // namespace metaaug::analysis
