// SPDX-License-Identifier: GPL-3.0-or-later
#include "cardpresets.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace metaaug {

const std::vector<CardPreset> &cardPresets()
{
    static const std::vector<CardPreset> presets{
        {QStringLiteral("imagenet"), QStringLiteral("ImageNet (RGB 224x224 from a 256 resize, ImageNet mean/std)"),
         QJsonObject{{QStringLiteral("input_shape"), QJsonArray{3, 224, 224}},
                     {QStringLiteral("channels"), 3},
                     {QStringLiteral("resize"), 256},
                     {QStringLiteral("crop"), 224},
                     {QStringLiteral("scale"), 1.0 / 255.0},
                     {QStringLiteral("mean"), QJsonArray{0.485, 0.456, 0.406}},
                     {QStringLiteral("std"), QJsonArray{0.229, 0.224, 0.225}}}},
        {QStringLiteral("fashion-mnist"), QStringLiteral("Fashion-MNIST (grayscale 28x28, the bundled models' normalisation)"),
         QJsonObject{{QStringLiteral("input_shape"), QJsonArray{1, 28, 28}},
                     {QStringLiteral("channels"), 1},
                     {QStringLiteral("resize"), 28},
                     {QStringLiteral("crop"), 28},
                     {QStringLiteral("scale"), 1.0 / 255.0},
                     {QStringLiteral("mean"), QJsonArray{0.286}},
                     {QStringLiteral("std"), QJsonArray{0.353}}}},
    };
    return presets;
}

const CardPreset *findCardPreset(const QString &id)
{
    for (const CardPreset &p : cardPresets())
        if (p.id == id)
            return &p;
    return nullptr;
}

QStringList cardPresetIds()
{
    QStringList ids;
    for (const CardPreset &p : cardPresets())
        ids << p.id;
    return ids;
}

Result<ModelCard> cardFromPreset(const QString &id, const QString &modelPath)
{
    const CardPreset *p = findCardPreset(id);
    if (!p)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("card preset '%1' is unknown (presets: %2)").arg(id, cardPresetIds().join(QStringLiteral(", "))));
    QJsonObject json = p->json;
    json[QStringLiteral("name")] = QFileInfo(modelPath).completeBaseName();
    auto card = ModelCard::fromJson(QJsonDocument(json).toJson(), QStringLiteral("card preset %1").arg(id));
    if (card)
        card->path = id;  // what a run spec records: RunSpec::fromJson reads a preset's name back
    return card;
}

}  // namespace metaaug
