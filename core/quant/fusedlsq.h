// SPDX-License-Identifier: GPL-3.0-or-later
// LSQ activation quantization with QDrop in one pass forward and one pass
// backward (float32, CPU). The composite of LibTorch ops it replaces makes
// about twenty passes over the tensor per quantizer and iteration, most of
// a reconstruction iteration's time on small convolutions.
//
// Its backward is not itself differentiable: where a second derivative is
// needed (MetaAug's inner step, create_graph) use the composite
// quantizeSymmetric() instead.
#pragma once

#include <torch/types.h>

namespace metaaug::quant {

// where(keepFp, x, step * round(clamp(x / step, qmin, qmax))), with the
// gradients of the composite (straight-through rounding, LSQ step gradient:
// round(x/s) - x/s inside the range, qmin / qmax where clamped). `keepFp`
// is a bool tensor shaped like x, or undefined for no QDrop. Forward values
// equal the composite's bit for bit.
torch::Tensor fusedLsq(const torch::Tensor &x, const torch::Tensor &step, int64_t qmin, int64_t qmax,
                       const torch::Tensor &keepFp = {});

// True where fusedLsq() can be used for x (float32 on the CPU).
bool fusedLsqSupports(const torch::Tensor &x);

}  // namespace metaaug::quant
