// Which bit-width each layer's weight and each conv/linear input gets.
#pragma once

#include "graph/executor.h"

#include <QtCore/QString>

#include <map>

namespace metaaug::quant {

enum class BitSetting {
    QDrop,  // first conv W8 (image input not quantized), last linear W8A8, rest W b_w A b_a
    Brecq,  // as QDrop, and the second layer's input also at 8 bit
};

struct BitPlan {
    std::map<int, int> weightBits;      // layer node index -> bits
    std::vector<int> activationBits;    // by activation point; 0 = not quantized
};

// Errors (as a message) for bits outside 2..8.
QString validateBits(int wbits, int abits);

BitPlan planBits(const graph::Executor &executor, int wbits, int abits, BitSetting setting);

const char *bitSettingName(BitSetting s);

}  // namespace metaaug::quant
