// SPDX-License-Identifier: GPL-3.0-or-later
// The conventional augmentation control of the MetaAug study (issue 17):
// one randomly augmented copy per calibration image with the same MSE
// budget eps as T(x), so that "augmentation without a learned T" can be
// told apart from MetaAug.
#pragma once

#include <torch/types.h>

namespace metaaug::augment {

struct RandomAugmentOptions {
    double eps = 0.1;         // target MSE(aug(x), x) per image, in the network's input units
    int maxShift = -1;        // pixels; -1 = max(1, min(H, W) / 8)
    bool horizontalFlip = false;  // only where the model card allows it
};

// Per image: a random shift (edges replicated), a horizontal flip with
// probability 1/2 when allowed, then scaled to MSE eps exactly: a geometric
// change above the budget is blended back towards x, one below it gets
// Gaussian noise for the rest. Draws from `gen`.
torch::Tensor randomAugment(const torch::Tensor &images, const RandomAugmentOptions &options, at::Generator gen);

}  // namespace metaaug::augment
