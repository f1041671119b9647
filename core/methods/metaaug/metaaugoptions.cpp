// SPDX-License-Identifier: GPL-3.0-or-later
#include "metaaugoptions.h"

#include "metaaugfields.h"

#include <QtCore/QStringList>

namespace metaaug::methods {

namespace {

// Reads values already checked against metaAugFields() (ranges live there).
struct Reader {
    const QJsonObject &json;

    bool has(const char *key) const { return json.contains(QLatin1String(key)); }
    void number(const char *key, double &out) const { if (has(key)) out = json.value(QLatin1String(key)).toDouble(); }
    void integer(const char *key, int &out) const { if (has(key)) out = json.value(QLatin1String(key)).toInt(); }
    void boolean(const char *key, bool &out) const { if (has(key)) out = json.value(QLatin1String(key)).toBool(); }
    // The index of the value in `choices` (the field's own list), or -1 when absent.
    int choice(const char *key, const QStringList &choices) const
    {
        return has(key) ? int(choices.indexOf(json.value(QLatin1String(key)).toString())) : -1;
    }
};

}  // namespace

Result<MetaAugOptions> MetaAugOptions::fromJson(const QJsonObject &json)
{
    if (auto ok = checkFields(metaAugFields(), json, QStringLiteral("metaaug option")); !ok)
        return ok.error();
    MetaAugOptions o;
    const Reader r{json};
    r.integer("meta_iters", o.metaIterations);
    if (const int i = r.choice("inner", {QStringLiteral("adam"), QStringLiteral("sgd")}); i >= 0)
        o.inner = InnerStep(i);
    r.number("inner_lr", o.innerLr);
    if (const int i = r.choice("mixup", {QStringLiteral("shared"), QStringLiteral("independent")}); i >= 0)
        o.mixup = MixupMode(i);
    r.number("mixup_alpha", o.mixupAlpha);
    r.number("alpha", o.alpha);
    r.number("beta", o.beta);
    r.number("gamma", o.gamma);
    r.number("eps", o.eps);
    r.number("tau", o.tau);
    r.number("t_lr", o.tLr);
    r.number("t_clip", o.tClip);
    r.integer("plateau_patience", o.plateauPatience);
    r.number("plateau_factor", o.plateauFactor);
    r.integer("outer_batch", o.outerBatch);
    r.integer("t_width", o.unet.width);
    r.integer("t_depth", o.unet.depth);
    if (const int i = r.choice("t_output", {QStringLiteral("residual"), QStringLiteral("plain")}); i >= 0)
        o.unet.residual = i == 0;
    if (const int i = r.choice("t_bound", {QStringLiteral("none"), QStringLiteral("range")}); i >= 0)
        o.unet.bounded = i == 1;
    r.number("t_linf", o.unet.linf);
    r.integer("t_resolution", o.unet.resolution);
    r.number("t_tv", o.tvWeight);
    r.integer("image_every", o.imageEvery);
    if (const int i = r.choice("phase_b", {QStringLiteral("union"), QStringLiteral("originals")}); i >= 0)
        o.phaseBUnion = i == 0;
    r.integer("phase_b_batch", o.phaseBBatch);
    if (r.has("t_init")) {
        const QString s = json.value(QLatin1String("t_init")).toString();
        o.tInit = s == QLatin1String("warmup") ? TInit::Warmup : s == QLatin1String("none") ? TInit::None : TInit::File;
        if (o.tInit == TInit::File)
            o.tInitPath = s.mid(5);  // after "file:"
    }
    r.boolean("t_frozen", o.tFrozen);
    if (const int i = r.choice("augment", {QStringLiteral("t"), QStringLiteral("random")}); i >= 0)
        o.augment = Augment(i);
    r.integer("warmup_steps", o.warmupSteps);
    r.number("warmup_lr", o.warmupLr);
    r.number("warmup_beta", o.warmupBeta);
    r.number("warmup_gamma", o.warmupGamma);
    if (!o.unet.residual && (o.unet.bounded || o.unet.linf > 0))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("metaaug option t_bound/t_linf: they bound T's change, so they need t_output residual "
                                        "(a plain T has no change to bound)"));
    return o;
}

QJsonObject MetaAugOptions::toJson() const
{
    return QJsonObject{{"meta_iters", metaIterations},
                       {"inner", inner == InnerStep::Adam ? "adam" : "sgd"},
                       {"inner_lr", innerLr},
                       {"mixup", mixup == MixupMode::Shared ? "shared" : "independent"},
                       {"mixup_alpha", mixupAlpha},
                       {"alpha", alpha},
                       {"beta", beta},
                       {"gamma", gamma},
                       {"eps", eps},
                       {"tau", tau},
                       {"t_lr", tLr},
                       {"t_clip", tClip},
                       {"plateau_patience", plateauPatience},
                       {"plateau_factor", plateauFactor},
                       {"outer_batch", outerBatch},
                       {"t_width", unet.width},
                       {"t_depth", unet.depth},
                       {"t_output", unet.residual ? "residual" : "plain"},
                       {"t_bound", unet.bounded ? "range" : "none"},
                       {"t_linf", unet.linf},
                       {"t_resolution", unet.resolution},
                       {"t_tv", tvWeight},
                       {"image_every", imageEvery},
                       {"phase_b", phaseBUnion ? "union" : "originals"},
                       {"phase_b_batch", phaseBBatch},
                       {"t_init", tInit == TInit::Warmup ? QStringLiteral("warmup")
                                  : tInit == TInit::None ? QStringLiteral("none") : QStringLiteral("file:") + tInitPath},
                       {"t_frozen", tFrozen},
                       {"augment", augment == Augment::Transform ? "t" : "random"},
                       {"warmup_steps", warmupSteps},
                       {"warmup_lr", warmupLr},
                       {"warmup_beta", warmupBeta},
                       {"warmup_gamma", warmupGamma}};
}

}  // namespace metaaug::methods
