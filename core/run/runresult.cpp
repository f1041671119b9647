// SPDX-License-Identifier: GPL-3.0-or-later
#include "runresult.h"

#include <QtCore/QJsonArray>

#include <cmath>

namespace metaaug {

namespace {

QJsonValue optional(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject mapJson(const std::map<QString, double> &m)
{
    QJsonObject o;
    for (const auto &[k, v] : m)
        o[k] = v;
    return o;
}

// Reads typed values and remembers the first key of a wrong type.
struct Reader {
    QString bad;
    void number(const QJsonObject &o, const char *key, double &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isDouble())
            out = v.toDouble();
        else if (!v.isUndefined() && !v.isNull() && bad.isEmpty())
            bad = QLatin1String(key);
    }
    void optionalNumber(const QJsonObject &o, const char *key, std::optional<double> &out)
    {
        double d = std::nan("");
        number(o, key, d);
        out = std::isnan(d) ? std::nullopt : std::optional<double>(d);
    }
    void integer(const QJsonObject &o, const char *key, int &out)
    {
        double d = out;
        number(o, key, d);
        out = int(d);
    }
    void text(const QJsonObject &o, const char *key, QString &out)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString())
            out = v.toString();
        else if (!v.isUndefined() && !v.isNull() && bad.isEmpty())
            bad = QLatin1String(key);
    }
    void numbers(const QJsonObject &o, const char *key, std::map<QString, double> &out)
    {
        const QJsonObject m = o.value(QLatin1String(key)).toObject();
        for (auto it = m.begin(); it != m.end(); ++it)
            out[it.key()] = it->toDouble();
    }
};

}  // namespace

QJsonObject RunResult::toJson() const
{
    QJsonArray unitsJson, layersJson;
    for (const UnitResult &u : units) {
        QJsonObject o{{"name", u.name}, {"first_loss", u.firstLoss}, {"final_loss", u.finalLoss},
                      {"seconds", u.seconds}, {"median_iteration_ms", mapJson(u.medianIterationMs)}};
        for (const auto &[k, v] : u.metrics)
            o[k] = v;
        unitsJson.append(o);
    }
    for (const LayerResult &l : layers)
        layersJson.append(QJsonObject{{"name", l.name}, {"wbits", l.wbits}, {"abits", l.abits},
                                      {"weight_sqnr_db", optional(l.weightSqnrDb)}, {"output_sqnr_db", optional(l.outputSqnrDb)},
                                      {"output_mse", l.outputMse}});
    QJsonObject json{{"method", method}, {"wbits", wbits}, {"abits", abits},
                     {"fp_top1", fpTop1}, {"q_top1", qTop1},
                     {"fp_calib_top1", optional(fpCalibTop1)}, {"q_calib_top1", optional(qCalibTop1)}, {"gap", optional(gap)},
                     {"agreement", agreement}, {"kl", kl}, {"weight_bits_avg", optional(weightBitsAvg)},
                     {"weight_bytes", optional(weightBytes)}, {"bops", optional(bops)}, {"eval_n", qint64(evalImages)}, {"seed", seed},
                     {"calib_hash", calibHash}, {"model_sha256", modelSha256}, {"qweights_sha256", qweightsSha256},
                     {"wall_s", wallSeconds}, {"phases", mapJson(phaseSeconds)},
                     {"units", unitsJson}, {"layers", layersJson}, {"spec", spec}};
    if (!propagation.empty())
        json[QStringLiteral("propagation")] = analysis::propagationJson(propagation);
    if (!findings.empty())
        json[QStringLiteral("diagnosis")] = analysis::findingsJson(findings);
    if (!methodSummary.isEmpty())
        json[QStringLiteral("method_summary")] = methodSummary;
    if (runId)
        json[QStringLiteral("run_id")] = qint64(runId);
    return json;
}

Result<RunResult> RunResult::fromJson(const QJsonObject &json)
{
    RunResult r;
    Reader rd;
    rd.text(json, "method", r.method);
    rd.integer(json, "wbits", r.wbits);
    rd.integer(json, "abits", r.abits);
    rd.number(json, "fp_top1", r.fpTop1);
    rd.number(json, "q_top1", r.qTop1);
    rd.optionalNumber(json, "fp_calib_top1", r.fpCalibTop1);
    rd.optionalNumber(json, "q_calib_top1", r.qCalibTop1);
    rd.optionalNumber(json, "gap", r.gap);
    rd.number(json, "agreement", r.agreement);
    rd.number(json, "kl", r.kl);
    rd.optionalNumber(json, "weight_bits_avg", r.weightBitsAvg);
    rd.optionalNumber(json, "weight_bytes", r.weightBytes);
    rd.optionalNumber(json, "bops", r.bops);
    double evalN = 0, runId = 0;
    rd.number(json, "eval_n", evalN);
    rd.number(json, "run_id", runId);
    r.evalImages = int64_t(evalN);
    r.runId = int64_t(runId);
    rd.text(json, "seed", r.seed);
    rd.text(json, "calib_hash", r.calibHash);
    rd.text(json, "model_sha256", r.modelSha256);
    rd.text(json, "qweights_sha256", r.qweightsSha256);
    rd.number(json, "wall_s", r.wallSeconds);
    rd.numbers(json, "phases", r.phaseSeconds);
    static const QStringList unitKeys{"name", "first_loss", "final_loss", "seconds", "median_iteration_ms"};
    for (const QJsonValue &v : json.value(QLatin1String("units")).toArray()) {
        const QJsonObject o = v.toObject();
        UnitResult u;
        rd.text(o, "name", u.name);
        rd.number(o, "first_loss", u.firstLoss);
        rd.number(o, "final_loss", u.finalLoss);
        rd.number(o, "seconds", u.seconds);
        rd.numbers(o, "median_iteration_ms", u.medianIterationMs);
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!unitKeys.contains(it.key()) && it->isDouble())
                u.metrics[it.key()] = it->toDouble();
        r.units.push_back(std::move(u));
    }
    for (const QJsonValue &v : json.value(QLatin1String("layers")).toArray()) {
        const QJsonObject o = v.toObject();
        LayerResult l;
        rd.text(o, "name", l.name);
        rd.integer(o, "wbits", l.wbits);
        rd.integer(o, "abits", l.abits);
        rd.optionalNumber(o, "weight_sqnr_db", l.weightSqnrDb);
        rd.optionalNumber(o, "output_sqnr_db", l.outputSqnrDb);
        rd.number(o, "output_mse", l.outputMse);
        r.layers.push_back(std::move(l));
    }
    r.propagation = analysis::propagationFromJson(json.value(QLatin1String("propagation")).toArray());
    r.findings = analysis::findingsFromJson(json.value(QLatin1String("diagnosis")).toArray());
    r.spec = json.value(QLatin1String("spec")).toObject();
    r.methodSummary = json.value(QLatin1String("method_summary")).toObject();
    if (!rd.bad.isEmpty())
        return makeError(ErrorCode::BadFile, QStringLiteral("run result: \"%1\" has the wrong type").arg(rd.bad));
    return r;
}

QString RunResult::unitLabel(int unit) const
{
    if (unit == -1)
        return QStringLiteral("T's warm-up");
    if (unit >= 0 && size_t(unit) < units.size() && !units[size_t(unit)].name.isEmpty())
        return units[size_t(unit)].name;
    return unit >= 0 ? QStringLiteral("unit %1").arg(unit + 1) : QStringLiteral("unit index %1").arg(unit);
}

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Better: return QStringLiteral("better");
    case Verdict::Worse: return QStringLiteral("worse");
    case Verdict::Same: return QStringLiteral("same");
    case Verdict::Unranked: break;
    }
    return {};
}

Verdict ResultMetric::verdict(double delta) const
{
    if (better == 0 || !std::isfinite(delta))
        return Verdict::Unranked;
    // A delta shown as 0.00 is no change, whatever its sign below the precision.
    const double shown = decimals < 0 ? delta : std::round(delta * std::pow(10.0, decimals));
    if (shown == 0)
        return Verdict::Same;
    return (delta > 0) == (better > 0) ? Verdict::Better : Verdict::Worse;
}

QString ResultMetric::formatDelta(double delta) const
{
    if (decimals >= 0 && std::round(delta * std::pow(10.0, decimals)) == 0)
        return QString::number(0.0, 'f', decimals);  // not "-0.00"
    const QString n = QString::number(delta, decimals < 0 ? 'g' : 'f', decimals < 0 ? 4 : decimals);
    return delta > 0 ? QLatin1Char('+') + n : n;
}

QString ResultMetric::deltaUnit() const
{
    return unit == QLatin1String("%") ? QStringLiteral("pt") : unit;
}

QString ResultMetric::format(const RunResult &r) const
{
    const std::optional<double> v = get(r);
    if (!v || !std::isfinite(*v))
        return QStringLiteral("–");
    const QString n = QString::number(*v, decimals < 0 ? 'g' : 'f', decimals < 0 ? 4 : decimals);
    return unit.isEmpty() ? n : QStringLiteral("%1 %2").arg(n, unit);
}

const std::vector<ResultMetric> &resultMetrics()
{
    static const std::vector<ResultMetric> table{
        {"fp_top1", "FP test top-1", "%", 2, [](const RunResult &r) { return std::optional<double>(r.fpTop1); }},
        {"q_top1", "quantized test top-1", "%", 2, [](const RunResult &r) { return std::optional<double>(r.qTop1); }, +1},
        {"fp_calib_top1", "FP calibration top-1", "%", 2, [](const RunResult &r) { return r.fpCalibTop1; }},
        {"q_calib_top1", "quantized calibration top-1", "%", 2, [](const RunResult &r) { return r.qCalibTop1; }, +1},
        {"gap", "gap calibration − test", "pt", 2, [](const RunResult &r) { return r.gap; }, -1},
        {"agreement", "agreement with FP", "%", 2, [](const RunResult &r) { return std::optional<double>(r.agreement); }, +1},
        {"kl", "KL(FP‖Q)", "", -1, [](const RunResult &r) { return std::optional<double>(r.kl); }, -1},
        {"weight_bits_avg", "weight bits (mean)", "bits", 2, [](const RunResult &r) { return r.weightBitsAvg; }},
        {"weight_bytes", "weight memory", "B", 0, [](const RunResult &r) { return r.weightBytes; }},
        {"bops", "bit-operations per image", "", -1, [](const RunResult &r) { return r.bops; }},
        {"wall_s", "wall time", "s", 1, [](const RunResult &r) { return std::optional<double>(r.wallSeconds); }, -1},
        {"t_mse_final", "MetaAug: MSE(T(x), x) at the end", "", 4, [](const RunResult &r) {
             const QJsonValue v = r.methodSummary.value(QLatin1String("t_mse_final"));
             return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
         }},
    };
    return table;
}

const ResultMetric *findResultMetric(const QString &key)
{
    for (const ResultMetric &m : resultMetrics())
        if (m.key == key)
            return &m;
    return nullptr;
}

QStringList storedResultColumns()
{
    return {QStringLiteral("q_top1"), QStringLiteral("gap")};
}

}  // namespace metaaug
