// SPDX-License-Identifier: GPL-3.0-or-later
#include "uniformgrid.h"

#include <ATen/Parallel.h>

#include <array>
#include <cstring>

namespace metaaug::quant {

namespace {
constexpr double kNormP = 2.4;
constexpr int kRatios = 100;  // r = 1.00, 0.99, ..., 0.01

torch::Tensor channelView(const torch::Tensor &v, const torch::Tensor &like)
{
    std::vector<int64_t> shape(like.dim(), 1);
    shape[0] = -1;
    return v.view(shape);
}
}  // namespace

torch::Tensor roundSte(const torch::Tensor &x)
{
    return x + (torch::round(x) - x).detach();
}

torch::Tensor quantizeAsymmetric(const torch::Tensor &w, const torch::Tensor &scale, const torch::Tensor &zeroPoint,
                                 int bits)
{
    const double qmax = double((int64_t(1) << bits) - 1);
    const torch::Tensor s = channelView(scale, w), z = channelView(zeroPoint, w);
    return s * (torch::clamp(torch::round(w / s) + z, 0.0, qmax) - z);
}

AsymmetricGrid searchWeightGrid(const torch::Tensor &weight, int bits)
{
    torch::NoGradGuard ng;
    const auto dtype = weight.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat32;
    const torch::Tensor w = weight.detach().reshape({weight.size(0), -1}).to(dtype);
    const torch::Tensor wmin = std::get<0>(w.min(1)).clamp_max(0.0);
    const torch::Tensor wmax = std::get<0>(w.max(1)).clamp_min(0.0);
    const double qmax = double((int64_t(1) << bits) - 1);
    AsymmetricGrid best;
    best.bits = bits;
    torch::Tensor bestErr;
    for (int i = 0; i < kRatios; ++i) {
        const double r = 1.0 - 0.01 * i;
        const torch::Tensor lo = wmin * r, hi = wmax * r;
        const torch::Tensor scale = ((hi - lo) / qmax).clamp_min(kMinStep);
        const torch::Tensor zp = torch::clamp(torch::round(-lo / scale), 0.0, qmax);
        const torch::Tensor q = quantizeAsymmetric(w, scale, zp, bits);
        const torch::Tensor err = (w - q).abs().pow(kNormP).mean(1);
        if (i == 0) {
            best.scale = scale;
            best.zeroPoint = zp;
            bestErr = err;
            continue;
        }
        const torch::Tensor better = err < bestErr;
        best.scale = torch::where(better, scale, best.scale);
        best.zeroPoint = torch::where(better, zp, best.zeroPoint);
        bestErr = torch::where(better, err, bestErr);
    }
    return best;
}

torch::Tensor quantizeSymmetric(const torch::Tensor &x, const torch::Tensor &step, int64_t qmin, int64_t qmax)
{
    return step * roundSte(torch::clamp(x / step, double(qmin), double(qmax)));
}

namespace {

// |e|^2.4 for e >= 0 as exp2(2.4 log2 e), with series that a compiler
// vectorises (no libm calls): relative error under 1e-6, far below the gaps
// between the search's candidates. torch's pow was 80 % of the activation
// search (docs/performance.md, "The activation-grid search").
inline float pow24(float e)
{
    uint32_t bits;
    std::memcpy(&bits, &e, sizeof bits);
    const int exponent = int((bits >> 23) & 0xff) - 127;
    const uint32_t mantissaBits = (bits & 0x7fffffu) | 0x3f800000u;
    float m;
    std::memcpy(&m, &mantissaBits, sizeof m);
    // log2(m), m in [1, 2): 2/ln 2 * atanh(t), t = (m - 1)/(m + 1) < 1/3.
    const float t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    const float atanh = t * (1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7 + t2 * (1.0f / 9 + t2 * (1.0f / 11))))));
    float y = 2.4f * (float(exponent) + 2.8853900817779268f * atanh);
    y = y < -126.0f ? -126.0f : (y > 127.0f ? 127.0f : y);
    // 2^y = 2^n * exp(f ln 2), n = floor(y), f in [0, 1).
    const int truncated = int(y);
    const int n = truncated - (float(truncated) > y ? 1 : 0);
    const float f = (y - float(n)) * 0.6931471805599453f;
    const float p = 1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24 + f * (1.0f / 120 + f * (1.0f / 720 + f * (1.0f / 5040 + f * (1.0f / 40320))))))));
    const uint32_t scaleBits = uint32_t(n + 127) << 23;
    float scale;
    std::memcpy(&scale, &scaleBits, sizeof scale);
    return e > 0.0f ? p * scale : 0.0f;
}

// mean |x - q(x)|^2.4 over `x` for the grid step `step` on [qmin, qmax], the
// same q as quantizeSymmetric: clamp(x/step), round half to even, times step.
// Compiled for AVX-512, AVX2 and the baseline; the loader picks the CPU's.
__attribute__((target_clones("avx512f", "avx2", "default"))) double symmetricError(const float *x, int64_t n, float step, float qmin, float qmax)
{
    constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: (c + kRound) - kRound rounds |c| < 2^22 half to even
    double total = 0;
    constexpr int64_t kChunk = 1024;
    for (int64_t begin = 0; begin < n; begin += kChunk) {
        const int64_t end = std::min(n, begin + kChunk);
        float powers[kChunk];
        for (int64_t i = begin; i < end; ++i) {  // a map: vectorised
            float c = x[i] / step;
            c = c < qmin ? qmin : (c > qmax ? qmax : c);
            const float r = (c + kRound) - kRound;
            const float e = x[i] - step * r;
            powers[i - begin] = pow24(e < 0 ? -e : e);
        }
        for (int64_t i = 0; i < end - begin; ++i)
            total += double(powers[i]);
    }
    return total / double(std::max<int64_t>(1, n));
}

}  // namespace

SymmetricGrid searchActivationGrid(const torch::Tensor &x, int bits)
{
    torch::NoGradGuard ng;
    const torch::Tensor v = x.detach().to(torch::kFloat32);
    SymmetricGrid g;
    g.bits = bits;
    g.isSigned = v.min().item<double>() < 0;
    const double maxAbs = v.abs().max().item<double>();
    // The error is estimated on an evenly strided sample of at most 2^18
    // elements: the search costs 100 passes, and the full first batch of a
    // 28x28 network is millions of elements (sign and range use all of it).
    constexpr int64_t kSample = int64_t(1) << 18;
    torch::Tensor sample = v.flatten();
    if (sample.numel() > kSample)
        sample = sample.slice(0, 0, sample.numel(), (sample.numel() + kSample - 1) / kSample);
    sample = sample.contiguous();
    // Every candidate's error is one fused pass; the candidates share the
    // threads (each sum is one thread's, so the result does not depend on
    // their number).
    std::array<double, kRatios> steps{}, errors{};
    for (int i = 0; i < kRatios; ++i)
        steps[size_t(i)] = std::max(kMinStep, (1.0 - 0.01 * i) * maxAbs / double(g.qmax()));
    const float *px = sample.data_ptr<float>();
    const int64_t n = sample.numel();
    at::parallel_for(0, kRatios, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            errors[size_t(i)] = symmetricError(px, n, float(steps[size_t(i)]), float(g.qmin()), float(g.qmax()));
    });
    double bestErr = std::numeric_limits<double>::infinity();
    g.step = kMinStep;
    for (int i = 0; i < kRatios; ++i)
        if (errors[size_t(i)] < bestErr) {
            bestErr = errors[size_t(i)];
            g.step = steps[size_t(i)];
        }
    return g;
}

}  // namespace metaaug::quant
