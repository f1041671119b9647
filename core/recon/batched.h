// SPDX-License-Identifier: GPL-3.0-or-later
// Applies f to `in` in slices of `batch` along dim 0 and concatenates the
// results: bounds the memory of whole-set forwards.
#pragma once

#include <torch/torch.h>

namespace metaaug::recon {

template <typename F>
torch::Tensor batched(const torch::Tensor &in, int64_t batch, F &&f)
{
    std::vector<torch::Tensor> parts;
    for (int64_t i = 0; i < in.size(0); i += batch)
        parts.push_back(f(in.slice(0, i, std::min(in.size(0), i + batch))));
    return torch::cat(parts);
}

}  // namespace metaaug::recon
