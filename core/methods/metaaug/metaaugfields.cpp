// SPDX-License-Identifier: GPL-3.0-or-later
#include "metaaugfields.h"

#include "metaaugoptions.h"

namespace metaaug::methods {

namespace {

Field number(const char *key, const char *label, const char *help, double lo, double hi)
{
    Field f;
    f.key = QLatin1String(key);
    f.flag = f.key;
    f.flag.replace(QLatin1Char('_'), QLatin1Char('-'));
    f.label = QLatin1String(label);
    f.help = QString::fromUtf8(help);
    f.type = FieldType::Number;
    f.minimum = lo;
    f.maximum = hi;
    return f;
}

Field integer(const char *key, const char *label, const char *help, double lo, double hi)
{
    Field f = number(key, label, help, lo, hi);
    f.type = FieldType::Integer;
    return f;
}

Field choice(const char *key, const char *label, const char *help, QStringList choices)
{
    Field f = number(key, label, help, 0, 0);
    f.type = FieldType::Choice;
    f.choices = std::move(choices);
    return f;
}

Field boolean(const char *key, const char *label, const char *help)
{
    Field f = number(key, label, help, 0, 0);
    f.type = FieldType::Boolean;
    return f;
}

FieldTable build()
{
    FieldTable t{
        integer("meta_iters", "Meta iterations", "Meta iterations M per unit: bi-level steps that train T before the unit is reconstructed; the public code uses 500.", 0, 1000000),
        choice("inner", "Inner step", "Inner step of the bi-level loop: sgd (plain SGD with --inner-lr) or adam (Adam's first step, the public code's).", {"adam", "sgd"}),
        number("inner_lr", "Inner learning rate", "Learning rate of the sgd inner step for the rounding logits; step sizes scale alike.", 0, 1e6),
        choice("mixup", "Mixup", "shared (one lambda and permutation for both PKT sides) or independent (the public code).", {"shared", "independent"}),
        number("mixup_alpha", "Mixup alpha", "Mixup lambda ~ Beta(a, a).", 1e-3, 1e3),
        number("alpha", "KL weight (alpha)", "Weight of the KL term of the outer loss.", 0, 1e9),
        number("beta", "Margin weight (beta)", "Weight of the margin term of the outer loss; the public code: 0.5.", 0, 1e9),
        number("gamma", "PKT weight (gamma)", "Weight of the PKT term of the outer loss; the public code: 30000.", 0, 1e9),
        number("eps", "Margin epsilon", "Margin epsilon of the margin term: the MSE(T(x), x) T aims at.", 0, 1e3),
        number("tau", "KL temperature", "Temperature of the KL term.", 1e-3, 1e3),
        number("t_lr", "T learning rate", "Adam learning rate of the transformation network T; the public code: 5e-6.", 0, 1),
        number("t_clip", "T gradient clip", "Gradient-norm clip of T.", 0, 1e9),
        integer("plateau_patience", "Plateau patience", "Plateau scheduler of T's learning rate: patience in meta iterations.", 0, 1000000),
        number("plateau_factor", "Plateau factor", "Plateau scheduler factor.", 1e-6, 1),
        integer("outer_batch", "Outer batch", "Batch of original images for the outer loss.", 1, 65536),
        integer("t_width", "T width", "Base width of the U-Net T.", 1, 1024),
        integer("t_depth", "T depth", "Down-samplings of T (0 = from the input size).", 0, 8),
        choice("t_output", "T output", "residual (x + U(x), identity at the start) or plain (U(x), the public code).", {"residual", "plain"}),
        choice("t_bound", "T bound", "range: T(x) is clamped to the data's valid pixel range (per channel, after normalisation), in the warm-up, the meta phase and phase B; none: unbounded (residual T only).", {"none", "range"}),
        number("t_linf", "T per-pixel budget", "> 0: |T(x) - x| <= this per pixel, on the [0, 1] pixel scale (0.1 = 25 of 255 levels); 0: off (residual T only).", 0, 1),
        integer("t_resolution", "T resolution divisor", "T's change is predicted at H/r x W/r and upsampled: a low-frequency T that cannot change single pixels (1: full resolution).", 1, 16),
        number("t_tv", "T smoothness weight", "Weight of the total variation of T(x) - x in the outer loss: a change spread over few pixels costs more.", 0, 1e9),
        integer("image_every", "Image events every", "Image events (originals beside T(x)) every K meta iterations.", 1, 1000000),
        choice("phase_b", "Reconstruction data", "Data of the unit's reconstruction: union (originals + T(x)) or originals.", {"union", "originals"}),
        integer("phase_b_batch", "Reconstruction batch", "Reconstruction batch with the union.", 1, 65536),
        [] {
            Field f = number("t_init", "T start", "How T starts: warmup (trained away from the identity to MSE(T(x), x) = eps before the first unit), none (residual: exactly x; plain: its random init) or file:PATH (a T saved by an earlier run, see `metaaug runs export-t`).", 0, 0);
            f.type = FieldType::Text;
            f.pattern = QStringLiteral("warmup|none|file:.+");
            f.patternHelp = QStringLiteral("warmup, none or file:PATH");
            return f;
        }(),
        boolean("t_frozen", "Freeze T", "Control: warm T up, then skip the bi-level updates (M ignored): augmentation without meta-learning."),
        choice("augment", "Augmentation", "t (phase B on originals + T(x)) or random: the control with a random shift/flip/noise copy of the same MSE budget eps, and no T.", {"t", "random"}),
        integer("warmup_steps", "Warm-up steps", "Bound on T's warm-up steps; it stops earlier once MSE(T(x), x) is within 25 % of eps.", 0, 1000000),
        number("warmup_lr", "Warm-up lr", "Adam learning rate of T during the warm-up.", 0, 1),
        number("warmup_beta", "Warm-up margin weight", "Weight of |MSE(T(x), x) - eps| / eps in the warm-up.", 0, 1e9),
        number("warmup_gamma", "Warm-up PKT weight", "Weight of PKT in the warm-up (the public code's outer-loss weight keeps the FP features; the two-sided margin term still reaches eps in 20-60 steps).", 0, 1e9),
    };
    const QJsonObject defaults = MetaAugOptions{}.toJson();
    for (Field &f : t)
        f.defaultValue = defaults.value(f.key);
    return t;
}

}  // namespace

const FieldTable &metaAugFields()
{
    static const FieldTable table = build();
    return table;
}

}  // namespace metaaug::methods
