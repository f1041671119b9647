// SPDX-License-Identifier: GPL-3.0-or-later
// The preprocessing a model expects (channels, resize, crop, scale,
// mean/std): from the model card, overridable on the CLI. No LibTorch in
// this header (the GUI includes it); data/preprocess.h applies it.
#pragma once

#include "common/result.h"

#include <QtCore/QJsonObject>

#include <vector>

namespace metaaug {

struct PreprocessSpec {
    int channels = 1;          // 1 (grayscale) or 3 (RGB)
    int resize = 28;           // shorter side after resizing, pixels (>= crop)
    int height = 28;           // centre crop, pixels
    int width = 28;
    double scale = 1.0 / 255.0;            // applied to 8-bit values before mean/std
    std::vector<double> mean{0.2860};      // one per channel (or one for all)
    std::vector<double> std{0.3530};

    // Reads channels, resize, crop or input_shape, scale, mean, std from a
    // model card object; fields missing keep their defaults.
    static Result<PreprocessSpec> fromJson(const QJsonObject &card, const QString &what);
    // The values as card keys (input_shape, channels, resize, scale, mean,
    // std) that fromJson reads back to an equal spec.
    QJsonObject toJson() const;
    // Checks ranges; the message names the field at fault.
    Result<void> validate() const;
};

}  // namespace metaaug
