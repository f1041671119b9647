#include "activationquantizer.h"

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

torch::Tensor ActivationQuantizer::forward(const torch::Tensor &x, double dropProb) const
{
    const torch::Tensor q = quantizeSymmetric(x, m_step, m_grid.qmin(), m_grid.qmax());
    if (dropProb <= 0)
        return q;
    const torch::Tensor keepFp = torch::rand_like(x) < dropProb;
    return torch::where(keepFp, x, q);
}

}  // namespace metaaug::quant
