// SPDX-License-Identifier: GPL-3.0-or-later
// One MetaAug meta iteration (docs/algorithms.md, "MetaAug"), written against a
// small interface to the network around unit b so that the same code runs
// on the engine and, in double precision, in the hypergradient test.
#pragma once

#include "augment/metalosses.h"
#include "augment/unet.h"
#include "metaaugoptions.h"

#include <functional>
#include <optional>

namespace metaaug::methods {

// The quantization parameters of unit b (theta), by address: the meta step
// temporarily replaces them with theta' to run the unit, then restores them.
struct ThetaGroup {
    std::vector<torch::Tensor *> params;
    double lr = 0;  // this group's reconstruction learning rate
};

struct MetaProblem {
    using Fn = std::function<torch::Tensor(const torch::Tensor &)>;
    Fn fpPrefix;    // images -> unit input, FP model (no gradient needed)
    Fn qPrefix;     // images -> unit input, quantized prefix (gradient to the images)
    Fn fpUnit;      // unit input -> FP unit output
    std::function<torch::Tensor(const torch::Tensor &, bool train)> qUnit;  // with the current theta; train: QDrop
    Fn fpSuffix;    // unit output -> logits (FP)
    Fn fpFeatures;  // images -> pooled penultimate features (FP)
    std::function<torch::Tensor(double beta)> roundingLoss;  // rounding regulariser of theta
    double roundingWeight = 1.0;
    double qdropProb = 0.5;   // inner loss: QDrop mix of the quantized and FP unit inputs (draws from torch's RNG)
    std::vector<ThetaGroup> theta;
};

// The data of one iteration, drawn by the caller (so the loss is a
// deterministic function of T's weights).
struct MetaBatch {
    torch::Tensor images;        // x, [B, C, H, W] originals
    torch::Tensor outerInput;    // quantized-prefix unit input of x_v (cached)
    torch::Tensor outerTeacher;  // FP logits of x_v (cached)
    std::optional<double> roundingBeta;  // none: no rounding term yet
    augment::MixupDraw mixTransformed, mixOriginal;  // equal in the shared mode
};

struct MetaTerms {
    torch::Tensor outer;        // L_out, with history to T
    double inner = 0, kl = 0, margin = 0, pkt = 0;
    double transformMse = 0;    // MSE(T(x), x) as the margin sees it (T's BatchNorm in training mode)
    double innerRec = 0;        // the inner loss's reconstruction term alone (on T(x))
    double tv = 0;              // total variation of T(x) - x (in the outer loss with weight t_tv)
    double topShare = 0;        // share of sum (T(x) - x)^2 in the top 1 % of values: a few saturated pixels near 1
};

// theta' = theta - step(d inner / d theta), differentiable w.r.t. whatever
// the inner loss depends on (create_graph).
std::vector<std::vector<torch::Tensor>> innerUpdate(const torch::Tensor &innerLoss, const std::vector<ThetaGroup> &theta,
                                                    const MetaAugOptions &o);

// Steps 1-4: x' = T(x), the inner loss, theta', and L_out on x_v. Leaves
// theta as it was.
MetaTerms metaOuterLoss(const MetaProblem &p, augment::UNet &t, const MetaAugOptions &o, const MetaBatch &batch);

}  // namespace metaaug::methods
