// SPDX-License-Identifier: GPL-3.0-or-later
// Per-output-channel weight quantizer: round-to-nearest (RTN) or AdaRound
// soft rounding, with an optionally learnable step (Genie-M).
#pragma once

#include "uniformgrid.h"

namespace metaaug::quant {

enum class Rounding {
    Fp,       // no quantization (layer not reached yet, or FP suffix)
    Nearest,  // RTN on the current step
    Soft,     // AdaRound training: rectified sigmoid h(V)
    Hard,     // AdaRound evaluation/export: h = [V >= 0]
};

class WeightQuantizer {
public:
    // Initialises step and zero point by the 2.4-norm search.
    WeightQuantizer(const torch::Tensor &weight, int bits);

    int bits() const { return m_bits; }
    const torch::Tensor &fpWeight() const { return m_w; }
    const torch::Tensor &scale() const { return m_scale; }        // [O]
    const torch::Tensor &zeroPoint() const { return m_zeroPoint; }  // [O]
    bool hasAdaRound() const { return m_v.defined(); }

    // Creates the rounding logits V with h(V) = frac(w / s0) and freezes
    // floor(w / s0) at the current step s0.
    void enableAdaRound();
    // Makes the step a leaf that requires grad (Genie-M); false detaches it.
    void setScaleLearnable(bool learnable);

    // The quantized weight in the given mode; carries autograd history to
    // V and the step when they require grad.
    torch::Tensor quantized(Rounding mode) const;
    // Integer codes in [0, 2^b - 1] of the hard-rounded weight (export).
    torch::Tensor integerCodes() const;
    // sum(1 - |2 h(V) - 1|^beta); zero without AdaRound.
    torch::Tensor roundingRegularizer(double beta) const;

    torch::Tensor &roundingLogits() { return m_v; }
    torch::Tensor &scaleParameter() { return m_scale; }

    // h(V) = clamp(sigmoid(V) * 1.2 - 0.1, 0, 1)
    static torch::Tensor rectifiedSigmoid(const torch::Tensor &v);

private:
    torch::Tensor channel(const torch::Tensor &v) const;

    int m_bits;
    torch::Tensor m_w;          // FP weight (constant)
    torch::Tensor m_scale;      // [O], may require grad
    torch::Tensor m_zeroPoint;  // [O]
    torch::Tensor m_floor;      // floor(w / s0), AdaRound
    torch::Tensor m_v;          // rounding logits, AdaRound
};

}  // namespace metaaug::quant
