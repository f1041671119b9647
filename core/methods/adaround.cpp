// SPDX-License-Identifier: GPL-3.0-or-later
// adaround: layer-wise units, rounding logits only, FP activations while
// reconstructing (activation quantizers keep their initial steps).
#include "method.h"

namespace metaaug::methods {

namespace {
class AdaRound final : public Method {
public:
    QString id() const override { return QStringLiteral("adaround"); }
    QString description() const override
    {
        return QStringLiteral("AdaRound: each conv/linear alone, learns the rounding only, activations FP during reconstruction.");
    }
    graph::PartitionRule partitionRule() const override { return graph::PartitionRule::LayerWise; }
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) const override
    {
        recon::ReconOptions o = ctx.recon;
        o.learnRounding = true;
        o.learnWeightStep = false;
        o.learnActStep = false;
        o.quantizeActivations = false;
        o.qdropProb = 0;
        return reconstructPasses(ctx, b, cache, {o});
    }
};
const AdaRound kMethod;
const MethodRegistration kReg(&kMethod);
}  // namespace

}  // namespace metaaug::methods
