// SPDX-License-Identifier: GPL-3.0-or-later
// Per-tensor LSQ activation quantizer at a conv/linear input, with QDrop.
#pragma once

#include "uniformgrid.h"

namespace metaaug::quant {

class ActivationQuantizer {
public:
    explicit ActivationQuantizer(int bits = 8) : m_bits(bits) {}

    int bits() const { return m_bits; }
    bool initialized() const { return m_step.defined(); }
    bool isSigned() const { return m_grid.isSigned; }
    double stepValue() const { return m_step.defined() ? m_step.item<double>() : 0.0; }
    const SymmetricGrid &grid() const { return m_grid; }

    // Sign and step from a batch (the first calibration batch).
    void initialize(const torch::Tensor &x);
    void setStepLearnable(bool learnable);
    torch::Tensor &stepParameter() { return m_step; }

    // Quantizes x; with dropProb > 0 each element keeps its FP value with
    // that probability (QDrop, training only). `fused`: one-pass kernel
    // (fusedlsq.h) whose backward cannot be differentiated again.
    torch::Tensor forward(const torch::Tensor &x, double dropProb = 0.0, bool fused = true) const;

private:
    int m_bits;
    SymmetricGrid m_grid;
    torch::Tensor m_step;  // 0-dim, may require grad
};

}  // namespace metaaug::quant
