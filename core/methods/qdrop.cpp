// SPDX-License-Identifier: GPL-3.0-or-later
// qdrop: block units, rounding and activation steps together, QDrop p = 0.5.
#include "method.h"

namespace metaaug::methods {

namespace {
class QDrop final : public Method {
public:
    QString id() const override { return QStringLiteral("qdrop"); }
    QString description() const override
    {
        return QStringLiteral("QDrop: block reconstruction of rounding and activation steps, randomly dropping activation quantization (p = 0.5).");
    }
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) const override
    {
        recon::ReconOptions o = ctx.recon;
        o.learnRounding = true;
        o.learnWeightStep = false;
        o.learnActStep = true;
        o.quantizeActivations = true;
        return reconstructPasses(ctx, b, cache, {o});
    }
};
const QDrop kMethod;
const MethodRegistration kReg(&kMethod);
}  // namespace

}  // namespace metaaug::methods
