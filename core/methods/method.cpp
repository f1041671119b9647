// SPDX-License-Identifier: GPL-3.0-or-later
#include "method.h"

namespace metaaug::methods {

namespace {
std::vector<const Method *> &registry()
{
    static std::vector<const Method *> r;
    return r;
}
const QStringList kOrder{QStringLiteral("rtn"), QStringLiteral("adaround"), QStringLiteral("brecq"),
                         QStringLiteral("qdrop"), QStringLiteral("geniem"), QStringLiteral("metaaug")};
}  // namespace

MethodRegistration::MethodRegistration(const Method *m)
{
    registry().push_back(m);
}

namespace {
// The run of a method that carries nothing from unit to unit.
class StatelessRun final : public MethodRun {
public:
    explicit StatelessRun(const Method &m) : m_method(m) {}
    Result<UnitReport> quantizeUnit(MethodContext &ctx, int b, const recon::UnitCache &cache) override
    {
        return m_method.quantizeUnit(ctx, b, cache);
    }

private:
    const Method &m_method;
};
}  // namespace

Result<std::unique_ptr<MethodRun>> Method::start(MethodContext &) const
{
    return std::unique_ptr<MethodRun>(std::make_unique<StatelessRun>(*this));
}

Result<UnitReport> Method::quantizeUnit(MethodContext &, int, const recon::UnitCache &) const
{
    return makeError(ErrorCode::Internal, QStringLiteral("method %1 quantizes units through its own start()").arg(id()));
}

const FieldTable &Method::options() const
{
    static const FieldTable none;
    return none;
}

Result<QJsonObject> Method::resolveOptions(const QJsonObject &options) const
{
    if (this->options().empty() && !options.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("method %1 takes no options (got '%2')")
                                                         .arg(id(), options.keys().join(QStringLiteral("', '"))));
    if (auto ok = checkFields(this->options(), options, id() + QStringLiteral(" option")); !ok)
        return ok.error();
    return withDefaults(this->options(), options);
}

const std::vector<const Method *> &allMethods()
{
    auto &r = registry();
    std::stable_sort(r.begin(), r.end(), [](const Method *a, const Method *b) {
        auto rank = [](const Method *m) { const int i = kOrder.indexOf(m->id()); return i < 0 ? 100 : i; };
        return rank(a) < rank(b);
    });
    return r;
}

const Method *findMethod(const QString &id)
{
    for (const Method *m : allMethods())
        if (m->id() == id)
            return m;
    return nullptr;
}

QStringList methodIds()
{
    QStringList ids;
    for (const Method *m : allMethods())
        ids << m->id();
    return ids;
}

QString iterationsProblem(const QString &id, int64_t iterations)
{
    if (iterations < 0)
        return QStringLiteral("must not be negative (got %1)").arg(iterations);
    const Method *method = findMethod(id);
    if (iterations == 0 && method && method->reconstructs())
        return QStringLiteral("needs at least 1 iteration: %1 reconstructs every unit (only rtn takes none; got 0)").arg(id);
    return {};
}

recon::ReconOptions geniemOptions(const recon::ReconOptions &base)
{
    recon::ReconOptions o = base;
    o.learnRounding = o.learnWeightStep = o.learnActStep = o.quantizeActivations = true;
    return o;
}

Result<UnitReport> reconstructPasses(MethodContext &ctx, int b, const recon::UnitCache &cache,
                                     const std::vector<recon::ReconOptions> &passes)
{
    UnitReport report;
    report.unit = QString::fromStdString(ctx.units[b].name);
    bool first = true;
    for (const recon::ReconOptions &pass : passes) {
        auto stats = recon::reconstructUnit(ctx, b, cache, pass);
        if (!stats)
            return stats.error();
        if (first)
            report.firstLoss = stats->firstLoss;
        first = false;
        report.finalLoss = stats->lastLoss;
        report.seconds += stats->seconds;
        report.medianIterationMs[QStringLiteral("reconstruction")] = stats->medianIterationMs;
    }
    report.phaseSeconds[QStringLiteral("reconstruction")] = report.seconds;
    return report;
}

const FieldTable &methodOptionFields(const QString &id)
{
    static const FieldTable none;
    const Method *m = findMethod(id);
    return m ? m->options() : none;
}

QString methodDescription(const QString &id)
{
    const Method *m = findMethod(id);
    return m ? m->description() : QString();
}

}  // namespace metaaug::methods
