#include "metaaugoptioninfo.h"

namespace metaaug::methods {

const std::vector<MetaAugOptionInfo> &metaAugOptionInfo()
{
    // Ranges as MetaAugOptions::fromJson accepts them.
    static const std::vector<MetaAugOptionInfo> info{
        {"meta-iters", "meta_iters", "Meta iterations", "Meta iterations M per unit: bi-level steps that train T before the unit is reconstructed (default 100; the public code uses 500).", "100", nullptr, 0, 1000000, true},
        {"inner", "inner", "Inner step", "Inner step of the bi-level loop: sgd (default, plain SGD with --inner-lr) or adam (Adam's first step, the public code's).", "sgd", "adam|sgd"},
        {"inner-lr", "inner_lr", "Inner learning rate", "Learning rate of the sgd inner step for the rounding logits; step sizes scale alike (default 1e-3).", "0.001", nullptr, 0, 1e6},
        {"mixup", "mixup", "Mixup", "shared (default: one lambda and permutation for both PKT sides) or independent (the public code).", "shared", "shared|independent"},
        {"mixup-alpha", "mixup_alpha", "Mixup alpha", "Mixup lambda ~ Beta(a, a) (default 4).", "4", nullptr, 1e-3, 1e3},
        {"alpha", "alpha", "KL weight (alpha)", "Weight of the KL term of the outer loss (default 5).", "5", nullptr, 0, 1e9},
        {"beta", "beta", "Margin weight (beta)", "Weight of the margin term of the outer loss (default 50; the public code: 0.5).", "50", nullptr, 0, 1e9},
        {"gamma", "gamma", "PKT weight (gamma)", "Weight of the PKT term of the outer loss (default 3000; the public code: 30000).", "3000", nullptr, 0, 1e9},
        {"eps", "eps", "Margin epsilon", "Margin epsilon of the margin term (default 0.1).", "0.1", nullptr, 0, 1e3},
        {"tau", "tau", "KL temperature", "Temperature of the KL term (default 4).", "4", nullptr, 1e-3, 1e3},
        {"t-lr", "t_lr", "T learning rate", "Adam learning rate of the transformation network T (default 1e-4; the public code: 5e-6).", "0.0001", nullptr, 0, 1},
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
        {"t-init", "t_init", "T start", "How T starts: warmup (default: trained away from the identity to MSE(T(x), x) = eps before the first unit), none (residual: exactly x; plain: its random init) or file:PATH (a T saved by an earlier run, see `metaaug runs export-t`).", "warmup", nullptr, 0, 0, false, false, true},
        {"t-frozen", "t_frozen", "Freeze T", "Control: warm T up, then skip the bi-level updates (M ignored): augmentation without meta-learning (default off).", "false", nullptr, 0, 0, false, true},
        {"augment", "augment", "Augmentation", "t (default: phase B on originals + T(x)) or random: the control with a random shift/flip/noise copy of the same MSE budget eps, and no T.", "t", "t|random"},
        {"warmup-steps", "warmup_steps", "Warm-up steps", "Bound on T's warm-up steps (default 300; it stops earlier once MSE(T(x), x) is within 25 % of eps).", "300", nullptr, 0, 1000000, true},
        {"warmup-lr", "warmup_lr", "Warm-up lr", "Adam learning rate of T during the warm-up (default 1e-3).", "0.001", nullptr, 0, 1},
        {"warmup-beta", "warmup_beta", "Warm-up margin weight", "Weight of |MSE(T(x), x) - eps| / eps in the warm-up (default 1).", "1", nullptr, 0, 1e9},
        {"warmup-gamma", "warmup_gamma", "Warm-up PKT weight", "Weight of PKT in the warm-up (default 30000, the public code's outer-loss weight: it keeps the FP features; the two-sided margin term still reaches eps in 20-60 steps).", "30000", nullptr, 0, 1e9},
    };
    return info;
}

}  // namespace metaaug::methods
