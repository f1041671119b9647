// SPDX-License-Identifier: GPL-3.0-or-later
// Model cards for models that come without one: the preprocessing of the
// common training recipes, by name ("imagenet", "fashion-mnist"). The CLI's
// --card, the GUI's card dialog and the docs read this one table. These are
// card presets, not run presets (run/presets.h).
#pragma once

#include "common/result.h"
#include "modelcard.h"

#include <vector>

namespace metaaug {

struct CardPreset {
    QString id;           // "imagenet"
    QString label;        // "ImageNet (3x224x224, resize 256)"
    QJsonObject json;     // card keys: input_shape, channels, resize, crop, scale, mean, std
};

const std::vector<CardPreset> &cardPresets();
const CardPreset *findCardPreset(const QString &id);
QStringList cardPresetIds();

// The preset's card, named after the model file it is for; its `path` is the
// preset's name.
Result<ModelCard> cardFromPreset(const QString &id, const QString &modelPath);

}  // namespace metaaug
