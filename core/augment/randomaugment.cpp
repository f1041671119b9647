// SPDX-License-Identifier: GPL-3.0-or-later
#include "randomaugment.h"

#include <torch/torch.h>

namespace metaaug::augment {

torch::Tensor randomAugment(const torch::Tensor &images, const RandomAugmentOptions &o, at::Generator gen)
{
    torch::NoGradGuard ng;
    const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
    const int64_t s = o.maxShift >= 0 ? o.maxShift : std::max<int64_t>(1, std::min(h, w) / 8);
    const torch::Tensor padded = torch::replication_pad2d(images, {s, s, s, s});
    const torch::Tensor shifts = torch::randint(0, 2 * s + 1, {n, 2}, gen, torch::kLong);
    const torch::Tensor flips = torch::rand({n}, gen, torch::kFloat);
    const torch::Tensor noise = torch::randn(images.sizes(), gen, images.options());
    torch::Tensor out = torch::empty_like(images);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t dy = shifts[i][0].item<int64_t>(), dx = shifts[i][1].item<int64_t>();
        torch::Tensor g = padded[i].slice(1, dy, dy + h).slice(2, dx, dx + w);
        if (o.horizontalFlip && flips[i].item<float>() < 0.5f)
            g = g.flip({2});
        const torch::Tensor x = images[i];
        const torch::Tensor d = g - x;
        const double m = d.pow(2).mean().item<double>();
        if (m >= o.eps) {
            out[i] = x + d * std::sqrt(o.eps / m);
        } else {
            // Noise made orthogonal to d, scaled to the remaining budget.
            torch::Tensor z = noise[i];
            const double dd = d.pow(2).sum().item<double>();
            if (dd > 0)
                z = z - d * ((z * d).sum().item<double>() / dd);
            const double zm = z.pow(2).mean().item<double>();
            out[i] = g + (zm > 0 ? z * std::sqrt((o.eps - m) / zm) : z);
        }
    }
    return out;
}

}  // namespace metaaug::augment
