// SPDX-License-Identifier: GPL-3.0-or-later
#include "metastep.h"

#include "quant/dropmask.h"
#include "recon/reconstruction.h"

#include <torch/torch.h>

namespace metaaug::methods {

std::vector<std::vector<torch::Tensor>> innerUpdate(const torch::Tensor &innerLoss, const std::vector<ThetaGroup> &theta,
                                                    const MetaAugOptions &o)
{
    std::vector<torch::Tensor> flat;
    for (const ThetaGroup &g : theta)
        for (torch::Tensor *p : g.params)
            flat.push_back(*p);
    const auto grads = torch::autograd::grad({innerLoss}, flat, {}, /*retain_graph=*/true, /*create_graph=*/true,
                                             /*allow_unused=*/true);
    // sgd: the rounding group gets inner_lr, the step groups keep their ratio to it.
    const double sgdScale = theta.empty() || theta.front().lr <= 0 ? 1.0 : o.innerLr / theta.front().lr;
    std::vector<std::vector<torch::Tensor>> updated;
    size_t k = 0;
    for (const ThetaGroup &g : theta) {
        auto &out = updated.emplace_back();
        for (torch::Tensor *p : g.params) {
            const torch::Tensor &grad = grads[k++];
            if (!grad.defined()) {
                out.push_back(*p);
                continue;
            }
            // Adam's first step from a fresh state: m^ = g, v^ = g^2.
            const torch::Tensor step = o.inner == InnerStep::Adam ? g.lr * grad / (grad.abs() + 1e-8)
                                                                   : (g.lr * sgdScale) * grad;
            out.push_back(*p - step);
        }
    }
    return updated;
}

namespace {
// Swaps theta for theta' for the lifetime of the object.
class ThetaSwap {
public:
    ThetaSwap(const std::vector<ThetaGroup> &theta, const std::vector<std::vector<torch::Tensor>> &updated)
    {
        for (size_t g = 0; g < theta.size(); ++g)
            for (size_t i = 0; i < theta[g].params.size(); ++i) {
                m_saved.emplace_back(theta[g].params[i], *theta[g].params[i]);
                *theta[g].params[i] = updated[g][i];
            }
    }
    ~ThetaSwap()
    {
        for (auto &[ptr, value] : m_saved)
            *ptr = value;
    }
    ThetaSwap(const ThetaSwap &) = delete;
    ThetaSwap &operator=(const ThetaSwap &) = delete;

private:
    std::vector<std::pair<torch::Tensor *, torch::Tensor>> m_saved;
};
}  // namespace

MetaTerms metaOuterLoss(const MetaProblem &p, augment::UNet &t, const MetaAugOptions &o, const MetaBatch &batch)
{
    MetaTerms terms;
    const torch::Tensor &x = batch.images;
    const torch::Tensor xt = t->forward(x);

    // Step 2: inner loss on x' (target without gradient).
    torch::Tensor xFp, target;
    {
        torch::NoGradGuard ng;
        xFp = p.fpPrefix(xt.detach());
        target = p.fpUnit(xFp);
    }
    torch::Tensor input = p.qPrefix(xt);
    if (p.qdropProb > 0)
        input = torch::lerp(input, xFp, quant::dropMask(xFp, p.qdropProb).to(xFp.scalar_type()));  // exact, faster than where()
    torch::Tensor inner = recon::reconstructionLoss(p.qUnit(input, true), target);
    terms.innerRec = inner.item<double>();
    if (batch.roundingBeta)
        inner = inner + p.roundingWeight * p.roundingLoss(*batch.roundingBeta);
    terms.inner = inner.item<double>();

    // Step 3: theta' with create_graph; step 4: the outer loss with theta'.
    const auto updated = innerUpdate(inner, p.theta, o);
    torch::Tensor kl;
    {
        ThetaSwap swap(p.theta, updated);
        kl = augment::distillationKl(batch.outerTeacher, p.fpSuffix(p.qUnit(batch.outerInput, false)), o.tau);
    }
    const torch::Tensor margin = augment::marginLoss(xt, x, o.eps);
    torch::Tensor pkt = torch::zeros({}, x.options());
    if (o.gamma > 0) {
        torch::Tensor targetFeatures;
        {
            torch::NoGradGuard ng;
            targetFeatures = p.fpFeatures(augment::mixup(x, batch.mixOriginal));
        }
        pkt = augment::pktLoss(p.fpFeatures(augment::mixup(xt, batch.mixTransformed)), targetFeatures);
    }
    terms.kl = kl.item<double>();
    terms.margin = margin.item<double>();
    terms.transformMse = (xt.detach() - x).pow(2).mean().item<double>();
    terms.pkt = pkt.item<double>();
    // Total variation of the change: a few large, isolated pixels cost more
    // than a smooth change of the same MSE.
    const torch::Tensor d = xt - x;
    const torch::Tensor tv = (d.slice(2, 1) - d.slice(2, 0, -1)).abs().mean() + (d.slice(3, 1) - d.slice(3, 0, -1)).abs().mean();
    terms.tv = tv.item<double>();
    {
        torch::NoGradGuard ng;
        const torch::Tensor sq = d.detach().pow(2).flatten();
        const double total = sq.sum().item<double>();
        const int64_t k = std::max<int64_t>(1, sq.numel() / 100);
        terms.topShare = total > 0 ? std::get<0>(sq.topk(k)).sum().item<double>() / total : 0.0;
    }
    terms.outer = o.alpha * kl + o.beta * margin + o.gamma * pkt;
    if (o.tvWeight > 0)
        terms.outer = terms.outer + o.tvWeight * tv;
    return terms;
}

}  // namespace metaaug::methods
