// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerprobe.h"

#include "eval/comparison.h"

namespace metaaug::recon {

LayerProbe::LayerProbe(const RunContext &ctx, int unit, const UnitCache &cache, int every, int batch) : m_every(every), m_unit(unit)
{
    if (every <= 0 || batch <= 0 || !cache.xQ.defined() || cache.xQ.size() == 0)
        return;
    torch::NoGradGuard ng;
    const int64_t n = std::min<int64_t>(batch, cache.xQ.size());
    m_xq = cache.xQ.slice(0, n);
    const graph::Unit &u = ctx.units[size_t(unit)];
    for (int layer : u.layers)
        m_names.push_back(ctx.executor.graph().nodes[layer].name);
    m_fp = ctx.executor.unitIntermediates(u, cache.xFp.slice(0, n), m_names);
}

void LayerProbe::sample(const RunContext &ctx, int iteration) const
{
    if (m_names.empty())
        return;
    std::map<std::string, torch::Tensor> q;
    {
        torch::NoGradGuard ng;
        const quant::TrainingModeGuard noDrop(ctx.qmodel, 0.0);
        q = ctx.executor.unitIntermediates(ctx.units[size_t(m_unit)], m_xq, m_names, &ctx.qmodel);
    }
    for (const std::string &name : m_names) {
        const torch::Tensor &fp = m_fp.at(name), &qv = q.at(name);
        const QString layer = QString::fromStdString(name);
        ctx.sink.layerMetric({layer, QStringLiteral("probe_mse"), (fp - qv).pow(2).mean().item<double>(), m_unit, iteration});
        ctx.sink.layerMetric({layer, QStringLiteral("probe_sqnr_db"), sqnrDb(fp, qv), m_unit, iteration});
    }
}

}  // namespace metaaug::recon
