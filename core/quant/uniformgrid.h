// SPDX-License-Identifier: GPL-3.0-or-later
// Uniform quantization grids and the 2.4-norm clip-ratio search that
// initialises every quantizer (docs/algorithms.md, "Quantizers").
#pragma once

#include <torch/torch.h>

namespace metaaug::quant {

// Smallest step any search returns: keeps constant or all-zero channels
// finite (no division by zero, no NaN).
constexpr double kMinStep = 1.0 / (1 << 26);  // ~1.5e-8, exact in float

// Rounding that passes the gradient straight through: forward round(x),
// backward identity.
torch::Tensor roundSte(const torch::Tensor &x);

struct AsymmetricGrid {
    torch::Tensor scale;      // [O] per output channel, > 0
    torch::Tensor zeroPoint;  // [O], integer-valued floats in [0, 2^bits - 1]
    int bits = 8;
    int64_t qmax() const { return (int64_t(1) << bits) - 1; }
};

// Per-output-channel asymmetric grid for a weight [O, ...]: for each clip
// ratio r = 1.00, 0.99, ..., 0.01 of [min, max] (min <= 0 <= max), the grid
// minimising mean(|w - q(w)|^2.4) per channel is kept.
AsymmetricGrid searchWeightGrid(const torch::Tensor &weight, int bits);

// Round-to-nearest on the grid: s * (clamp(round(w/s) + z, 0, 2^b-1) - z).
// `scale` and `zeroPoint` are [O] and broadcast over w's trailing dims.
torch::Tensor quantizeAsymmetric(const torch::Tensor &w, const torch::Tensor &scale, const torch::Tensor &zeroPoint,
                                 int bits);

struct SymmetricGrid {
    double step = 1.0;
    bool isSigned = false;  // signed: [-2^(b-1), 2^(b-1)-1]; unsigned: [0, 2^b-1]
    int bits = 8;
    int64_t qmin() const { return isSigned ? -(int64_t(1) << (bits - 1)) : 0; }
    int64_t qmax() const { return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1; }
};

// Per-tensor symmetric grid for activations: unsigned when x has no negative
// value, else signed; step by the same 2.4-norm clip search over max|x|.
SymmetricGrid searchActivationGrid(const torch::Tensor &x, int bits);

// s * clamp(round(x/s), qmin, qmax) with straight-through rounding (LSQ);
// `step` may require grad.
torch::Tensor quantizeSymmetric(const torch::Tensor &x, const torch::Tensor &step, int64_t qmin, int64_t qmax);

}  // namespace metaaug::quant
