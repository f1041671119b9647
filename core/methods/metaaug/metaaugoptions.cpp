#include "metaaugoptions.h"

#include <QtCore/QStringList>

namespace metaaug::methods {

namespace {

struct Reader {
    const QJsonObject &json;
    QString error;

    void number(const char *key, double &out, double lo, double hi)
    {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined() || !error.isEmpty())
            return;
        if (!v.isDouble() || !(v.toDouble() >= lo && v.toDouble() <= hi)) {
            error = QStringLiteral("metaaug option %1 must be a number in [%2, %3] (got %4)")
                        .arg(QLatin1String(key)).arg(lo).arg(hi).arg(v.isDouble() ? QString::number(v.toDouble()) : v.toVariant().toString());
            return;
        }
        out = v.toDouble();
    }
    void integer(const char *key, int &out, int lo, int hi)
    {
        double d = out;
        number(key, d, lo, hi);
        if (error.isEmpty() && d != std::floor(d))
            error = QStringLiteral("metaaug option %1 must be an integer (got %2)").arg(QLatin1String(key)).arg(d);
        out = int(d);
    }
    // One of `choices`; returns its index or -1 when absent.
    int choice(const char *key, const QStringList &choices)
    {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined() || !error.isEmpty())
            return -1;
        const int i = choices.indexOf(v.toString());
        if (i < 0)
            error = QStringLiteral("metaaug option %1 must be one of %2 (got '%3')")
                        .arg(QLatin1String(key), choices.join(QStringLiteral(", ")), v.toVariant().toString());
        return i;
    }
    void boolean(const char *key, bool &out)
    {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined() || !error.isEmpty())
            return;
        if (!v.isBool())
            error = QStringLiteral("metaaug option %1 must be true or false (got '%2')").arg(QLatin1String(key), v.toVariant().toString());
        out = v.toBool();
    }
};

const QStringList kKeys{"meta_iters", "inner", "inner_lr", "mixup", "mixup_alpha", "alpha", "beta", "gamma", "eps", "tau",
                        "t_lr", "t_clip", "plateau_patience", "plateau_factor", "outer_batch", "t_width", "t_depth",
                        "t_output", "image_every", "phase_b", "phase_b_batch", "t_init", "t_frozen", "augment",
                        "warmup_steps", "warmup_lr", "warmup_beta", "warmup_gamma"};

}  // namespace

Result<MetaAugOptions> MetaAugOptions::fromJson(const QJsonObject &json)
{
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!kKeys.contains(it.key()))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown metaaug option '%1' (known: %2)")
                                                             .arg(it.key(), kKeys.join(QStringLiteral(", "))));
    MetaAugOptions o;
    Reader r{json, {}};
    r.integer("meta_iters", o.metaIterations, 0, 1000000);
    if (const int i = r.choice("inner", {QStringLiteral("adam"), QStringLiteral("sgd")}); i >= 0)
        o.inner = InnerStep(i);
    r.number("inner_lr", o.innerLr, 0.0, 1e6);
    if (const int i = r.choice("mixup", {QStringLiteral("shared"), QStringLiteral("independent")}); i >= 0)
        o.mixup = MixupMode(i);
    r.number("mixup_alpha", o.mixupAlpha, 1e-3, 1e3);
    r.number("alpha", o.alpha, 0.0, 1e9);
    r.number("beta", o.beta, 0.0, 1e9);
    r.number("gamma", o.gamma, 0.0, 1e9);
    r.number("eps", o.eps, 0.0, 1e3);
    r.number("tau", o.tau, 1e-3, 1e3);
    r.number("t_lr", o.tLr, 0.0, 1.0);
    r.number("t_clip", o.tClip, 0.0, 1e9);
    r.integer("plateau_patience", o.plateauPatience, 0, 1000000);
    r.number("plateau_factor", o.plateauFactor, 1e-6, 1.0);
    r.integer("outer_batch", o.outerBatch, 1, 65536);
    r.integer("t_width", o.unet.width, 1, 1024);
    r.integer("t_depth", o.unet.depth, 0, 8);
    if (const int i = r.choice("t_output", {QStringLiteral("residual"), QStringLiteral("plain")}); i >= 0)
        o.unet.residual = i == 0;
    r.integer("image_every", o.imageEvery, 1, 1000000);
    if (const int i = r.choice("phase_b", {QStringLiteral("union"), QStringLiteral("originals")}); i >= 0)
        o.phaseBUnion = i == 0;
    r.integer("phase_b_batch", o.phaseBBatch, 1, 65536);
    if (const QJsonValue v = json.value(QLatin1String("t_init")); !v.isUndefined() && r.error.isEmpty()) {
        const QString s = v.toString();
        if (s == QLatin1String("warmup"))
            o.tInit = TInit::Warmup;
        else if (s == QLatin1String("none"))
            o.tInit = TInit::None;
        else if (s.startsWith(QLatin1String("file:")) && s.size() > 5) {
            o.tInit = TInit::File;
            o.tInitPath = s.mid(5);
        } else
            r.error = QStringLiteral("metaaug option t_init must be warmup, none or file:PATH (got '%1')").arg(v.toVariant().toString());
    }
    r.boolean("t_frozen", o.tFrozen);
    if (const int i = r.choice("augment", {QStringLiteral("t"), QStringLiteral("random")}); i >= 0)
        o.augment = Augment(i);
    r.integer("warmup_steps", o.warmupSteps, 0, 1000000);
    r.number("warmup_lr", o.warmupLr, 0.0, 1.0);
    r.number("warmup_beta", o.warmupBeta, 0.0, 1e9);
    r.number("warmup_gamma", o.warmupGamma, 0.0, 1e9);
    if (!r.error.isEmpty())
        return makeError(ErrorCode::InvalidArgument, r.error);
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
