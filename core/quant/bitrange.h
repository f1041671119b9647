// SPDX-License-Identifier: GPL-3.0-or-later
// The bit-widths the quantizers support, weights and activations alike: the
// one range the run spec's table (run/specfields), and through it the CLI,
// GUI and schema, read. No LibTorch in this header.
#pragma once

namespace metaaug::quant {

constexpr int kMinBits = 2, kMaxBits = 8;

}  // namespace metaaug::quant
