// SPDX-License-Identifier: GPL-3.0-or-later
#include "metalosses.h"

#include <torch/torch.h>

namespace metaaug::augment {

torch::Tensor distillationKl(const torch::Tensor &teacherLogits, const torch::Tensor &studentLogits, double tau)
{
    const torch::Tensor logP = torch::log_softmax(teacherLogits / tau, 1);
    const torch::Tensor logQ = torch::log_softmax(studentLogits / tau, 1);
    return (logP.exp() * (logP - logQ)).sum() / double(teacherLogits.size(0));
}

torch::Tensor marginLoss(const torch::Tensor &transformed, const torch::Tensor &original, double eps)
{
    return torch::relu(eps - (transformed - original).pow(2).mean());
}

namespace {
torch::Tensor similarityDistribution(const torch::Tensor &f)
{
    const torch::Tensor n = f / f.norm(2, 1, true).clamp_min(1e-12);
    const torch::Tensor s = (n.mm(n.t()) + 1.0) / 2.0;
    return s / s.sum(1, true);
}
}  // namespace

torch::Tensor pktLoss(const torch::Tensor &student, const torch::Tensor &target)
{
    const torch::Tensor pa = similarityDistribution(student.flatten(1));
    const torch::Tensor pb = similarityDistribution(target.flatten(1));
    return (pb * torch::log((pb + 1e-7) / (pa + 1e-7))).mean();
}

MixupDraw drawMixup(int64_t batch, double a)
{
    MixupDraw d;
    const torch::Tensor g = torch::_standard_gamma(torch::full({2}, a, torch::kDouble));
    const double lambda = g[0].item<double>() / (g[0].item<double>() + g[1].item<double>());
    d.lambda = std::max(lambda, 1.0 - lambda);
    d.permutation = torch::randperm(batch, torch::kLong);
    return d;
}

torch::Tensor mixup(const torch::Tensor &x, const MixupDraw &draw)
{
    return draw.lambda * x + (1.0 - draw.lambda) * x.index_select(0, draw.permutation);
}

}  // namespace metaaug::augment
