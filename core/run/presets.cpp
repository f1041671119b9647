// SPDX-License-Identifier: GPL-3.0-or-later
#include "presets.h"

#include "specfields.h"

#include <QtCore/QStringList>

namespace metaaug {

namespace {

RunPreset preset(const char *id, const char *label, const char *description, int calib, int iters, int evalLimit,
                 const QJsonObject &metaChanges)
{
    return RunPreset{QLatin1String(id), QLatin1String(label), QLatin1String(description),
                     QJsonObject{{"calib_size", calib}, {"iters", iters}, {"eval_limit", evalLimit}},
                     {{QStringLiteral("metaaug"), metaChanges}}};
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

QStringList runPresetIds()
{
    QStringList ids;
    for (const RunPreset &p : runPresets())
        ids << p.id;
    return ids;
}

QString workbenchDefaultMethod()
{
    return QStringLiteral("metaaug");
}

QString workbenchDefaultPreset()
{
    return QStringLiteral("quick");
}

QJsonObject applyPreset(const RunPreset *preset, const QJsonObject &given)
{
    QJsonObject spec;
    for (const SpecField &f : specFields())
        if (!f.field.defaultValue.isUndefined())
            spec[f.field.key] = f.field.defaultValue;
    QJsonObject options;
    const QString method = given.value(QLatin1String("method")).toString(spec.value(QLatin1String("method")).toString());
    if (preset) {
        for (auto it = preset->spec.begin(); it != preset->spec.end(); ++it)
            spec[it.key()] = it.value();
        if (auto it = preset->methodOptions.find(method); it != preset->methodOptions.end())
            options = it->second;
    }
    const QJsonObject givenOptions = given.value(QLatin1String("method_options")).toObject();
    for (auto it = givenOptions.begin(); it != givenOptions.end(); ++it)
        options[it.key()] = it.value();
    for (auto it = given.begin(); it != given.end(); ++it)
        spec[it.key()] = it.value();
    spec[QStringLiteral("method_options")] = options;
    return spec;
}

}  // namespace metaaug
