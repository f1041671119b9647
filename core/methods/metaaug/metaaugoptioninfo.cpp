#include "metaaugoptioninfo.h"

namespace metaaug::methods {

const std::vector<MetaAugOptionInfo> &metaAugOptionInfo()
{
    // Ranges as MetaAugOptions::fromJson accepts them.
    static const std::vector<MetaAugOptionInfo> info{
        {"meta-iters", "meta_iters", "Meta iterations", "Meta iterations M per unit: bi-level steps that train T before the unit is reconstructed (default 100; the public code uses 500).", "100", nullptr, 0, 1000000, true},
        {"inner", "inner", "Inner step", "Inner step of the bi-level loop: adam (default, Adam's first step) or sgd.", "adam", "adam|sgd"},
        {"inner-lr", "inner_lr", "Inner learning rate", "Learning rate of the sgd inner step for the rounding logits; step sizes scale alike (default 1e-3).", "0.001", nullptr, 0, 1e6},
        {"mixup", "mixup", "Mixup", "shared (default: one lambda and permutation for both PKT sides) or independent (the public code).", "shared", "shared|independent"},
        {"mixup-alpha", "mixup_alpha", "Mixup alpha", "Mixup lambda ~ Beta(a, a) (default 4).", "4", nullptr, 1e-3, 1e3},
        {"alpha", "alpha", "KL weight (alpha)", "Weight of the KL term of the outer loss (default 5).", "5", nullptr, 0, 1e9},
        {"beta", "beta", "Margin weight (beta)", "Weight of the margin term of the outer loss (default 0.5).", "0.5", nullptr, 0, 1e9},
        {"gamma", "gamma", "PKT weight (gamma)", "Weight of the PKT term of the outer loss (default 30000).", "30000", nullptr, 0, 1e9},
        {"eps", "eps", "Margin epsilon", "Margin epsilon of the margin term (default 0.1).", "0.1", nullptr, 0, 1e3},
        {"tau", "tau", "KL temperature", "Temperature of the KL term (default 4).", "4", nullptr, 1e-3, 1e3},
        {"t-lr", "t_lr", "T learning rate", "Adam learning rate of the transformation network T (default 5e-6).", "5e-06", nullptr, 0, 1},
        {"t-clip", "t_clip", "T gradient clip", "Gradient-norm clip of T (default 0.1).", "0.1", nullptr, 0, 1e9},
        {"plateau-patience", "plateau_patience", "Plateau patience", "Plateau scheduler of T's learning rate: patience in meta iterations (default 100).", "100", nullptr, 0, 1000000, true},
        {"plateau-factor", "plateau_factor", "Plateau factor", "Plateau scheduler factor (default 0.95).", "0.95", nullptr, 1e-6, 1},
        {"outer-batch", "outer_batch", "Outer batch", "Batch of original images for the outer loss (default 64).", "64", nullptr, 1, 65536, true},
        {"t-width", "t_width", "T width", "Base width of the U-Net T (default 16).", "16", nullptr, 1, 1024, true},
        {"t-depth", "t_depth", "T depth", "Down-samplings of T (default 0 = from the input size).", "0", nullptr, 0, 8, true},
        {"t-output", "t_output", "T output", "residual (default, x + U(x), identity at the start) or plain (U(x), the public code).", "residual", "residual|plain"},
        {"image-every", "image_every", "Image events every", "Image events (originals beside T(x)) every K meta iterations (default 25).", "25", nullptr, 1, 1000000, true},
        {"phase-b", "phase_b", "Reconstruction data", "Data of the unit's reconstruction: union (default: originals + T(x)) or originals.", "union", "union|originals"},
        {"phase-b-batch", "phase_b_batch", "Reconstruction batch", "Reconstruction batch with the union (default 64).", "64", nullptr, 1, 65536, true},
    };
    return info;
}

}  // namespace metaaug::methods
