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

BitPlan planBits(const graph::Executor &executor, int wbits, int abits, BitSetting setting)
{
    const graph::Graph &g = executor.graph();
    const std::vector<int> layers = g.layers();
    BitPlan plan;
    plan.activationBits.assign(executor.activationPoints().size(), abits);
    for (size_t k = 0; k < layers.size(); ++k) {
        const bool first = k == 0, last = k + 1 == layers.size();
        plan.weightBits[layers[k]] = first || last ? kEdgeBits : wbits;
    }
    const int lastPoint = executor.pointOfValue(g.nodes[layers.back()].inputs[0]);
    plan.activationBits[lastPoint] = kEdgeBits;
    if (setting == BitSetting::Brecq && layers.size() > 1) {
        const int second = executor.pointOfValue(g.nodes[layers[1]].inputs[0]);
        plan.activationBits[second] = kEdgeBits;
    }
    for (size_t p = 0; p < executor.activationPoints().size(); ++p)
        if (executor.activationPoints()[p].isModelInput)
            plan.activationBits[p] = 0;  // the image itself stays FP
    return plan;
}

}  // namespace metaaug::quant
