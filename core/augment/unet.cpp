// SPDX-License-Identifier: GPL-3.0-or-later
#include "unet.h"

namespace metaaug::augment {

namespace nn = torch::nn;

namespace {
// conv3x3 - BN - ReLU, twice
nn::Sequential doubleConv(int64_t in, int64_t out)
{
    nn::Sequential s;
    for (int64_t c : {in, out}) {
        s->push_back(nn::Conv2d(nn::Conv2dOptions(c, out, 3).padding(1).bias(false)));
        s->push_back(nn::BatchNorm2d(out));
        s->push_back(nn::ReLU(nn::ReLUOptions(true)));
    }
    return s;
}
}  // namespace

int autoDepth(int64_t h, int64_t w)
{
    int d = 0;
    while (d < 4 && std::min(h, w) / (int64_t(1) << (d + 1)) >= 3)
        ++d;
    return d;
}

UNetImpl::UNetImpl(const UNetOptions &options, int64_t height, int64_t imageWidth) : m_options(options)
{
    const int r = std::max(1, options.resolution);
    m_depth = options.depth > 0 ? options.depth : autoDepth(height / r, imageWidth / r);
    m_down = register_module("down", nn::ModuleList());
    m_up = register_module("up", nn::ModuleList());
    m_upConv = register_module("up_conv", nn::ModuleList());
    int64_t in = options.channels, w = options.width;
    for (int l = 0; l < m_depth; ++l) {
        m_down->push_back(doubleConv(in, w << l));
        in = w << l;
    }
    m_bottleneck = register_module("bottleneck", doubleConv(in, w << m_depth));
    for (int l = m_depth - 1; l >= 0; --l) {
        m_up->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(w << (l + 1), w << l, 2).stride(2)));
        m_upConv->push_back(doubleConv(w << (l + 1), w << l));
    }
    m_out = register_module("out", nn::Conv2d(nn::Conv2dOptions(w, options.channels, 1)));
    if (options.residual) {
        torch::NoGradGuard ng;
        m_out->weight.zero_();
        m_out->bias.zero_();
    }
}

void UNetImpl::setValidRange(const std::vector<double> &low, const std::vector<double> &high, const std::vector<double> &std)
{
    auto channels = [this](const std::vector<double> &v) {
        torch::Tensor t = torch::tensor(std::vector<float>(v.begin(), v.end()));
        if (t.numel() == 1)
            t = t.expand({m_options.channels}).contiguous();
        return t.view({1, -1, 1, 1});
    };
    m_low = channels(low);
    m_high = channels(high);
    m_linf = channels(std).reciprocal() * float(m_options.linf);  // linf on the [0, 1] scale, normalised per channel
}

torch::Tensor UNetImpl::forward(const torch::Tensor &x)
{
    const int r = std::max(1, m_options.resolution);
    torch::Tensor u = net(r > 1 ? torch::avg_pool2d(x, r, r, 0, /*ceil_mode=*/true) : x);
    if (r > 1)
        u = torch::upsample_bilinear2d(u, {x.size(2), x.size(3)}, /*align_corners=*/false);
    if (!m_options.residual)
        return u;
    if (m_options.linf > 0) {
        TORCH_CHECK(m_linf.defined(), "T has an L-infinity bound but no valid range (setValidRange)");
        u = torch::clamp(u, -m_linf, m_linf);  // clamp, not min/max: at a bound the gradient passes whole
    }
    torch::Tensor t = x + u;
    if (m_options.bounded) {
        TORCH_CHECK(m_low.defined(), "T is bounded but has no valid range (setValidRange)");
        t = torch::clamp(t, m_low, m_high);
    }
    return t;
}

torch::Tensor UNetImpl::net(const torch::Tensor &x)
{
    std::vector<torch::Tensor> skips;
    torch::Tensor h = x;
    for (int l = 0; l < m_depth; ++l) {
        h = m_down[l]->as<nn::Sequential>()->forward(h);
        skips.push_back(h);
        h = torch::max_pool2d(h, 2);
    }
    h = m_bottleneck->forward(h);
    for (int i = 0; i < m_depth; ++i) {
        const torch::Tensor &skip = skips[m_depth - 1 - i];
        h = m_up[i]->as<nn::ConvTranspose2d>()->forward(h);
        // Odd sizes (28 -> 14 -> 7 -> 3): pad the up-sampled map to the skip's size.
        const int64_t dh = skip.size(2) - h.size(2), dw = skip.size(3) - h.size(3);
        if (dh || dw)
            h = torch::constant_pad_nd(h, {dw / 2, dw - dw / 2, dh / 2, dh - dh / 2});
        h = m_upConv[i]->as<nn::Sequential>()->forward(torch::cat({skip, h}, 1));
    }
    return m_out->forward(h);
}

void UNetImpl::randomizeOutput(double std)
{
    torch::NoGradGuard ng;
    m_out->weight.normal_(0.0, std);
    m_out->bias.zero_();
}

int64_t UNetImpl::parameterCount() const
{
    int64_t n = 0;
    for (const auto &p : parameters())
        n += p.numel();
    return n;
}

}  // namespace metaaug::augment
