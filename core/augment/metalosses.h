// SPDX-License-Identifier: GPL-3.0-or-later
// The outer-loss terms of MetaAug (docs/algorithms.md, "MetaAug") and mixup.
#pragma once

#include <torch/types.h>

namespace metaaug::augment {

// KL(softmax(teacher / tau) || softmax(student / tau)), "batchmean":
// summed over classes, averaged over the batch.
torch::Tensor distillationKl(const torch::Tensor &teacherLogits, const torch::Tensor &studentLogits, double tau);

// max(0, eps - mean((transformed - original)^2)): keeps T away from the identity.
torch::Tensor marginLoss(const torch::Tensor &transformed, const torch::Tensor &original, double eps);

// Probabilistic knowledge transfer between feature batches [B, D]: rows
// L2-normalised, cosine similarities mapped to [0, 1], rows normalised to
// sum 1; mean of P_target * log((P_target + 1e-7) / (P_student + 1e-7)).
// `target` is the original images' side.
torch::Tensor pktLoss(const torch::Tensor &student, const torch::Tensor &target);

// One mixup draw: lambda ~ Beta(a, a) folded to >= 0.5 and a permutation
// of the batch, from torch's default generator.
struct MixupDraw {
    double lambda = 1.0;
    torch::Tensor permutation;
};
MixupDraw drawMixup(int64_t batch, double a = 4.0);
torch::Tensor mixup(const torch::Tensor &x, const MixupDraw &draw);

}  // namespace metaaug::augment
