// SPDX-License-Identifier: GPL-3.0-or-later
// Which bit-width each layer's weight and each conv/linear input gets.
#pragma once

#include "bitrange.h"
#include "graph/executor.h"

#include <QtCore/QStringList>

#include <map>
#include <set>

namespace metaaug::quant {

enum class BitSetting {
    QDrop,  // first conv W8 (image input not quantized), last linear W8A8, rest W b_w A b_a
    Brecq,  // as QDrop, and the second layer's input also at 8 bit
};

struct BitPlan {
    std::map<int, int> weightBits;      // layer node index -> bits
    std::vector<int> activationBits;    // by activation point; 0 = not quantized
};

// The width the first and last layers keep under both settings.
constexpr int kEdgeBits = 8;

// What the setting fixes whatever the bits asked: the first and last layers'
// weights (kEdgeBits), the last layer's input (kEdgeBits), under brecq the
// second layer's input (kEdgeBits), and the image input (FP).
struct PinnedBits {
    std::set<int> layers;  // layer node indices
    std::set<int> points;  // activation point indices
};
PinnedBits pinnedBits(const graph::Executor &executor, BitSetting setting);

BitPlan planBits(const graph::Executor &executor, int wbits, int abits, BitSetting setting);

const char *bitSettingName(BitSetting s);
// Both settings' names, in enum order; the inverse of bitSettingName (a name
// not in the list gives QDrop: callers validate against the list first).
QStringList bitSettingNames();
BitSetting bitSettingFromName(const QString &name);

}  // namespace metaaug::quant
