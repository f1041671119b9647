// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer bit-widths (issue 20, mixed precision): an override of the
// uniform plan for named layers, as the run spec's `layer_bits` text
// ("conv1=8,layer1.0.conv1=3/4": weight bits, and optionally "/" the bits of
// the layer's input) and as a bits file's JSON ({"conv1": 8,
// "layer1.0.conv1": {"w": 3, "a": 4}}). Names are the layers' names as
// `metaaug info` prints them. No LibTorch in this header (the GUI's bit
// editor writes the same text); layerbits.h applies a map to a plan.
#pragma once

#include "bitrange.h"
#include "common/result.h"

#include <QtCore/QJsonObject>

#include <map>

namespace metaaug::quant {

struct LayerBits {
    int weight = 0;      // 0: the plan's
    int activation = 0;  // bits of the layer's input point; 0: the plan's
};
using LayerBitsMap = std::map<QString, LayerBits>;

// The spec text's accepted form, for its field's pattern.
QString layerBitsPattern();
Result<LayerBitsMap> parseLayerBits(const QString &text);
QString formatLayerBits(const LayerBitsMap &bits);

// A bits file's JSON object; errors name the layer and value at fault.
Result<LayerBitsMap> layerBitsFromJson(const QJsonObject &json);
QJsonObject layerBitsToJson(const LayerBitsMap &bits);

}  // namespace metaaug::quant
