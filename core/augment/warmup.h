// SPDX-License-Identifier: GPL-3.0-or-later
// The warm-up of MetaAug's T before its first meta phase (docs/algorithms.md,
// "How T starts"): at the exact identity the margin and PKT terms have no
// gradient, so T is first trained away from it, with no meta term, until
// MSE(T(x), x) is within a tolerance of eps.
//
// The loss is beta * |MSE(T(x), x) - eps| / eps + gamma * PKT(features).
// The two-sided distance replaces the margin's hinge max(0, eps - MSE),
// which has no gradient above eps: a plain-output T starts far from x and
// must be pulled in, a residual one starts near x and must be pushed out.
#pragma once

#include "unet.h"

#include <functional>

namespace metaaug::augment {

struct WarmupOptions {
    int maxSteps = 300;     // bound on Adam steps
    double lr = 1e-3;       // Adam lr of T during the warm-up
    double beta = 1.0;      // weight of the two-sided margin term
    double gamma = 30000.0; // weight of PKT (the public code's outer-loss weight)
    double eps = 0.1;       // target MSE(T(x), x)
    double tolerance = 0.25;  // stop once |MSE - eps| <= tolerance * eps
    int batch = 32;
    int checkEvery = 10;    // steps between checks of the stop criterion
};

struct WarmupStep {
    int step = 0;
    double loss = 0, mse = 0, pkt = 0;
    double checkedMse = -1;  // eval-mode MSE on the probe batch, at checks only
};

struct WarmupReport {
    int steps = 0;
    double seconds = 0;
    double startMse = 0, finalMse = 0;  // eval-mode MSE(T(x), x) on the probe batch
    bool reached = false;               // within tolerance of eps at the end
};

struct WarmupHooks {
    std::function<torch::Tensor(const torch::Tensor &)> features;  // FP pooled penultimate features
    std::function<bool()> abort;                                    // true stops with `aborted` set
    std::function<void(const WarmupStep &)> step;                   // after every step
};

// Trains `t` in place on batches drawn from `images` (torch's default
// generator). The stop criterion is checked on the first 64 images with
// T's BatchNorm in eval mode: the T(x) that phase B trains on.
WarmupReport warmUpTransform(UNet &t, const torch::Tensor &images, const WarmupOptions &options, const WarmupHooks &hooks,
                             bool *aborted);

// MSE(T(x), x) in eval mode, over `images` in batches (no gradient).
double transformMse(UNet &t, const torch::Tensor &images);

}  // namespace metaaug::augment
