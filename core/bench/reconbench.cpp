// SPDX-License-Identifier: GPL-3.0-or-later
#include "reconbench.h"

#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "model/model.h"
#include "methods/method.h"
#include "recon/reconstruction.h"
#include "run/quantizationrun.h"

#include <QtCore/QJsonArray>

#include <chrono>

namespace metaaug {

namespace {

// Records each activation point's input as the unit runs: the layers' inputs.
struct InputRecorder : graph::ExecutionHooks {
    std::map<int, torch::Tensor> inputs;
    torch::Tensor activation(int point, const torch::Tensor &x) override
    {
        inputs[point] = x.detach();
        return x;
    }
};

// Median ms of the unit's conv/linear layers alone, forward and backward, on
// the inputs they get for the first `batch` cached images.
double convFloorMs(const graph::Executor &ex, const graph::Unit &unit, const torch::Tensor &unitInput, int reps)
{
    InputRecorder rec;
    {
        torch::NoGradGuard ng;
        (void)ex.runUnit(unit, unitInput, &rec);
    }
    struct Op { const graph::Node *node; torch::Tensor x, w; };
    std::vector<Op> ops;
    for (int layer : unit.layers) {
        const graph::Node &n = ex.graph().nodes[size_t(layer)];
        const int point = ex.pointOfValue(n.inputs[0]);
        const auto it = rec.inputs.find(point);
        if (it == rec.inputs.end())
            continue;
        // The unit's input needs no gradient in reconstruction; inner inputs do.
        ops.push_back({&n, it->second.clone().requires_grad_(n.inputs[0] != unit.input), n.weight.clone().requires_grad_(true)});
    }
    std::vector<double> ms;
    for (int r = 0; r < reps + 1; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (Op &o : ops) {
            const graph::Node &n = *o.node;
            const torch::Tensor y = n.op == graph::OpKind::Conv2d
                                        ? at::conv2d(o.x, o.w, n.bias, n.stride, n.padding, n.dilation, n.groups)
                                        : at::linear(o.x, o.w, n.bias);
            y.backward(torch::ones_like(y));
        }
        if (r > 0)  // the first is a warm-up
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
    return ms.empty() ? 0 : ms[ms.size() / 2];
}

}  // namespace

Result<std::vector<UnitIterationTiming>> benchReconstruction(const QString &modelPath, const std::vector<int> &batches,
                                                             int iterations, int images, const std::optional<ModelCard> &card)
{
    try {
        ModelLoadOptions options;
        options.card = card;
        auto model = Model::load(modelPath, options);
        if (!model)
            return model.error();
        auto data = openDataSource(QStringLiteral("fashion-mnist:train"), model->card().preprocess);
        if (!data)
            return data.error();
        auto sel = selectCalibration(*data, images, 0);
        if (!sel)
            return sel.error();
        torch::manual_seed(0);
        auto calibInput = data->input(sel->indexTensor());
        if (!calibInput)
            return calibInput.error();
        const torch::Tensor calib = std::move(*calibInput);
        quant::QuantizedModel q(model->sharedExecutor(), quant::planBits(model->executor(), 2, 4, quant::BitSetting::QDrop));
        q.initializeActivations(calib);
        const auto &units = model->partition().units;
        recon::CacheBuilder builder(model->executor(), units);
        RunSink sink;
        std::vector<UnitIterationTiming> out;
        for (int b = 0; b < int(units.size()); ++b) {
            const recon::UnitCache cache = builder.build(b, calib, q);
            const recon::RunContext ctx{model->executor(), units, q, sink, std::chrono::steady_clock::now()};
            UnitIterationTiming t{QString::fromStdString(units[b].name), {}};
            for (int batch : batches) {
                recon::ReconOptions o = methods::geniemOptions({});
                o.iterations = iterations;
                o.batch = batch;
                auto stats = recon::reconstructUnit(ctx, b, cache, o);
                if (!stats)
                    return stats.error();
                t.medianMs.push_back(stats->medianIterationMs);
                t.floorMs.push_back(convFloorMs(model->executor(), units[size_t(b)],
                                                cache.xQ.slice(0, std::min<int64_t>(batch, cache.xQ.size())), iterations));
            }
            out.push_back(t);
        }
        return out;
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, exceptionSummary(e));
    }
}

Result<void> benchMetaAug(const QString &modelPath, std::vector<UnitIterationTiming> &timings, int iterations, int images,
                          const std::optional<ModelCard> &card)
{
    RunSpec spec;
    spec.modelPath = modelPath;
    spec.card = card;
    spec.method = QStringLiteral("metaaug");
    spec.iterations = iterations;
    spec.calibSize = images;
    spec.evalLimit = 1;
    spec.methodOptions = QJsonObject{{QStringLiteral("meta_iters"), iterations}};
    RunSink sink;
    auto run = runQuantization(spec, sink);
    if (!run)
        return run.error();
    for (const UnitResult &u : run->result.units) {
        const auto &ms = u.medianIterationMs;
        for (UnitIterationTiming &t : timings)
            if (t.unit == u.name && ms.count(QStringLiteral("meta"))) {
                t.metaMs = ms.at(QStringLiteral("meta"));
                t.phaseBMs = ms.count(QStringLiteral("reconstruction")) ? ms.at(QStringLiteral("reconstruction")) : 0.0;
            }
    }
    return {};
}

}  // namespace metaaug
