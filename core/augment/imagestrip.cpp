// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagestrip.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace metaaug::augment {

cv::Mat imageStrip(const torch::Tensor &images, double lo, double hi)
{
    torch::NoGradGuard ng;
    const double scale = hi > lo ? 255.0 / (hi - lo) : 1.0;
    // [N, C, H, W] -> [H, N * W, C]
    const torch::Tensor t = ((images.detach().to(torch::kFloat32) - lo) * scale)
                                .round().clamp(0, 255).to(torch::kUInt8)
                                .permute({2, 0, 3, 1}).reshape({images.size(2), images.size(0) * images.size(3), images.size(1)})
                                .contiguous();
    const int channels = int(images.size(1));
    cv::Mat m(int(t.size(0)), int(t.size(1)), CV_8UC(channels), t.data_ptr<uint8_t>());
    cv::Mat out;
    if (channels == 3)
        cv::cvtColor(m, out, cv::COLOR_RGB2BGR);
    else
        out = m.clone();
    return out;
}

}  // namespace metaaug::augment
