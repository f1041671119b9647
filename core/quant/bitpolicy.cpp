// SPDX-License-Identifier: GPL-3.0-or-later
#include "bitpolicy.h"

namespace metaaug::quant {

const char *bitSettingName(BitSetting s)
{
    return s == BitSetting::Brecq ? "brecq" : "qdrop";
}

QStringList bitSettingNames()
{
    return {QLatin1String(bitSettingName(BitSetting::QDrop)), QLatin1String(bitSettingName(BitSetting::Brecq))};
}

BitSetting bitSettingFromName(const QString &name)
{
    return name == QLatin1String(bitSettingName(BitSetting::Brecq)) ? BitSetting::Brecq : BitSetting::QDrop;
}

PinnedBits pinnedBits(const graph::Executor &executor, BitSetting setting)
{
    const graph::Graph &g = executor.graph();
    const std::vector<int> layers = g.layers();
    PinnedBits pinned;
    pinned.layers = {layers.front(), layers.back()};
    pinned.points.insert(executor.pointOfValue(g.nodes[layers.back()].inputs[0]));
    if (setting == BitSetting::Brecq && layers.size() > 1)
        pinned.points.insert(executor.pointOfValue(g.nodes[layers[1]].inputs[0]));
    for (size_t p = 0; p < executor.activationPoints().size(); ++p)
        if (executor.activationPoints()[p].isModelInput)
            pinned.points.insert(int(p));
    return pinned;
}

BitPlan planBits(const graph::Executor &executor, int wbits, int abits, BitSetting setting)
{
    const PinnedBits pinned = pinnedBits(executor, setting);
    BitPlan plan;
    for (int layer : executor.graph().layers())
        plan.weightBits[layer] = pinned.layers.count(layer) ? kEdgeBits : wbits;
    plan.activationBits.assign(executor.activationPoints().size(), abits);
    for (int p : pinned.points)
        plan.activationBits[size_t(p)] = executor.activationPoints()[size_t(p)].isModelInput ? 0 : kEdgeBits;  // the image itself stays FP
    return plan;
}

}  // namespace metaaug::quant
