// SPDX-License-Identifier: GPL-3.0-or-later
#include "weightquantizer.h"

namespace metaaug::quant {

namespace {
constexpr double kZeta = 1.1, kGamma = -0.1;  // stretch of the rectified sigmoid
}

WeightQuantizer::WeightQuantizer(const torch::Tensor &weight, int bits)
    // float32, or double where the caller works in double (gradient checks)
    : m_bits(bits), m_w(weight.detach().to(weight.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat32).contiguous())
{
    AsymmetricGrid g = searchWeightGrid(m_w, bits);
    m_scale = g.scale;
    m_zeroPoint = g.zeroPoint;
}

torch::Tensor WeightQuantizer::channel(const torch::Tensor &v) const
{
    std::vector<int64_t> shape(m_w.dim(), 1);
    shape[0] = -1;
    return v.view(shape);
}

torch::Tensor WeightQuantizer::rectifiedSigmoid(const torch::Tensor &v)
{
    return torch::clamp(torch::sigmoid(v) * (kZeta - kGamma) + kGamma, 0.0, 1.0);
}

void WeightQuantizer::enableAdaRound()
{
    torch::NoGradGuard ng;
    const torch::Tensor x = m_w / channel(m_scale.detach());
    m_floor = torch::floor(x);
    const torch::Tensor rest = (x - m_floor).clamp(1e-6, 1 - 1e-6);
    // Inverse of h on (0, 1): sigmoid(V) = (rest - gamma) / (zeta - gamma)
    m_v = -torch::log((kZeta - kGamma) / (rest - kGamma) - 1.0);
    m_v.set_requires_grad(true);
}

void WeightQuantizer::setScaleLearnable(bool learnable)
{
    m_scale = m_scale.detach().clone();
    m_scale.set_requires_grad(learnable);
}

torch::Tensor WeightQuantizer::quantized(Rounding mode) const
{
    const double qmax = double((int64_t(1) << m_bits) - 1);
    switch (mode) {
    case Rounding::Fp: return m_w;
    case Rounding::Nearest: return quantizeAsymmetric(m_w, m_scale, m_zeroPoint, m_bits);
    case Rounding::Soft:
    case Rounding::Hard: {
        if (!m_v.defined())
            return quantizeAsymmetric(m_w, m_scale, m_zeroPoint, m_bits);
        const torch::Tensor h = mode == Rounding::Soft ? rectifiedSigmoid(m_v) : (m_v >= 0).to(m_w.dtype());
        const torch::Tensor z = channel(m_zeroPoint);
        return channel(m_scale) * (torch::clamp(m_floor + h + z, 0.0, qmax) - z);
    }
    }
    return m_w;
}

torch::Tensor WeightQuantizer::integerCodes() const
{
    torch::NoGradGuard ng;
    const double qmax = double((int64_t(1) << m_bits) - 1);
    const torch::Tensor z = channel(m_zeroPoint);
    if (!m_v.defined())
        return torch::clamp(torch::round(m_w / channel(m_scale)) + z, 0.0, qmax);
    return torch::clamp(m_floor + (m_v >= 0).to(m_w.dtype()) + z, 0.0, qmax);
}

torch::Tensor WeightQuantizer::roundingRegularizer(double beta) const
{
    if (!m_v.defined())
        return torch::zeros({});
    const torch::Tensor h = rectifiedSigmoid(m_v);
    return (1 - (2 * h - 1).abs().pow(beta)).sum();
}

}  // namespace metaaug::quant
