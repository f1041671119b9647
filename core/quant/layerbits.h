// SPDX-License-Identifier: GPL-3.0-or-later
// Applies per-layer bit-widths (layerbitsmap.h) to a uniform bit plan.
#pragma once

#include "bitpolicy.h"
#include "layerbitsmap.h"

namespace metaaug::quant {

// The plan with the overrides applied: the first and last layers' policy
// bits are replaced only where the map names them. An unknown layer name,
// the image input given bits, or two layers that share an input point asking
// for different input bits are errors naming them.
Result<BitPlan> applyLayerBits(const graph::Executor &executor, BitPlan plan, const LayerBitsMap &bits);

}  // namespace metaaug::quant
