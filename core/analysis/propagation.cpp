// SPDX-License-Identifier: GPL-3.0-or-later
#include "propagation.h"

#include <QtCore/QJsonObject>

#include <cmath>

namespace metaaug::analysis {

namespace {

// Signal and noise summed over chunks, so a table over many images is the
// same as one pass over all of them.
struct Sums {
    double signal = 0, noise = 0, dot = 0, qNorm = 0, count = 0;
    void add(const torch::Tensor &ref, const torch::Tensor &x)
    {
        const torch::Tensor r = ref.to(torch::kDouble), d = x.to(torch::kDouble);
        signal += r.pow(2).sum().item<double>();
        noise += (r - d).pow(2).sum().item<double>();
        dot += (r * d).sum().item<double>();
        qNorm += d.pow(2).sum().item<double>();
        count += double(ref.numel());
    }
    std::optional<double> db() const
    {
        if (noise == 0)
            return std::nullopt;
        return 10.0 * std::log10(std::max(signal, 1e-30) / noise);
    }
    double noiseToSignal() const { return noise / std::max(signal, 1e-30); }
    double mse() const { return count > 0 ? noise / count : 0.0; }
    double cosine() const { return signal > 0 && qNorm > 0 ? dot / std::sqrt(signal * qNorm) : 1.0; }
};

// The quantized model, recording each activation point's value before its
// quantizer: the error that reached the point.
class Recording final : public graph::ExecutionHooks {
public:
    explicit Recording(quant::QuantizedModel &q) : m_q(q) {}
    torch::Tensor weight(int node, const graph::Node &layer) override { return m_q.weight(node, layer); }
    torch::Tensor activation(int point, const torch::Tensor &x) override
    {
        before[point] = x;
        return m_q.activation(point, x);
    }
    std::map<int, torch::Tensor> before;

private:
    quant::QuantizedModel &m_q;
};

// One of the two halves of a layer's quantization.
class Half final : public graph::ExecutionHooks {
public:
    Half(quant::QuantizedModel &q, bool weights) : m_q(q), m_weights(weights) {}
    torch::Tensor weight(int node, const graph::Node &layer) override
    {
        return m_weights ? m_q.weight(node, layer) : layer.weight;
    }
    torch::Tensor activation(int point, const torch::Tensor &x) override
    {
        return m_weights ? x : m_q.activation(point, x);
    }

private:
    quant::QuantizedModel &m_q;
    bool m_weights;
};

bool passesChannels(graph::OpKind op)
{
    using graph::OpKind;
    switch (op) {
    case OpKind::BatchNorm: case OpKind::Relu: case OpKind::Clamp: case OpKind::Hardswish: case OpKind::Silu:
    case OpKind::Gelu: case OpKind::Identity: case OpKind::Contiguous: case OpKind::MaxPool2d: case OpKind::AvgPool2d:
        return true;
    default:
        return false;
    }
}

// The node that made value v: through channel-preserving ops (BN, ReLU,
// pooling) back to the conv/linear or the op that mixed inputs.
int producerOf(const graph::Graph &g, const std::vector<int> &madeBy, int v)
{
    int node = v < int(madeBy.size()) ? madeBy[size_t(v)] : -1;
    while (node >= 0 && passesChannels(g.nodes[size_t(node)].op) && !g.nodes[size_t(node)].inputs.empty()) {
        const int prev = madeBy[size_t(g.nodes[size_t(node)].inputs[0])];
        if (prev < 0)
            break;
        node = prev;
    }
    return node;
}


}  // namespace

Propagation propagateErrors(const graph::Executor &ex, quant::QuantizedModel &q, const torch::Tensor &images, int64_t chunk,
                            int64_t maxBytes)
{
    torch::NoGradGuard ng;
    const graph::Graph &g = ex.graph();
    if (maxBytes > 0 && images.size(0) > 1) {
        // Every value of one image, held twice (FP and quantized).
        int64_t perImage = 0;
        for (const c10::IValue &v : ex.allValues(images.slice(0, 0, 1)))
            if (v.isTensor())
                perImage += 2 * v.toTensor().numel() * int64_t(v.toTensor().element_size());
        chunk = std::clamp<int64_t>(maxBytes / std::max<int64_t>(1, perImage), 1, std::max<int64_t>(1, chunk));
    }
    const std::vector<int> layers = g.layers();
    std::vector<int> madeBy(size_t(g.numValues), -1);
    for (int i = 0; i < int(g.nodes.size()); ++i)
        for (int o : g.nodes[size_t(i)].outputs)
            madeBy[size_t(o)] = i;

    std::map<int, Sums> local, localW, localA, input, output;
    // Per activation point: per-channel max |x|, negatives and values seen (FP).
    std::map<int, torch::Tensor> channelMax;
    std::map<int, double> negatives, seen;
    std::map<int, std::vector<double>> mixMax;  // add/cat node -> max |x| of each tensor input
    Half weightsOnly(q, true), activationsOnly(q, false);
    for (int64_t start = 0; start < images.size(0); start += std::max<int64_t>(1, chunk)) {
        const torch::Tensor x = images.slice(0, start, std::min(images.size(0), start + std::max<int64_t>(1, chunk)));
        const std::vector<c10::IValue> fp = ex.allValues(x);
        Recording rec(q);
        const std::vector<c10::IValue> qv = ex.allValues(x, &rec);
        for (int node : layers) {
            const graph::Node &n = g.nodes[size_t(node)];
            const int v = n.inputs[0], o = n.outputs[0];
            const int point = ex.pointOfValue(v);
            const torch::Tensor fpIn = fp[size_t(v)].toTensor(), fpOut = fp[size_t(o)].toTensor();
            const auto reached = rec.before.find(point);
            input[node].add(fpIn, reached != rec.before.end() ? reached->second : qv[size_t(v)].toTensor());
            output[node].add(fpOut, qv[size_t(o)].toTensor());
            local[node].add(fpOut, ex.runRange(node, node + 1, v, fpIn, o, &q));
            localW[node].add(fpOut, ex.runRange(node, node + 1, v, fpIn, o, &weightsOnly));
            localA[node].add(fpOut, ex.runRange(node, node + 1, v, fpIn, o, &activationsOnly));
        }
        for (int p = 0; p < int(ex.activationPoints().size()); ++p) {
            const int v = ex.activationPoints()[size_t(p)].value;
            const torch::Tensor t = fp[size_t(v)].toTensor();
            if (t.dim() < 2)
                continue;
            const torch::Tensor m = t.abs().transpose(0, 1).reshape({t.size(1), -1}).amax(1);
            channelMax[p] = channelMax.count(p) ? torch::maximum(channelMax[p], m) : m;
            negatives[p] += (t < 0).sum().item<double>();
            seen[p] += double(t.numel());
        }
        for (int i = 0; i < int(g.nodes.size()); ++i) {
            const graph::Node &n = g.nodes[size_t(i)];
            if (n.op != graph::OpKind::Add && n.op != graph::OpKind::Cat)
                continue;
            std::vector<torch::Tensor> parts;
            const c10::IValue &first = fp[size_t(n.inputs[0])];
            if (n.op == graph::OpKind::Cat && first.isTensorList())
                for (const torch::Tensor &t : first.toTensorList())
                    parts.push_back(t);
            else
                for (int in : n.inputs)
                    if (fp[size_t(in)].isTensor() && fp[size_t(in)].toTensor().dim() >= 2)
                        parts.push_back(fp[size_t(in)].toTensor());
            auto &mx = mixMax[i];
            mx.resize(parts.size(), 0.0);
            for (size_t k = 0; k < parts.size(); ++k)
                mx[k] = std::max(mx[k], parts[k].abs().max().item<double>());
        }
    }

    Propagation out;
    for (int node : layers) {
        LayerPropagation l;
        l.layer = QString::fromStdString(g.nodes[size_t(node)].name);
        l.localDb = local[node].db();
        l.localWeightDb = localW[node].db();
        l.localActivationDb = localA[node].db();
        l.inputDb = input[node].db();
        l.outputDb = output[node].db();
        if (l.inputDb && l.outputDb)
            l.dropDb = *l.inputDb - *l.outputDb;
        const double added = output[node].noiseToSignal() - input[node].noiseToSignal();
        if (added > 0)
            l.injectedDb = 10.0 * std::log10(added);
        l.localMse = local[node].mse();
        l.outputMse = output[node].mse();
        l.outputCosine = output[node].cosine();
        out.layers.push_back(l);
    }

    // The diagnosis.
    auto layerName = [&](int node) { return node >= 0 ? QString::fromStdString(g.nodes[size_t(node)].name) : QStringLiteral("the input"); };
    for (const auto &[p, m] : channelMax) {
        const quant::ActivationQuantizer &a = q.activation(p);
        const graph::ActivationPoint &ap = ex.activationPoints()[size_t(p)];
        if (!q.activationEnabled(p) || !a.initialized() || ap.isModelInput)
            continue;
        const QString consumer = layerName(ap.layers.front());
        const int producer = producerOf(g, madeBy, ap.value);
        const double median = m.median().item<double>();
        const int64_t top = m.argmax().item<int64_t>();
        const double ratio = median > 0 ? m[top].item<double>() / median : 0.0;
        if (median > 0 && ratio >= kOutlierChannelRatio)
            out.findings.push_back({QStringLiteral("outlier_channel"), layerName(producer), int(top), ratio,
                                    QStringLiteral("channel %1 of %2 ranges %3x the median channel, and feeds the per-tensor %4-bit "
                                                   "input quantizer of %5: every other channel gets a coarse grid")
                                        .arg(top).arg(layerName(producer)).arg(ratio, 0, 'f', 1).arg(a.grid().bits).arg(consumer),
                                    QStringLiteral("clip that input's range, or keep %1's input at 8 bits").arg(consumer)});
        const double negShare = seen[p] > 0 ? negatives[p] / seen[p] : 0.0;
        if (!a.isSigned() && negShare >= kSignedShare)
            out.findings.push_back({QStringLiteral("signed_into_unsigned"), consumer, -1, negShare,
                                    QStringLiteral("%1 % of %2's input is negative but its quantizer is unsigned (fitted on a batch "
                                                   "without negatives): those values are clipped to 0")
                                        .arg(100.0 * negShare, 0, 'f', 2).arg(consumer),
                                    QStringLiteral("refit %1's input grid on more images, or keep it in FP").arg(consumer)});
        const double dead = (m == 0).sum().item<double>() / double(std::max<int64_t>(1, m.numel()));
        if (dead >= kDeadChannelShare)
            out.findings.push_back({QStringLiteral("dead_channels"), layerName(producer), -1, dead,
                                    QStringLiteral("%1 % of the channels %2 makes are zero on every image")
                                        .arg(100.0 * dead, 0, 'f', 0).arg(layerName(producer)),
                                    QStringLiteral("prune them; they cost bits and carry nothing")});
    }
    for (const auto &[node, mx] : mixMax) {
        if (mx.size() < 2)
            continue;
        const auto [lo, hi] = std::minmax_element(mx.begin(), mx.end());
        if (*lo > 0 && *hi / *lo >= kScaleMismatchRatio)
            out.findings.push_back({QStringLiteral("scale_mismatch"), layerName(node), -1, *hi / *lo,
                                    QStringLiteral("the inputs of %1 differ %2x in range: one grid after it cannot serve both")
                                        .arg(layerName(node)).arg(*hi / *lo, 0, 'f', 1),
                                    QStringLiteral("keep the layers after %1 at higher activation bits").arg(layerName(node))});
    }
    const int first = layers.front(), last = layers.back();
    for (int node : {first, last}) {
        const int wb = q.plan().weightBits.at(node);
        const int ab = q.plan().activationBits[size_t(ex.pointOfValue(g.nodes[size_t(node)].inputs[0]))];
        if (wb < 8 || (ab > 0 && ab < 8))
            out.findings.push_back({QStringLiteral("low_bit_end"), layerName(node), -1, double(std::min(wb, ab > 0 ? ab : wb)),
                                    QStringLiteral("%1, the %2 layer, runs at W%3A%4: the ends of a network are the most sensitive")
                                        .arg(layerName(node), node == first ? QStringLiteral("first") : QStringLiteral("last"))
                                        .arg(wb).arg(ab > 0 ? QString::number(ab) : QStringLiteral("FP")),
                                    QStringLiteral("keep %1 at W8A8").arg(layerName(node))});
    }
    return out;
}

}  // namespace metaaug::analysis
