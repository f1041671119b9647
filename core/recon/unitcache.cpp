// SPDX-License-Identifier: GPL-3.0-or-later
#include "unitcache.h"

#include "batched.h"

#include "common/runtime.h"

#include <QtCore/QFile>

namespace metaaug::recon {

int64_t UnitCache::bytes() const
{
    int64_t n = 0;
    for (const RowStore *t : {&xFp, &xQ, &yFp})
        if (t->defined() && !(t == &xQ && xQ.sameAs(xFp)))
            n += t->bytes();
    return n;
}

namespace {
// Before the first layer nothing is quantized: the quantized-prefix input is
// the FP input and shares its storage.
bool prefixHasLayers(const graph::Executor &ex, const graph::Unit &unit)
{
    const auto layers = ex.graph().layers();
    return !layers.empty() && layers.front() < unit.firstNode;
}
}  // namespace

int64_t estimateCacheBytes(const graph::Executor &ex, const graph::Unit &unit, const torch::Tensor &oneImage, int64_t n,
                           int64_t elementBytes)
{
    torch::NoGradGuard ng;
    const torch::Tensor in = ex.runPrefix(unit, oneImage);
    const torch::Tensor out = ex.runUnit(unit, in);
    const int64_t inputs = prefixHasLayers(ex, unit) ? 2 : 1;
    return n * (inputs * in.numel() + out.numel()) * elementBytes;
}

int64_t estimatePeakCacheBytes(const graph::Executor &ex, const std::vector<graph::Unit> &units,
                               const torch::Tensor &oneImage, int64_t n, int64_t elementBytes)
{
    int64_t peak = 0;
    for (const graph::Unit &u : units)
        peak = std::max(peak, estimateCacheBytes(ex, u, oneImage, n, elementBytes));
    return peak;
}

int64_t estimatePeakCachePairBytes(const graph::Executor &ex, const std::vector<graph::Unit> &units,
                                   const torch::Tensor &oneImage, int64_t n, int64_t elementBytes)
{
    int64_t peak = 0, previous = 0;
    for (const graph::Unit &u : units) {
        const int64_t bytes = estimateCacheBytes(ex, u, oneImage, n, elementBytes);
        peak = std::max(peak, bytes + previous);
        previous = bytes;
    }
    return peak;
}

int64_t largestActivationBytes(const graph::Executor &ex, const torch::Tensor &oneImage)
{
    torch::NoGradGuard ng;
    int64_t largest = oneImage.numel();
    for (const c10::IValue &v : ex.allValues(oneImage))
        if (v.isTensor())
            largest = std::max(largest, v.toTensor().numel());
    return largest * int64_t(sizeof(float));
}

int64_t retainedBytes(const std::function<torch::Tensor()> &forward)
{
    torch::AutoGradMode grad(true);
    const int64_t before = heapInUseBytes();
    torch::Tensor out = forward();
    const int64_t after = heapInUseBytes();
    out = torch::Tensor();
    return std::max<int64_t>(0, after - before);
}

int64_t availableMemoryBytes()
{
    bool capped = false;
    const qint64 capMb = qEnvironmentVariableIntValue("METAAUG_MEMORY_LIMIT_MB", &capped);
    if (capped && capMb > 0)
        return capMb * 1024 * 1024;
    QFile f(QStringLiteral("/proc/meminfo"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("MemAvailable:"))
            return line.mid(13).trimmed().split(' ').first().toLongLong() * 1024;
    return -1;
}

namespace {
// True when unit `to`'s input can be computed from unit `from`'s output
// alone (the ops between read nothing else): always for block units, not
// for layer-wise units inside a residual block.
bool reachableFromOutput(const graph::Graph &g, const graph::Unit &from, const graph::Unit &to)
{
    std::vector<bool> available(g.numValues, false);
    available[from.output] = true;
    for (int i = from.lastNode + 1; i < to.firstNode; ++i) {
        for (int v : g.nodes[i].inputs)
            if (!available[v] && !g.isConstant(v))
                return false;
        for (int v : g.nodes[i].outputs)
            available[v] = true;
    }
    return available[to.input];
}
}  // namespace

UnitCache CacheBuilder::build(int b, const torch::Tensor &images, quant::QuantizedModel &qmodel)
{
    torch::NoGradGuard ng;
    const graph::Unit &unit = m_units[b];
    UnitCache c;
    // Stored values are what the reconstruction reads: with a reduced cache
    // dtype, the next unit's inputs come from the rounded values too.
    if (b == 0 || m_prev != b - 1 || !reachableFromOutput(m_ex.graph(), m_units[m_prev], unit)) {
        const RowStore in = RowStore::wrap(images);
        c.xFp = mapRows(in, m_batch, m_policy, [&](const torch::Tensor &x) { return m_ex.runPrefix(unit, x); });
        c.xQ = prefixHasLayers(m_ex, unit)
                   ? mapRows(in, m_batch, m_policy, [&](const torch::Tensor &x) { return m_ex.runPrefix(unit, x, &qmodel); })
                   : c.xFp;
    } else {
        // FP ops between the previous unit and this one (pooling, activations).
        const graph::Unit &prev = m_units[m_prev];
        auto between = [&](const torch::Tensor &x) {
            return m_ex.runRange(prev.lastNode + 1, unit.firstNode, prev.output, x, unit.input);
        };
        c.xFp = mapRows(m_prevYFp, m_batch, m_policy, between);
        c.xQ = mapRows(m_prevXQ, m_batch, m_policy, [&](const torch::Tensor &x) { return between(m_ex.runUnit(prev, x, &qmodel)); });
    }
    c.yFp = mapRows(c.xFp, m_batch, m_policy, [&](const torch::Tensor &x) { return m_ex.runUnit(unit, x); });
    m_prev = b;
    m_prevYFp = c.yFp;
    m_prevXQ = c.xQ;
    return c;
}

}  // namespace metaaug::recon
