// SPDX-License-Identifier: GPL-3.0-or-later
// MetaAug's hyperparameters (docs/algorithms.md) with their defaults, read
// from a run spec's method options (JSON keys as below).
#pragma once

#include "augment/unet.h"
#include "common/result.h"

#include <QtCore/QJsonObject>

namespace metaaug::methods {

enum class InnerStep { Adam, Sgd };
enum class MixupMode { Shared, Independent };
enum class TInit { Warmup, None, File };       // how T starts (docs/algorithms.md, "How T starts")
enum class Augment { Transform, Random };     // phase B's second copy: T(x), or the random control

struct MetaAugOptions {
    int metaIterations = 100;      // "meta_iters": M per unit (the public code: 500)
    // Defaults of the bi-level step (inner, t_lr, beta, gamma) are those of
    // the study in docs/results.md, "MetaAug's T": the ones with which T stays near
    // eps and keeps classes through the meta phase. The public code's
    // (adam, 5e-6, 0.5, 30000) are the "paper" preset.
    InnerStep inner = InnerStep::Sgd;   // "inner": adam | sgd
    double innerLr = 1e-3;         // "inner_lr": sgd only; rounding logits' lr, steps scaled alike
    MixupMode mixup = MixupMode::Shared;  // "mixup": shared | independent
    double mixupAlpha = 4.0;       // "mixup_alpha": lambda ~ Beta(a, a)
    double alpha = 5.0;            // "alpha": KL weight
    double beta = 50.0;            // "beta": margin weight
    double gamma = 3000.0;         // "gamma": PKT weight
    double eps = 0.1;              // "eps": margin
    double tau = 4.0;              // "tau": KL temperature
    double tLr = 1e-4;             // "t_lr": Adam lr of T
    double tClip = 0.1;            // "t_clip": gradient-norm clip of T
    int plateauPatience = 100;     // "plateau_patience"
    double plateauFactor = 0.95;   // "plateau_factor"
    int outerBatch = 64;           // "outer_batch": x_v
    augment::UNetOptions unet;     // "t_width", "t_depth" (0 = auto), "t_output": residual | plain,
                                   // "t_bound": none | range, "t_linf", "t_resolution"
    double tvWeight = 0;           // "t_tv": weight of the total variation of T(x) - x in the outer loss
    int imageEvery = 25;           // "image_every": K, image events
    bool phaseBUnion = true;       // "phase_b": union (originals + T(x)) | originals
    int phaseBBatch = 64;          // "phase_b_batch" (with the union)
    TInit tInit = TInit::Warmup;   // "t_init": warmup | none | file:PATH
    QString tInitPath;             // with TInit::File
    bool tFrozen = false;          // "t_frozen": warm up, then no bi-level updates (M ignored)
    Augment augment = Augment::Transform;  // "augment": t | random (no T at all)
    int warmupSteps = 300;         // "warmup_steps": bound on the warm-up's steps
    double warmupLr = 1e-3;        // "warmup_lr"
    double warmupBeta = 1.0;       // "warmup_beta": two-sided margin weight
    double warmupGamma = 30000.0;  // "warmup_gamma": PKT weight during the warm-up (the meta phase's)

    // Whether phase A's bi-level updates run for an inner unit.
    bool metaUpdates() const { return augment == Augment::Transform && !tFrozen && metaIterations > 0; }

    // Unknown keys and out-of-range values are errors naming the key.
    static Result<MetaAugOptions> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

}  // namespace metaaug::methods
