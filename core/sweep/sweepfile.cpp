// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepfile.h"

#include "common/paths.h"
#include "run/runspec.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>

namespace metaaug::sweep {

namespace {

constexpr char kOptionsPrefix[] = "method_options.";

Error bad(const QString &where, const QString &why)
{
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("sweep file: %1: %2").arg(where, why));
}

void setAxis(QJsonObject &spec, const QString &key, const QJsonValue &value)
{
    if (key.startsWith(QLatin1String(kOptionsPrefix))) {
        QJsonObject options = spec.value(QLatin1String("method_options")).toObject();
        options[key.mid(int(qstrlen(kOptionsPrefix)))] = value;
        spec[QStringLiteral("method_options")] = options;
    } else {
        spec[key] = value;
    }
}

QString describe(const QJsonObject &coords)
{
    QStringList parts;
    for (auto it = coords.begin(); it != coords.end(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key(), it.value().toVariant().toString());
    return parts.join(QStringLiteral(", "));
}

}  // namespace

Result<SweepFile> SweepFile::fromJson(const QJsonObject &json)
{
    SweepFile f;
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!QStringList{QStringLiteral("name"), QStringLiteral("base"), QStringLiteral("axes"), QStringLiteral("arms")}.contains(it.key()))
            return bad(it.key(), QStringLiteral("is not a sweep-file key (name, base, axes, arms)"));
    f.name = json.value(QLatin1String("name")).toString();
    if (json.contains(QLatin1String("base")) && !json.value(QLatin1String("base")).isObject())
        return bad(QStringLiteral("base"), QStringLiteral("must be an object of run-spec keys"));
    f.base = json.value(QLatin1String("base")).toObject();
    if (json.contains(QLatin1String("axes")) && !json.value(QLatin1String("axes")).isObject())
        return bad(QStringLiteral("axes"), QStringLiteral("must be an object: spec key -> list of values"));
    const QJsonObject axes = json.value(QLatin1String("axes")).toObject();
    for (auto it = axes.begin(); it != axes.end(); ++it) {
        const QString where = QStringLiteral("axes.%1").arg(it.key());
        if (!it.value().isArray() || it.value().toArray().isEmpty())
            return bad(where, QStringLiteral("must be a non-empty list of values"));
        if (it.key() == QLatin1String("method_options") || it.key() == QLatin1String(kOptionsPrefix))
            return bad(where, QStringLiteral("name one option: method_options.<option>"));
        f.axes.push_back({it.key(), it.value().toArray()});
    }
    if (json.contains(QLatin1String("arms")) && !json.value(QLatin1String("arms")).isArray())
        return bad(QStringLiteral("arms"), QStringLiteral("must be a list of partial specs"));
    const QJsonArray arms = json.value(QLatin1String("arms")).toArray();
    for (qsizetype i = 0; i < arms.size(); ++i) {
        if (!arms[i].isObject())
            return bad(QStringLiteral("arms[%1]").arg(i), QStringLiteral("must be an object (a partial spec, with an optional \"label\")"));
        QJsonObject spec = arms[i].toObject();
        SweepArm arm{spec.value(QLatin1String("label")).toString(), {}};
        spec.remove(QStringLiteral("label"));
        if (arm.label.isEmpty())
            arm.label = QStringLiteral("arm %1").arg(i);
        arm.spec = spec;
        f.arms.push_back(arm);
    }
    return f;
}

Result<SweepFile> SweepFile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read sweep file %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("sweep file %1 is not a JSON object: %2 (at byte %3)")
                                                         .arg(path, error.errorString()).arg(error.offset));
    auto parsed = fromJson(doc.object());
    if (!parsed)
        return makeError(parsed.error().code, QStringLiteral("%1: %2").arg(path, parsed.error().message));
    if (parsed->name.isEmpty())
        parsed->name = QFileInfo(path).completeBaseName();
    // Files named relative to the sweep file (so that a sweep file in a
    // repository names the models beside it), wherever they appear.
    const QDir folder = QFileInfo(path).absoluteDir();
    auto resolve = [&folder](QJsonObject &spec) {
        for (const char *key : {"model", "card", "calib", "eval"}) {
            const QString v = spec.value(QLatin1String(key)).toString();
            if (!v.isEmpty() && QDir::isRelativePath(v) && QFileInfo::exists(folder.filePath(v)))
                spec[QLatin1String(key)] = QDir::cleanPath(folder.filePath(v));
        }
    };
    resolve(parsed->base);
    for (SweepArm &a : parsed->arms)
        resolve(a.spec);
    for (SweepAxis &a : parsed->axes)
        if (QStringList{QStringLiteral("model"), QStringLiteral("card"), QStringLiteral("calib"), QStringLiteral("eval")}.contains(a.key))
            for (qsizetype i = 0; i < a.values.size(); ++i) {
                QJsonObject one{{a.key, a.values[i]}};
                resolve(one);
                a.values[i] = one.value(a.key);
            }
    return parsed;
}

QJsonObject SweepFile::toJson() const
{
    QJsonObject axes;
    for (const SweepAxis &a : this->axes)
        axes[a.key] = a.values;
    QJsonArray list;
    for (const SweepArm &a : arms) {
        QJsonObject o = a.spec;
        o[QStringLiteral("label")] = a.label;
        list.append(o);
    }
    QJsonObject out{{QStringLiteral("name"), name}, {QStringLiteral("base"), base}, {QStringLiteral("axes"), axes}};
    if (!arms.empty())
        out[QStringLiteral("arms")] = list;
    return out;
}

Result<std::vector<SweepPoint>> expandSweep(const SweepFile &file)
{
    const std::vector<SweepArm> arms = file.arms.empty() ? std::vector<SweepArm>{SweepArm{}} : file.arms;
    int64_t total = int64_t(arms.size());
    for (const SweepAxis &a : file.axes) {
        total *= a.values.size();
        if (total > kMaxSweepPoints)
            return bad(QStringLiteral("axes"), QStringLiteral("the grid has more than %1 points").arg(kMaxSweepPoints));
    }
    std::vector<SweepPoint> out;
    const int64_t perArm = total / int64_t(arms.size());
    for (size_t armIndex = 0; armIndex < arms.size(); ++armIndex) {
        for (int64_t k = 0; k < perArm; ++k) {
            QJsonObject spec = file.base;
            if (!spec.contains(QLatin1String("model")))
                spec[QStringLiteral("model")] = defaultModelPath();
            spec = mergeSpecJson(spec, arms[armIndex].spec);
            QJsonObject coords;
            if (!file.arms.empty())
                coords[QStringLiteral("arm")] = arms[armIndex].label;
            int64_t rest = k;  // the last axis varies fastest
            std::vector<int64_t> pick(file.axes.size());
            for (size_t a = file.axes.size(); a-- > 0;) {
                pick[a] = rest % file.axes[a].values.size();
                rest /= file.axes[a].values.size();
            }
            for (size_t a = 0; a < file.axes.size(); ++a) {
                const QJsonValue v = file.axes[a].values[pick[a]];
                setAxis(spec, file.axes[a].key, v);
                coords[file.axes[a].key] = v;
            }
            auto parsed = RunSpec::fromJson(spec);
            if (!parsed)
                return bad(QStringLiteral("point %1 (%2)").arg(out.size()).arg(describe(coords)), parsed.error().message);
            QJsonObject complete = parsed->toJson();
            complete[QStringLiteral("model")] = spec.value(QLatin1String("model"));
            if (spec.contains(QLatin1String("card")))
                complete[QStringLiteral("card")] = spec.value(QLatin1String("card"));
            out.push_back({int(out.size()), complete, coords});
        }
    }
    return out;
}

}  // namespace metaaug::sweep
