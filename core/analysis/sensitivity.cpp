// SPDX-License-Identifier: GPL-3.0-or-later
#include "sensitivity.h"

#include "budget.h"
#include "quant/quantizedmodel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace metaaug::analysis {

namespace {

constexpr int kAll = -2, kNone = -1;

// Every layer at `wbits`, every activation point but the image at `abits`:
// one quantized model per bit-width, switched per candidate by configure().
quant::BitPlan uniformPlan(const graph::Executor &ex, int bits)
{
    quant::BitPlan plan;
    for (int layer : ex.graph().layers())
        plan.weightBits[layer] = bits;
    for (const graph::ActivationPoint &p : ex.activationPoints())
        plan.activationBits.push_back(p.isModelInput ? 0 : bits);
    return plan;
}

// Quantizes only `layer`'s weight (or every layer with kAll) and only
// activation point `point` (or every point with kAll).
void configure(quant::QuantizedModel &q, const graph::Graph &g, int layer, int point)
{
    for (int l : g.layers())
        q.setRounding(l, layer == kAll || l == layer ? quant::Rounding::Nearest : quant::Rounding::Fp);
    for (size_t p = 0; p < q.plan().activationBits.size(); ++p)
        q.setActivationEnabled(int(p), point == kAll || int(p) == point);
}

struct Accumulator {
    double kl = 0, signal = 0, noise = 0;
    int64_t agree = 0, n = 0;
    void addLogits(const torch::Tensor &fp, const torch::Tensor &q)
    {
        const torch::Tensor lf = torch::log_softmax(fp, 1), lq = torch::log_softmax(q, 1);
        kl += (lf.exp() * (lf - lq)).sum().item<double>();
        agree += (fp.argmax(1) == q.argmax(1)).sum().item<int64_t>();
        n += fp.size(0);
    }
    void addOutputs(const torch::Tensor &fp, const torch::Tensor &q)
    {
        signal += fp.pow(2).sum().item<double>();
        noise += (fp - q).pow(2).sum().item<double>();
    }
    double sqnrDb() const
    {
        return noise == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(std::max(signal, 1e-30) / noise);
    }
};

}  // namespace

int sensitivityCandidates(const graph::Executor &ex, const std::vector<int> &weightBits, const std::vector<int> &activationBits)
{
    const auto &points = ex.activationPoints();
    const auto inputPoints = std::count_if(points.begin(), points.end(), [](const auto &p) { return !p.isModelInput; });
    return int(ex.graph().layers().size() * weightBits.size() + size_t(inputPoints) * activationBits.size() +
               weightBits.size() + activationBits.size());
}

Result<std::vector<SensitivityRecord>> analyzeSensitivity(const std::shared_ptr<const graph::Executor> &executor,
                                                          const std::vector<graph::Unit> &units, const torch::Tensor &fit,
                                                          const torch::Tensor &measure, const SensitivityOptions &o)
{
    const graph::Executor &ex = *executor;
    const graph::Graph &g = ex.graph();
    const auto &points = ex.activationPoints();
    if (measure.size(0) < 1 || fit.size(0) < 1)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the sensitivity analysis needs images to fit and to measure on"));
    for (int b : o.weightBits)
        if (b < quant::kMinBits || b > quant::kMaxBits)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("weight bit-width %1 is outside %2..%3").arg(b).arg(quant::kMinBits).arg(quant::kMaxBits));
    for (int b : o.activationBits)
        if (b < quant::kMinBits || b > quant::kMaxBits)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("activation bit-width %1 is outside %2..%3").arg(b).arg(quant::kMinBits).arg(quant::kMaxBits));
    torch::NoGradGuard ng;
    std::vector<SensitivityRecord> records;
    try {
        std::map<int, LayerCost> cost;  // by layer node
        for (const LayerCost &c : layerCosts(ex, measure))
            cost[c.node] = c;
        std::vector<torch::Tensor> batches, fpLogits;
        for (int64_t s = 0; s < measure.size(0); s += o.batch) {
            batches.push_back(measure.slice(0, s, std::min(measure.size(0), s + o.batch)));
            fpLogits.push_back(ex.run(batches.back()));
        }
        std::map<int, std::unique_ptr<quant::QuantizedModel>> models;  // by bit-width
        const std::set<int> actBits(o.activationBits.begin(), o.activationBits.end());
        for (int b : std::set<int>(o.weightBits.begin(), o.weightBits.end()))
            models[b] = nullptr;
        for (int b : actBits)
            models[b] = nullptr;
        for (auto &[b, q] : models) {
            q = std::make_unique<quant::QuantizedModel>(executor, uniformPlan(ex, b));
            if (actBits.count(b))
                q->initializeActivations(fit);
        }
        // The unit each activation point is measured from: its first consumer's.
        std::map<int, int> unitOfLayer;
        for (size_t u = 0; u < units.size(); ++u)
            for (int l : units[u].layers)
                unitOfLayer[l] = int(u);
        std::vector<int> unitOfPoint(points.size(), -1);
        for (size_t p = 0; p < points.size(); ++p)
            for (int l : points[p].layers)
                if (auto it = unitOfLayer.find(l); it != unitOfLayer.end() && (unitOfPoint[p] < 0 || it->second < unitOfPoint[p]))
                    unitOfPoint[p] = it->second;

        const int total = sensitivityCandidates(ex, o.weightBits, o.activationBits);
        int done = 0;
        auto step = [&] { return !o.progress || o.progress(++done, total); };
        auto cancelled = [] { return makeError(ErrorCode::Aborted, QStringLiteral("sensitivity analysis cancelled")); };

        std::vector<torch::Tensor> unitIn = batches;  // FP input of the current unit, per batch
        for (size_t u = 0; u < units.size(); ++u) {
            const graph::Unit &unit = units[u];
            if (u > 0)
                for (torch::Tensor &x : unitIn)
                    x = ex.runRange(units[u - 1].firstNode, unit.firstNode, units[u - 1].input, x, unit.input);
            // A layer's FP input and output on the first batch, once for all its candidates.
            std::map<int, std::pair<torch::Tensor, torch::Tensor>> fpAtLayer;
            auto fpOf = [&](int layer) -> const std::pair<torch::Tensor, torch::Tensor> & {
                auto it = fpAtLayer.find(layer);
                if (it == fpAtLayer.end()) {
                    const graph::Node &n = g.nodes[layer];
                    const torch::Tensor x = ex.runRange(unit.firstNode, layer, unit.input, unitIn[0], n.inputs[0]);
                    it = fpAtLayer.emplace(layer, std::pair{x, ex.runRange(layer, layer + 1, n.inputs[0], x, n.outputs[0])}).first;
                }
                return it->second;
            };
            // One candidate: effect on the logits from this unit on, and on the
            // output of `layer` (first batch).
            auto measureCandidate = [&](quant::QuantizedModel &q, int layer) {
                Accumulator acc;
                for (size_t k = 0; k < unitIn.size(); ++k)
                    acc.addLogits(fpLogits[k], ex.runSuffix(unit, ex.runUnit(unit, unitIn[k], &q), &q));
                const graph::Node &n = g.nodes[layer];
                const auto &[x, yf] = fpOf(layer);
                acc.addOutputs(yf, ex.runRange(layer, layer + 1, n.inputs[0], x, n.outputs[0], &q));
                SensitivityRecord r;
                r.kl = acc.kl / double(acc.n);
                r.agreement = 100.0 * double(acc.agree) / double(acc.n);
                r.sqnrDb = acc.sqnrDb();
                return r;
            };
            for (int layer : unit.layers) {
                for (int b : o.weightBits) {
                    quant::QuantizedModel &q = *models[b];
                    configure(q, g, layer, kNone);
                    SensitivityRecord r = measureCandidate(q, layer);
                    r.kind = SensitivityKind::Weight;
                    r.target = QString::fromStdString(g.nodes[layer].name);
                    r.bits = b;
                    r.parameters = cost[layer].parameters;
                    r.macs = cost[layer].macs;
                    records.push_back(r);
                    if (!step())
                        return cancelled();
                }
            }
            for (size_t p = 0; p < points.size(); ++p) {
                if (unitOfPoint[p] != int(u) || points[p].isModelInput)
                    continue;
                for (int b : o.activationBits) {
                    quant::QuantizedModel &q = *models[b];
                    configure(q, g, kNone, int(p));
                    // The first consumer inside this unit shows the point's own error.
                    int first = points[p].layers.front();
                    for (int l : points[p].layers)
                        if (unitOfLayer[l] == int(u)) {
                            first = l;
                            break;
                        }
                    SensitivityRecord r = measureCandidate(q, first);
                    r.kind = SensitivityKind::Activation;
                    r.target = QString::fromStdString(points[p].name);
                    r.bits = b;
                    for (int l : points[p].layers) {
                        r.parameters += cost[l].parameters;
                        r.macs += cost[l].macs;
                    }
                    records.push_back(r);
                    if (!step())
                        return cancelled();
                }
            }
        }
        // Whole-model views, on the logits.
        auto modelView = [&](SensitivityKind kind, int b) {
            quant::QuantizedModel &q = *models[b];
            configure(q, g, kind == SensitivityKind::ModelWeights ? kAll : kNone, kind == SensitivityKind::ModelActivations ? kAll : kNone);
            Accumulator acc;
            for (size_t k = 0; k < batches.size(); ++k) {
                const torch::Tensor out = ex.run(batches[k], &q);
                acc.addLogits(fpLogits[k], out);
                acc.addOutputs(fpLogits[k], out);
            }
            SensitivityRecord r;
            r.kind = kind;
            r.target = QStringLiteral("model");
            r.bits = b;
            r.kl = acc.kl / double(acc.n);
            r.agreement = 100.0 * double(acc.agree) / double(acc.n);
            r.sqnrDb = acc.sqnrDb();
            for (const auto &[node, c] : cost) {
                r.parameters += c.parameters;
                r.macs += c.macs;
            }
            records.push_back(r);
        };
        for (int b : o.weightBits) {
            modelView(SensitivityKind::ModelWeights, b);
            if (!step())
                return cancelled();
        }
        for (int b : o.activationBits) {
            modelView(SensitivityKind::ModelActivations, b);
            if (!step())
                return cancelled();
        }
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal,
                         QStringLiteral("sensitivity analysis failed: %1").arg(exceptionSummary(e)));
    }
    return records;
}

}  // namespace metaaug::analysis
