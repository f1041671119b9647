#include "reconbench.h"

#include "data/calibrationsampler.h"
#include "data/datasource.h"
#include "model/model.h"
#include "methods/method.h"
#include "recon/reconstruction.h"
#include "run/quantizationrun.h"

#include <QtCore/QJsonArray>

namespace metaaug {

Result<std::vector<UnitIterationTiming>> benchReconstruction(const QString &modelPath, const std::vector<int> &batches,
                                                             int iterations, int images)
{
    try {
        auto model = Model::load(modelPath);
        if (!model)
            return model.error();
        auto data = openDataSource(QStringLiteral("fashion-mnist:train"), model->card().preprocess);
        if (!data)
            return data.error();
        auto sel = selectCalibration(*data, images, 0);
        if (!sel)
            return sel.error();
        torch::manual_seed(0);
        const torch::Tensor calib = data->input(sel->indexTensor(), model->card().preprocess);
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
            }
            out.push_back(t);
        }
        return out;
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
    }
}

Result<void> benchMetaAug(const QString &modelPath, std::vector<UnitIterationTiming> &timings, int iterations, int images)
{
    RunSpec spec;
    spec.modelPath = modelPath;
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
