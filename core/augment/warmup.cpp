// SPDX-License-Identifier: GPL-3.0-or-later
#include "warmup.h"

#include "metalosses.h"

#include <torch/torch.h>

#include <chrono>

namespace metaaug::augment {

double transformMse(UNet &t, const torch::Tensor &images)
{
    torch::NoGradGuard ng;
    const bool wasTraining = t->is_training();
    t->eval();
    double sum = 0;
    for (int64_t i = 0; i < images.size(0); i += 256) {
        const torch::Tensor x = images.slice(0, i, std::min<int64_t>(i + 256, images.size(0)));
        sum += (t->forward(x) - x).pow(2).sum().item<double>();
    }
    t->train(wasTraining);
    return images.numel() > 0 ? sum / double(images.numel()) : 0.0;
}

WarmupReport warmUpTransform(UNet &t, const torch::Tensor &images, const WarmupOptions &o, const WarmupHooks &hooks,
                             bool *aborted)
{
    const auto start = std::chrono::steady_clock::now();
    *aborted = false;
    const torch::Tensor probe = images.slice(0, 0, std::min<int64_t>(64, images.size(0)));
    WarmupReport r;
    r.startMse = r.finalMse = transformMse(t, probe);
    auto within = [&o](double mse) { return std::abs(mse - o.eps) <= o.tolerance * o.eps; };
    std::vector<torch::Tensor> params = t->parameters();
    torch::optim::Adam adam(params, torch::optim::AdamOptions(o.lr));
    const int64_t n = images.size(0);
    t->train();
    while (!within(r.finalMse) && r.steps < o.maxSteps) {
        if (hooks.abort && hooks.abort()) {
            *aborted = true;
            break;
        }
        const torch::Tensor x = images.index_select(0, torch::randint(n, {std::min<int64_t>(o.batch, n)}, torch::kLong));
        const torch::Tensor xt = t->forward(x);
        const torch::Tensor mse = (xt - x).pow(2).mean();
        torch::Tensor loss = o.beta * (mse - o.eps).abs() / std::max(o.eps, 1e-12);
        torch::Tensor pkt = torch::zeros({}, x.options());
        if (o.gamma > 0 && hooks.features) {
            torch::Tensor target;
            {
                torch::NoGradGuard ng;
                target = hooks.features(x);
            }
            pkt = pktLoss(hooks.features(xt), target);
            loss = loss + o.gamma * pkt;
        }
        adam.zero_grad();
        loss.backward();
        adam.step();
        ++r.steps;
        WarmupStep s{r.steps, loss.item<double>(), mse.item<double>(), pkt.item<double>()};
        if (r.steps % o.checkEvery == 0 || r.steps == o.maxSteps) {
            r.finalMse = transformMse(t, probe);
            s.checkedMse = r.finalMse;
            t->train();
        }
        if (hooks.step)
            hooks.step(s);
    }
    for (torch::Tensor &p : params)
        p.mutable_grad() = torch::Tensor();
    t->eval();
    r.reached = within(r.finalMse);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace metaaug::augment
