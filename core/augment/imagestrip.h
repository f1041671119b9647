// SPDX-License-Identifier: GPL-3.0-or-later
// Image batches as 8-bit strips for image events (originals beside T(x)).
#pragma once

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace metaaug::augment {

// [N, C, H, W] (C = 1 or 3, RGB) -> one 8-bit row of N images (gray or
// BGR), values mapped linearly from [lo, hi] to [0, 255] and clipped.
cv::Mat imageStrip(const torch::Tensor &images, double lo, double hi);

}  // namespace metaaug::augment
