// SPDX-License-Identifier: GPL-3.0-or-later
// QDrop's element masks: true where an element keeps its FP value.
#pragma once

#include <torch/types.h>

namespace metaaug::quant {

// Independent Bernoulli(p) per element, shaped like `like`, from torch's
// default generator. For p = 0.5 (QDrop's default) every random 64-bit draw
// gives 32 elements (one bit each) instead of one: the float draws of
// rand_like cost more than the rest of a quantizer.
torch::Tensor dropMask(const torch::Tensor &like, double p);

// where(dropMask(q, p), fp, q) in one pass for float32 tensors without
// autograd history (LibTorch 1.13's where() is a scalar loop: 1.8 ms for
// a 32x16x28x28 batch). Same draws as dropMask().
torch::Tensor qdropMix(const torch::Tensor &fp, const torch::Tensor &q, double p);

}  // namespace metaaug::quant
