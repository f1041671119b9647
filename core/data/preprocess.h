// How a decoded image becomes a model input: channel conversion, resize of
// the shorter side, centre crop, scale to [0, 1], per-channel mean/std.
// The spec comes from the model card and can be overridden on the CLI.
#pragma once

#include "common/result.h"

#include <QtCore/QJsonObject>

#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <vector>

namespace metaaug {

struct PreprocessSpec {
    int channels = 1;          // 1 (grayscale) or 3 (RGB)
    int resize = 28;           // shorter side after resizing, pixels (>= crop)
    int height = 28;           // centre crop, pixels
    int width = 28;
    double scale = 1.0 / 255.0;            // applied to 8-bit values before mean/std
    std::vector<double> mean{0.2860};      // one per channel (or one for all)
    std::vector<double> std{0.3530};

    // Reads channels, resize, crop or input_shape, scale, mean, std from a
    // model card object; fields missing keep their defaults.
    static Result<PreprocessSpec> fromJson(const QJsonObject &card, const QString &what);
    // Checks ranges; the message names the field at fault.
    Result<void> validate() const;
};

// Converts a decoded 8-bit image (1, 3 or 4 channels, BGR order as OpenCV
// decodes) to the spec's channels (RGB order), resizes and centre-crops it.
// Returns a CV_8UC1 or CV_8UC3 image of height x width.
cv::Mat prepareImage(const cv::Mat &decoded, const PreprocessSpec &spec);

// uint8 [N, C, H, W] -> float [N, C, H, W]: (x * scale - mean) / std.
torch::Tensor normalizeBatch(const torch::Tensor &u8, const PreprocessSpec &spec);

}  // namespace metaaug
