// SPDX-License-Identifier: GPL-3.0-or-later
#include "uniformgrid.h"

namespace metaaug::quant {

namespace {
constexpr double kNormP = 2.4;
constexpr int kRatios = 100;  // r = 1.00, 0.99, ..., 0.01

torch::Tensor channelView(const torch::Tensor &v, const torch::Tensor &like)
{
    std::vector<int64_t> shape(like.dim(), 1);
    shape[0] = -1;
    return v.view(shape);
}
}  // namespace

torch::Tensor roundSte(const torch::Tensor &x)
{
    return x + (torch::round(x) - x).detach();
}

torch::Tensor quantizeAsymmetric(const torch::Tensor &w, const torch::Tensor &scale, const torch::Tensor &zeroPoint,
                                 int bits)
{
    const double qmax = double((int64_t(1) << bits) - 1);
    const torch::Tensor s = channelView(scale, w), z = channelView(zeroPoint, w);
    return s * (torch::clamp(torch::round(w / s) + z, 0.0, qmax) - z);
}

AsymmetricGrid searchWeightGrid(const torch::Tensor &weight, int bits)
{
    torch::NoGradGuard ng;
    const auto dtype = weight.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat32;
    const torch::Tensor w = weight.detach().reshape({weight.size(0), -1}).to(dtype);
    const torch::Tensor wmin = std::get<0>(w.min(1)).clamp_max(0.0);
    const torch::Tensor wmax = std::get<0>(w.max(1)).clamp_min(0.0);
    const double qmax = double((int64_t(1) << bits) - 1);
    AsymmetricGrid best;
    best.bits = bits;
    torch::Tensor bestErr;
    for (int i = 0; i < kRatios; ++i) {
        const double r = 1.0 - 0.01 * i;
        const torch::Tensor lo = wmin * r, hi = wmax * r;
        const torch::Tensor scale = ((hi - lo) / qmax).clamp_min(kMinStep);
        const torch::Tensor zp = torch::clamp(torch::round(-lo / scale), 0.0, qmax);
        const torch::Tensor q = quantizeAsymmetric(w, scale, zp, bits);
        const torch::Tensor err = (w - q).abs().pow(kNormP).mean(1);
        if (i == 0) {
            best.scale = scale;
            best.zeroPoint = zp;
            bestErr = err;
            continue;
        }
        const torch::Tensor better = err < bestErr;
        best.scale = torch::where(better, scale, best.scale);
        best.zeroPoint = torch::where(better, zp, best.zeroPoint);
        bestErr = torch::where(better, err, bestErr);
    }
    return best;
}

torch::Tensor quantizeSymmetric(const torch::Tensor &x, const torch::Tensor &step, int64_t qmin, int64_t qmax)
{
    return step * roundSte(torch::clamp(x / step, double(qmin), double(qmax)));
}

SymmetricGrid searchActivationGrid(const torch::Tensor &x, int bits)
{
    torch::NoGradGuard ng;
    const torch::Tensor v = x.detach().to(torch::kFloat32);
    SymmetricGrid g;
    g.bits = bits;
    g.isSigned = v.min().item<double>() < 0;
    const double maxAbs = v.abs().max().item<double>();
    // The error is estimated on an evenly strided sample of at most 2^18
    // elements: the search costs 100 passes, and the full first batch of a
    // 28x28 network is millions of elements (sign and range use all of it).
    constexpr int64_t kSample = int64_t(1) << 18;
    torch::Tensor sample = v.flatten();
    if (sample.numel() > kSample)
        sample = sample.slice(0, 0, sample.numel(), (sample.numel() + kSample - 1) / kSample);
    double bestErr = std::numeric_limits<double>::infinity();
    g.step = kMinStep;
    for (int i = 0; i < kRatios; ++i) {
        const double r = 1.0 - 0.01 * i;
        const double step = std::max(kMinStep, r * maxAbs / double(g.qmax()));
        const torch::Tensor q = quantizeSymmetric(sample, torch::scalar_tensor(step), g.qmin(), g.qmax());
        const double err = (sample - q).abs().pow(kNormP).mean().item<double>();
        if (err < bestErr) {
            bestErr = err;
            g.step = step;
        }
    }
    return g;
}

}  // namespace metaaug::quant
