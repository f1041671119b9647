// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison.h"

#include <algorithm>
#include <array>
#include <map>

namespace metaaug {

Result<Comparison> compareFpAndQuantized(const graph::Executor &ex, graph::ExecutionHooks &hooks,
                                         const ImageDataset &data, const torch::Tensor &indices, int64_t batch,
                                         const std::function<bool()> &abort,
                                         const std::function<void(int64_t, int64_t)> &progress)
{
    if (!data.labelled())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("data source %1 has no labels").arg(data.source));
    torch::NoGradGuard ng;
    Comparison c;
    c.n = indices.numel();
    int64_t fpOk = 0, qOk = 0, agree = 0;
    double kl = 0;
    try {
        for (int64_t b = 0; b < c.n; b += batch) {
            if (abort && abort())
                return makeError(ErrorCode::Aborted, QStringLiteral("evaluation cancelled"));
            const torch::Tensor idx = indices.slice(0, b, std::min(c.n, b + batch));
            auto input = data.input(idx);
            if (!input)
                return input.error();
            const torch::Tensor &x = *input;
            const torch::Tensor labels = data.labels.index_select(0, idx);
            const torch::Tensor fp = ex.run(x), q = ex.run(x, &hooks);
            if (fp.dim() != 2)
                return makeError(ErrorCode::Unsupported, QStringLiteral("the model's output has shape %1; expected 2-D logits")
                                                             .arg(QString::fromStdString(c10::str(fp.sizes()))));
            const torch::Tensor pf = fp.argmax(1), pq = q.argmax(1);
            fpOk += (pf == labels).sum().item<int64_t>();
            qOk += (pq == labels).sum().item<int64_t>();
            agree += (pf == pq).sum().item<int64_t>();
            const torch::Tensor lf = torch::log_softmax(fp, 1), lq = torch::log_softmax(q, 1);
            kl += (lf.exp() * (lf - lq)).sum().item<double>();
            if (progress)
                progress(b + idx.numel(), c.n);
        }
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("evaluation on %1 failed: %2")
                                                  .arg(data.source, exceptionSummary(e)));
    }
    const double n = double(std::max<int64_t>(1, c.n));
    c.fpTop1 = 100.0 * fpOk / n;
    c.qTop1 = 100.0 * qOk / n;
    c.agreement = 100.0 * agree / n;
    c.kl = kl / n;
    return c;
}

double sqnrDb(const torch::Tensor &reference, const torch::Tensor &x)
{
    const double signal = reference.pow(2).sum().item<double>();
    const double noise = (reference - x).pow(2).sum().item<double>();
    if (noise == 0)
        return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(std::max(signal, 1e-30) / noise);
}

std::vector<LayerSqnr> layerSqnr(const graph::Executor &ex, graph::ExecutionHooks &hooks, const torch::Tensor &batch, int64_t chunk,
                                 int64_t maxBytes)
{
    torch::NoGradGuard ng;
    const graph::Graph &g = ex.graph();
    std::vector<std::string> names;
    for (int i : g.layers())
        names.push_back(g.nodes[i].name);
    if (maxBytes > 0 && batch.size(0) > 1) {
        // Every layer's output of one image, held twice (FP and quantized):
        // ResNet-50 at 224 holds 88 MiB per image, so its 10-image chunks
        // made this the run's peak (docs/performance.md, "Large blocks").
        int64_t perImage = 0;
        for (const auto &[name, t] : ex.intermediates(batch.slice(0, 0, 1), names))
            perImage += 2 * t.numel() * int64_t(t.element_size());
        chunk = std::clamp<int64_t>(maxBytes / std::max<int64_t>(1, perImage), 1, std::max<int64_t>(1, chunk));
    }
    if (batch.size(0) <= chunk) {  // one pass: every layer's output at once
        const auto fp = ex.intermediates(batch, names);
        const auto q = ex.intermediates(batch, names, &hooks);
        std::vector<LayerSqnr> out;
        for (int i : g.layers()) {
            const graph::Node &n = g.nodes[i];
            LayerSqnr l;
            l.layer = n.name;
            l.weightDb = sqnrDb(n.weight, hooks.weight(i, n));
            l.outputDb = sqnrDb(fp.at(n.name), q.at(n.name));
            l.outputMse = (fp.at(n.name) - q.at(n.name)).pow(2).mean().item<double>();
            out.push_back(l);
        }
        return out;
    }
    // In chunks of images (all layer outputs of a 224x224 batch take
    // gigabytes): signal and noise summed over chunks.
    std::map<std::string, std::array<double, 3>> sums;  // signal, noise, count
    for (int64_t i = 0; i < batch.size(0); i += chunk) {
        const torch::Tensor part = batch.slice(0, i, std::min(batch.size(0), i + chunk));
        const auto fp = ex.intermediates(part, names);
        const auto q = ex.intermediates(part, names, &hooks);
        for (const std::string &name : names) {
            auto &s = sums[name];
            s[0] += fp.at(name).pow(2).sum().item<double>();
            s[1] += (fp.at(name) - q.at(name)).pow(2).sum().item<double>();
            s[2] += double(fp.at(name).numel());
        }
    }
    std::vector<LayerSqnr> out;
    for (int i : g.layers()) {
        const graph::Node &n = g.nodes[i];
        const auto &s = sums.at(n.name);
        LayerSqnr l;
        l.layer = n.name;
        l.weightDb = sqnrDb(n.weight, hooks.weight(i, n));
        l.outputDb = s[1] == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(std::max(s[0], 1e-30) / s[1]);
        l.outputMse = s[1] / std::max(1.0, s[2]);
        out.push_back(l);
    }
    return out;
}

}  // namespace metaaug
