// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationquantizer.h"

#include "dropmask.h"
#include "fusedlsq.h"

namespace metaaug::quant {

void ActivationQuantizer::initialize(const torch::Tensor &x)
{
    m_grid = searchActivationGrid(x, m_bits);
    m_step = torch::scalar_tensor(m_grid.step, torch::kFloat32);
}

void ActivationQuantizer::setStepLearnable(bool learnable)
{
    m_step = m_step.detach().clone();
    m_step.set_requires_grad(learnable);
}

torch::Tensor ActivationQuantizer::forward(const torch::Tensor &x, double dropProb, bool fused) const
{
    if (fused && fusedLsqSupports(x) && fusedLsqSupports(m_step)) {
        // Same random draws as below, so both paths see the same QDrop masks.
        const torch::Tensor keepFp = dropProb > 0 ? dropMask(x, dropProb) : torch::Tensor();
        return fusedLsq(x, m_step, m_grid.qmin(), m_grid.qmax(), keepFp);
    }
    const torch::Tensor q = quantizeSymmetric(x, m_step, m_grid.qmin(), m_grid.qmax());
    if (dropProb <= 0)
        return q;
    const torch::Tensor keepFp = dropMask(x, dropProb);
    // lerp with 0/1 weights is exact and, unlike where(), vectorised in LibTorch 1.13.
    return torch::lerp(q, x, keepFp.to(x.scalar_type()));
}

}  // namespace metaaug::quant
