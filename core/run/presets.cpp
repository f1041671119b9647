#include "presets.h"

#include "methods/metaaug/metaaugoptions.h"

namespace metaaug {

namespace {

// MetaAug's defaults with `changes` applied.
QJsonObject metaAugOptions(const QJsonObject &changes)
{
    QJsonObject o = methods::MetaAugOptions{}.toJson();
    for (auto it = changes.begin(); it != changes.end(); ++it)
        o[it.key()] = it.value();
    return o;
}

RunPreset preset(const char *id, const char *label, const char *description, int calib, int iters, int evalLimit,
                 const QJsonObject &metaChanges)
{
    return RunPreset{QLatin1String(id), QLatin1String(label), QLatin1String(description),
                     QJsonObject{{"calib_size", calib}, {"iters", iters}, {"eval_limit", evalLimit},
                                 {"method_options", metaAugOptions(metaChanges)}}};
}

}  // namespace

const std::vector<RunPreset> &runPresets()
{
    static const std::vector<RunPreset> presets{
        preset("quick", "Quick", "1,000 calibration images, 100 iterations, M = 20, 2,000 test images (minutes)", 1000, 100, 2000,
               {{"meta_iters", 20}}),
        preset("default", "Default", "The engine's defaults: 1,024 images, 500 iterations, M = 100, the whole test set", 1024, 500, 0, {}),
        preset("paper", "Paper",
               "The public MetaAug code apart from its checkpoint: 1,024 images, 20,000 iterations, M = 500, T from "
               "its random init with the plain output, Adam look-ahead, independent mixup, T's lr 5e-6, "
               "alpha 5, beta 0.5, gamma 30000, eps 0.1 (hours on a laptop)",
               1024, 20000, 0,
               {{"meta_iters", 500}, {"t_init", "none"}, {"t_output", "plain"}, {"inner", "adam"}, {"mixup", "independent"},
                {"t_lr", 5e-6}, {"alpha", 5.0}, {"beta", 0.5}, {"gamma", 30000.0}, {"eps", 0.1}, {"tau", 4.0}}),
    };
    return presets;
}

const RunPreset *findRunPreset(const QString &id)
{
    for (const RunPreset &p : runPresets())
        if (p.id == id)
            return &p;
    return nullptr;
}

}  // namespace metaaug
