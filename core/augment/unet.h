// SPDX-License-Identifier: GPL-3.0-or-later
// The transformation network T of MetaAug (docs/algorithms.md): a U-Net that
// maps an image batch to a batch of the same shape. With the residual
// output (default) T(x) = x + U(x) and U's last convolution starts at
// zero, so T is exactly the identity (and stuck there: docs/algorithms.md "How T
// starts"; see warmup.h); the plain output (the public code's) returns U(x).
#pragma once

#include <torch/nn.h>

namespace metaaug::augment {

struct UNetOptions {
    int channels = 1;       // image channels, in = out
    int width = 16;         // channels of the first level, doubled per level
    int depth = 0;          // down-samplings; 0 = autoDepth(height, width)
    bool residual = true;   // x + U(x) with zero-initialised last conv
    // Limits on what T may do to an image (docs/algorithms.md, "Keeping T an
    // image"); residual only. Each is the identity where U(x) = 0.
    bool bounded = false;   // T(x) clamped to the data's valid range (setValidRange)
    double linf = 0;        // > 0: |T(x) - x| <= linf on the [0, 1] pixel scale, per pixel
    int resolution = 1;     // U(x) predicted at H/r x W/r and upsampled (a low-frequency T)
};

// Down-samplings for an input of h x w: the most that keep the bottleneck
// at least 3 x 3, capped at 4 (the public code's depth). 28x28 -> 3.
int autoDepth(int64_t h, int64_t w);

class UNetImpl : public torch::nn::Module {
public:
    // `height`/`imageWidth` only resolve depth 0.
    UNetImpl(const UNetOptions &options, int64_t height, int64_t imageWidth);
    torch::Tensor forward(const torch::Tensor &x);

    int depth() const { return m_depth; }
    // The per-channel valid range of a normalised image, [(0 - mean)/std,
    // (max - mean)/std], and std (for linf); needed when bounded or linf > 0.
    void setValidRange(const std::vector<double> &low, const std::vector<double> &high, const std::vector<double> &std);
    // Gives the last convolution N(0, std^2) weights and a zero bias (from
    // torch's default generator): a residual T then starts near, not at, x.
    void randomizeOutput(double std);
    int64_t parameterCount() const;

private:
    torch::Tensor net(const torch::Tensor &x);  // U(x) at x's resolution
    UNetOptions m_options;
    int m_depth = 0;
    torch::nn::ModuleList m_down, m_up, m_upConv;  // double convs, transposed convs, double convs
    torch::nn::Sequential m_bottleneck{nullptr};
    torch::nn::Conv2d m_out{nullptr};
    torch::Tensor m_low, m_high, m_linf;  // [1, C, 1, 1]
};
TORCH_MODULE(UNet);

}  // namespace metaaug::augment
