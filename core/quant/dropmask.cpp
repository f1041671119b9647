// SPDX-License-Identifier: GPL-3.0-or-later
#include "dropmask.h"

#include <torch/torch.h>

namespace metaaug::quant {

namespace {
// One random bit per element, 32 per draw: random_(0, 2^32) on int64 draws
// 64 bits per word, of which the low 32 are used.
torch::Tensor randomWords(int64_t n)
{
    return torch::empty({(n + 31) / 32}, torch::kLong).random_(0, int64_t(1) << 32);
}

template <typename F>
void forEachBit(const torch::Tensor &words, int64_t n, F &&f)
{
    const int64_t *pb = words.data_ptr<int64_t>();
    for (int64_t w = 0; w * 32 < n; ++w) {
        const uint64_t word = uint64_t(pb[w]);
        const int64_t base = w * 32, count = std::min<int64_t>(32, n - base);
        for (int64_t k = 0; k < count; ++k)
            f(base + k, bool((word >> k) & 1u));
    }
}
}  // namespace

torch::Tensor dropMask(const torch::Tensor &like, double p)
{
    if (p != 0.5)
        return torch::rand_like(like) < p;
    torch::Tensor mask = torch::empty(like.sizes(), torch::TensorOptions().dtype(torch::kBool));
    bool *pm = mask.data_ptr<bool>();
    forEachBit(randomWords(like.numel()), like.numel(), [pm](int64_t i, bool bit) { pm[i] = bit; });
    return mask;
}

torch::Tensor qdropMix(const torch::Tensor &fp, const torch::Tensor &q, double p)
{
    if (p != 0.5 || fp.scalar_type() != torch::kFloat32 || q.scalar_type() != torch::kFloat32 || fp.requires_grad() ||
        q.requires_grad() || fp.sizes() != q.sizes())
        return torch::where(dropMask(q, p), fp, q);
    const torch::Tensor a = fp.contiguous(), b = q.contiguous();
    torch::Tensor out = torch::empty_like(b);
    const float *pa = a.data_ptr<float>(), *pq = b.data_ptr<float>();
    float *po = out.data_ptr<float>();
    forEachBit(randomWords(b.numel()), b.numel(), [&](int64_t i, bool bit) { po[i] = bit ? pa[i] : pq[i]; });
    return out;
}

}  // namespace metaaug::quant
