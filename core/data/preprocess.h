// SPDX-License-Identifier: GPL-3.0-or-later
// How a decoded image becomes a model input: channel conversion, resize of
// the shorter side, centre crop, scale to [0, 1], per-channel mean/std.
#pragma once

#include "preprocessspec.h"

#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <vector>

namespace metaaug {

// Converts a decoded 8-bit image (1, 3 or 4 channels, BGR order as OpenCV
// decodes) to the spec's channels (RGB order), resizes and centre-crops it.
// Returns a CV_8UC1 or CV_8UC3 image of height x width.
cv::Mat prepareImage(const cv::Mat &decoded, const PreprocessSpec &spec);

// uint8 [N, C, H, W] -> float [N, C, H, W]: (x * scale - mean) / std.
torch::Tensor normalizeBatch(const torch::Tensor &u8, const PreprocessSpec &spec);

}  // namespace metaaug
