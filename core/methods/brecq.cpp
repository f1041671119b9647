// SPDX-License-Identifier: GPL-3.0-or-later
// brecq: block units, rounding first (activations FP), then the activation
// steps (LSQ) in a second pass; no QDrop.
#include "method.h"

namespace metaaug::methods {

namespace {
class Brecq final : public Method {
public:
    QString id() const override { return QStringLiteral("brecq"); }
    QString description() const override
    {
        return QStringLiteral("BRECQ: block reconstruction of the rounding, then of the activation steps; no QDrop.");
    }
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) const override
    {
        recon::ReconOptions rounding = ctx.recon;
        rounding.learnRounding = true;
        rounding.learnWeightStep = false;
        rounding.learnActStep = false;
        rounding.quantizeActivations = false;
        rounding.qdropProb = 0;
        recon::ReconOptions steps = rounding;
        steps.learnRounding = false;
        steps.learnActStep = true;
        steps.quantizeActivations = true;
        return reconstructPasses(ctx, b, cache, {rounding, steps});
    }
};
const Brecq kMethod;
const MethodRegistration kReg(&kMethod);
}  // namespace

}  // namespace metaaug::methods
