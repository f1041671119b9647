// SPDX-License-Identifier: GPL-3.0-or-later
// rtn: the 2.4-norm initial grids only, round to nearest, no optimisation.
#include "method.h"

namespace metaaug::methods {

namespace {
class Rtn final : public Method {
public:
    QString id() const override { return QStringLiteral("rtn"); }
    QString description() const override
    {
        return QStringLiteral("Round-to-nearest on the 2.4-norm searched grids; no optimisation.");
    }
    bool reconstructs() const override { return false; }
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &) const override
    {
        recon::fixUnit(ctx.qmodel, ctx.units[b]);
        return UnitReport{QString::fromStdString(ctx.units[b].name)};
    }
};
const Rtn kRtn;
const MethodRegistration kReg(&kRtn);
}  // namespace

}  // namespace metaaug::methods
