// MetaAug's hyperparameters (METAAUG.md §3) with the spec's defaults, read
// from a run spec's method options (JSON keys as below).
#pragma once

#include "augment/unet.h"
#include "common/result.h"

#include <QtCore/QJsonObject>

namespace metaaug::methods {

enum class InnerStep { Adam, Sgd };
enum class MixupMode { Shared, Independent };

struct MetaAugOptions {
    int metaIterations = 100;      // "meta_iters": M per unit (the public code: 500)
    InnerStep inner = InnerStep::Adam;  // "inner": adam | sgd
    double innerLr = 1e-3;         // "inner_lr": sgd only; rounding logits' lr, steps scaled alike
    MixupMode mixup = MixupMode::Shared;  // "mixup": shared | independent
    double mixupAlpha = 4.0;       // "mixup_alpha": lambda ~ Beta(a, a)
    double alpha = 5.0;            // "alpha": KL weight
    double beta = 0.5;             // "beta": margin weight
    double gamma = 30000.0;        // "gamma": PKT weight
    double eps = 0.1;              // "eps": margin
    double tau = 4.0;              // "tau": KL temperature
    double tLr = 5e-6;             // "t_lr": Adam lr of T
    double tClip = 0.1;            // "t_clip": gradient-norm clip of T
    int plateauPatience = 100;     // "plateau_patience"
    double plateauFactor = 0.95;   // "plateau_factor"
    int outerBatch = 64;           // "outer_batch": x_v
    augment::UNetOptions unet;     // "t_width", "t_depth" (0 = auto), "t_output": residual | plain
    int imageEvery = 25;           // "image_every": K, image events
    bool phaseBUnion = true;       // "phase_b": union (originals + T(x)) | originals
    int phaseBBatch = 64;          // "phase_b_batch" (with the union)

    // Unknown keys and out-of-range values are errors naming the key.
    static Result<MetaAugOptions> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

}  // namespace metaaug::methods
