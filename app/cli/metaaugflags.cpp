#include "metaaugflags.h"

namespace metaaug::cli {

namespace {
struct Flag {
    const char *name;
    const char *key;
    bool numeric;
    const char *help;
};
const Flag kFlags[] = {
    {"meta-iters", "meta_iters", true, "MetaAug: meta iterations M per unit (default 100; the public code uses 500)."},
    {"inner", "inner", false, "MetaAug: inner step, adam (default, Adam's first step) or sgd."},
    {"inner-lr", "inner_lr", true, "MetaAug: learning rate of the sgd inner step for the rounding logits; step sizes scale alike (default 1e-3)."},
    {"mixup", "mixup", false, "MetaAug: shared (default: one lambda and permutation for both PKT sides) or independent (the public code)."},
    {"mixup-alpha", "mixup_alpha", true, "MetaAug: mixup lambda ~ Beta(a, a) (default 4)."},
    {"alpha", "alpha", true, "MetaAug: weight of the KL term (default 5)."},
    {"beta", "beta", true, "MetaAug: weight of the margin term (default 0.5)."},
    {"gamma", "gamma", true, "MetaAug: weight of the PKT term (default 30000)."},
    {"eps", "eps", true, "MetaAug: margin epsilon (default 0.1)."},
    {"tau", "tau", true, "MetaAug: KL temperature (default 4)."},
    {"t-lr", "t_lr", true, "MetaAug: Adam learning rate of T (default 5e-6)."},
    {"t-clip", "t_clip", true, "MetaAug: gradient-norm clip of T (default 0.1)."},
    {"plateau-patience", "plateau_patience", true, "MetaAug: plateau scheduler patience (default 100)."},
    {"plateau-factor", "plateau_factor", true, "MetaAug: plateau scheduler factor (default 0.95)."},
    {"outer-batch", "outer_batch", true, "MetaAug: batch of original images for the outer loss (default 64)."},
    {"t-width", "t_width", true, "MetaAug: base width of the U-Net T (default 16)."},
    {"t-depth", "t_depth", true, "MetaAug: down-samplings of T (default 0 = from the input size)."},
    {"t-output", "t_output", false, "MetaAug: residual (default, x + U(x), identity at start) or plain (U(x), the public code)."},
    {"image-every", "image_every", true, "MetaAug: image events every K meta iterations (default 25)."},
    {"phase-b", "phase_b", false, "MetaAug: reconstruction data, union (default: originals + T(x)) or originals."},
    {"phase-b-batch", "phase_b_batch", true, "MetaAug: reconstruction batch with the union (default 64)."},
};
}  // namespace

void addMetaAugFlags(QCommandLineParser &parser)
{
    for (const Flag &f : kFlags)
        parser.addOption({QLatin1String(f.name), QLatin1String(f.help), f.numeric ? QStringLiteral("X") : QStringLiteral("MODE")});
}

QJsonObject metaAugOptionsFromFlags(const QCommandLineParser &parser, bool *anySet)
{
    QJsonObject json;
    *anySet = false;
    for (const Flag &f : kFlags) {
        if (!parser.isSet(QLatin1String(f.name)))
            continue;
        *anySet = true;
        const QString v = parser.value(QLatin1String(f.name));
        bool ok = false;
        const double d = v.toDouble(&ok);
        // A non-number for a numeric flag is passed as text; core rejects it naming the key.
        json[QLatin1String(f.key)] = f.numeric && ok ? QJsonValue(d) : QJsonValue(v);
    }
    return json;
}

QString withFlagNames(QString message)
{
    for (const Flag &f : kFlags)
        message.replace(QStringLiteral("metaaug option %1 ").arg(QLatin1String(f.key)), QStringLiteral("--%1 ").arg(QLatin1String(f.name)));
    return message;
}

}  // namespace metaaug::cli
