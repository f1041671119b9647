// SPDX-License-Identifier: GPL-3.0-or-later
// geniem: QDrop plus learned weight steps (Genie-M), the public MetaAug
// code's baseline.
#include "method.h"

namespace metaaug::methods {

namespace {
class GenieM final : public Method {
public:
    QString id() const override { return QStringLiteral("geniem"); }
    QString description() const override
    {
        return QStringLiteral("Genie-M: QDrop with learnable weight steps (rounding, weight and activation steps, QDrop p = 0.5).");
    }
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) const override
    {
        return reconstructPasses(ctx, b, cache, {geniemOptions(ctx.recon)});
    }
};
const GenieM kMethod;
const MethodRegistration kReg(&kMethod);
}  // namespace

}  // namespace metaaug::methods
