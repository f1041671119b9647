// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelcard.h"

#include "cardpresets.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace metaaug {

Result<ModelCard> ModelCard::fromJson(const QByteArray &bytes, const QString &what)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError)
        return makeError(ErrorCode::BadFile, QStringLiteral("model card %1 is not valid JSON at offset %2: %3")
                                                 .arg(what).arg(err.offset).arg(err.errorString()));
    if (!doc.isObject())
        return makeError(ErrorCode::BadFile, QStringLiteral("model card %1 must hold a JSON object").arg(what));
    ModelCard card;
    card.json = doc.object();
    card.name = card.json.value(QStringLiteral("name")).toString();
    auto spec = PreprocessSpec::fromJson(card.json, QStringLiteral("model card %1").arg(what));
    if (!spec)
        return spec.error();
    card.preprocess = *spec;
    for (const QJsonValue &v : card.json.value(QStringLiteral("class_names")).toArray())
        card.classNames << v.toString();
    card.fpTestTop1 = card.json.value(QStringLiteral("fp_test_top1")).toDouble(-1);
    if (const QJsonValue flip = card.json.value(QStringLiteral("hflip")); !flip.isUndefined()) {
        if (!flip.isBool())
            return makeError(ErrorCode::BadFile, QStringLiteral("model card %1: \"hflip\" must be true or false").arg(what));
        card.horizontalFlip = flip.toBool();
    }
    return card;
}

Result<ModelCard> ModelCard::load(const QString &cardPath)
{
    QFile f(cardPath);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read model card %1: %2").arg(cardPath, f.errorString()));
    if (f.size() > 16 * 1024 * 1024)
        return makeError(ErrorCode::BadFile, QStringLiteral("model card %1 is larger than 16 MiB").arg(cardPath));
    auto card = fromJson(f.readAll(), cardPath);
    if (card)
        card->path = cardPath;
    return card;
}

QJsonObject ModelCard::toRecord() const
{
    QJsonObject r = json;
    const QJsonObject values = preprocess.toJson();
    for (auto it = values.begin(); it != values.end(); ++it)
        r[it.key()] = it.value();
    r.remove(QStringLiteral("crop"));  // input_shape holds the crop
    if (!classNames.isEmpty())
        r[QStringLiteral("class_names")] = QJsonArray::fromStringList(classNames);
    if (!path.isEmpty())
        r[QStringLiteral("source")] = path;
    if (findCardPreset(path))
        r[QStringLiteral("preset")] = path;
    return r;
}

Result<ModelCard> ModelCard::fromRecord(const QJsonObject &record, const QString &what)
{
    auto card = fromJson(QJsonDocument(record).toJson(QJsonDocument::Compact), what);
    if (card)
        card->path = record.value(QStringLiteral("source")).toString();
    return card;
}

QString cardPathFor(const QString &modelPath)
{
    const QFileInfo fi(modelPath);
    return fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".json"));
}

Result<ModelCard> cardForModel(const QString &modelPath, const std::optional<ModelCard> &override)
{
    if (override)
        return *override;
    const QString cardPath = cardPathFor(modelPath);
    if (!QFileInfo::exists(cardPath))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("model %1 has no model card: write %2 (input_shape, mean, std) "
                                        "or choose a card preset").arg(modelPath, cardPath));
    return ModelCard::load(cardPath);
}

}  // namespace metaaug
