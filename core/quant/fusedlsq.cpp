// SPDX-License-Identifier: GPL-3.0-or-later
#include "fusedlsq.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>

namespace metaaug::quant {

namespace {

constexpr int64_t kGrain = 16384;

// Forward stores, per element, whether the input gradient passes (1 byte)
// and d out / d step (float), so the backward is one multiply-add pass.
class FusedLsqFunction : public torch::autograd::Function<FusedLsqFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x, const torch::Tensor &step,
                                 int64_t qmin, int64_t qmax, const torch::Tensor &keepFp)
    {
        const torch::Tensor xc = x.contiguous();
        const float s = step.item<float>();
        torch::Tensor out = torch::empty_like(xc);
        torch::Tensor pass = torch::empty(xc.sizes(), xc.options().dtype(torch::kUInt8));
        torch::Tensor dstep = torch::empty_like(xc);
        const float *px = xc.data_ptr<float>();
        float *po = out.data_ptr<float>(), *pd = dstep.data_ptr<float>();
        uint8_t *pp = pass.data_ptr<uint8_t>();
        const torch::Tensor keep = keepFp.numel() ? keepFp.contiguous() : torch::Tensor();
        const bool *pk = keep.defined() ? keep.data_ptr<bool>() : nullptr;
        const float lo = float(qmin), hi = float(qmax);
        at::parallel_for(0, xc.numel(), kGrain, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const float c = px[i] / s;
                // Same order of operations as the composite: clamp, then round.
                const float cc = c < lo ? lo : (c > hi ? hi : c);
                const float r = std::nearbyint(cc);
                const bool inside = !(c < lo) && !(c > hi);
                const bool kept = pk && pk[i];
                po[i] = kept ? px[i] : s * r;
                pp[i] = kept || inside;
                pd[i] = kept ? 0.0f : (inside ? r - c : cc);
            }
        });
        ctx->save_for_backward({pass, dstep});
        ctx->saved_data["step_sizes"] = step.sizes().vec();
        return out;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &pass = saved[0], &dstep = saved[1];
        const torch::Tensor g = grads[0].contiguous();
        const bool needX = ctx->needs_input_grad(0), needStep = ctx->needs_input_grad(1);
        torch::Tensor gx = needX ? torch::empty_like(g) : torch::Tensor();
        const float *pg = g.data_ptr<float>(), *pd = dstep.data_ptr<float>();
        const uint8_t *pp = pass.data_ptr<uint8_t>();
        float *pgx = needX ? gx.data_ptr<float>() : nullptr;
        if (pgx)
            at::parallel_for(0, g.numel(), kGrain, [&](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i)
                    pgx[i] = pp[i] ? pg[i] : 0.0f;
            });
        torch::Tensor gstep;
        if (needStep) {
            // float partial sums over short runs, added in double
            const double sum = at::parallel_reduce(0, g.numel(), kGrain, 0.0, [&](int64_t begin, int64_t end, double acc) {
                for (int64_t i = begin; i < end; i += 256) {
                    float part = 0.0f;
                    const int64_t stop = std::min(end, i + 256);
                    for (int64_t k = i; k < stop; ++k)
                        part += pg[k] * pd[k];
                    acc += part;
                }
                return acc;
            }, std::plus<double>());
            gstep = torch::full(ctx->saved_data["step_sizes"].toIntVector(), sum, g.options());
        }
        return {gx, gstep, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

}  // namespace

bool fusedLsqSupports(const torch::Tensor &x)
{
    return x.scalar_type() == torch::kFloat32 && x.device().is_cpu();
}

torch::Tensor fusedLsq(const torch::Tensor &x, const torch::Tensor &step, int64_t qmin, int64_t qmax,
                       const torch::Tensor &keepFp)
{
    // Autograd functions take no undefined tensors: an empty mask means none.
    return FusedLsqFunction::apply(x, step, qmin, qmax, keepFp.defined() ? keepFp : torch::empty({0}, torch::kBool));
}

}  // namespace metaaug::quant
