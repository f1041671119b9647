// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "model/model.h"
#include "model/onnxreference.h"
#include "model/scriptmodel.h"
#include "sandbox/modelloader.h"

#include <QtCore/QCommandLineParser>

#include <chrono>

namespace metaaug::cli {

namespace {

QString shapeText(const torch::Tensor &t)
{
    if (!t.defined())
        return QStringLiteral("?");
    QStringList dims;
    for (int64_t d : t.sizes())
        dims << QString::number(d);
    return dims.join(QLatin1Char('x'));
}

QJsonArray shapeJson(const torch::Tensor &t)
{
    QJsonArray a;
    if (t.defined())
        for (int64_t d : t.sizes())
            a.append(qint64(d));
    return a;
}

// Median wall times (ms) of two forwards, run alternately so that both see
// the same machine state.
template <typename A, typename B>
std::pair<double, double> interleavedMedianMs(A &&a, B &&b, int reps = 11)
{
    a();
    b();
    std::vector<double> ta, tb;
    auto time = [](auto &&f) {
        const auto s = std::chrono::steady_clock::now();
        f();
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count();
    };
    for (int i = 0; i < reps; ++i) {
        ta.push_back(time(a));
        tb.push_back(time(b));
    }
    std::sort(ta.begin(), ta.end());
    std::sort(tb.begin(), tb.end());
    return {ta[ta.size() / 2], tb[tb.size() / 2]};
}

}  // namespace

int infoCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Show a model as the engine sees it: layers (name, op, output shape, parameters) and reconstruction units "
        "(name, layers, input/output shapes). Exits non-zero on a model the engine cannot translate."));
    p.addHelpOption();
    addModelOptions(p);
    p.addOption({QStringLiteral("verify"), QStringLiteral("Run the engine and the file's own runtime (TorchScript, or ONNX Runtime for .onnx when installed) on a random batch and print the max abs difference.")});
    p.addOption({QStringLiteral("speed-batch"),
                 QStringLiteral("With --verify: also time the FP forward of engine and TorchScript at this batch size (median of 11, run alternately; the interpreter then runs in this process, outside the sandbox: for files you trust)."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("no-fold-bn"), QStringLiteral("Keep BatchNorm as its own node instead of folding it into the conv.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object with layers, units and (with --verify) max_abs_diff.")});
    addThreadsOption(p);
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    QString error;
    qint64 speedBatch = 0;
    if (!intOption(p, "speed-batch", 0, 4096, &speedBatch, &error))
        return fail(error, Usage);
    ModelLoadOptions options;
    options.import.foldBatchNorm = !p.isSet(QStringLiteral("no-fold-bn"));
    auto model = loadModelWithCard(p, options);
    if (!model)
        return fail(model.error().message);
    const ModelCard *card = &model->card();

    const graph::Graph &g = model->logitsGraph();  // the head is not run: logits are read before it
    const PreprocessSpec &spec = card->preprocess;
    torch::manual_seed(0);
    const torch::Tensor probe = torch::randn({2, spec.channels, spec.height, spec.width});
    std::vector<std::string> names;
    for (const auto &n : g.nodes)
        names.push_back(n.name);
    std::map<std::string, torch::Tensor> outs;
    try {
        torch::NoGradGuard ng;
        outs = model->executor().intermediates(probe, names);
    } catch (const std::exception &e) {
        return fail(QStringLiteral("model %1 failed on an input of shape %2: %3")
                        .arg(model->path(), shapeText(probe), exceptionSummary(e)));
    }
    const auto producers = g.producers();
    auto valueTensor = [&](int v) -> torch::Tensor {
        if (v == 0)
            return probe;
        const int node = producers[v];
        if (node < 0)
            return {};
        auto it = outs.find(g.nodes[node].name);
        return it == outs.end() ? torch::Tensor() : it->second;
    };

    const bool json = p.isSet(QStringLiteral("json"));
    QJsonArray layersJson, unitsJson;
    QStringList text;
    text << QStringLiteral("model  %1\nsha256 %2\nnodes  %3, layers %4, units %5 (%6)\n")
                .arg(model->path(), model->sha256()).arg(g.nodes.size()).arg(g.layers().size())
                .arg(model->partition().units.size())
                .arg(QLatin1String(graph::partitionRuleName(model->partition().ruleUsed)));
    if (model->softmaxHead())
        text << QStringLiteral("head   %1 (the engine reads the logits before it: KL and agreement compare logits; exports keep it)\n")
                    .arg(QLatin1String(model->softmaxHead()));
    text << QStringLiteral("%1 %2 %3 %4").arg(QStringLiteral("layer"), -36).arg(QStringLiteral("op"), -8)
                .arg(QStringLiteral("output (batch 2)"), -20).arg(QStringLiteral("params"), 10);
    int64_t totalParams = 0;
    for (int i : g.layers()) {
        const graph::Node &n = g.nodes[i];
        const int64_t params = g.parameterCount(n);
        totalParams += params;
        const torch::Tensor out = valueTensor(n.outputs[0]);
        layersJson.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(n.name)},
                                      {QStringLiteral("op"), QLatin1String(graph::opKindName(n.op))},
                                      {QStringLiteral("weight_shape"), shapeJson(n.weight)},
                                      {QStringLiteral("output_shape"), shapeJson(out)},
                                      {QStringLiteral("parameters"), qint64(params)}});
        text << QStringLiteral("%1 %2 %3 %4").arg(QString::fromStdString(n.name), -36)
                    .arg(QLatin1String(graph::opKindName(n.op)), -8).arg(shapeText(out), -20).arg(params, 10);
    }
    text << QStringLiteral("total parameters in layers: %1\n").arg(totalParams);
    text << QStringLiteral("%1 %2 %3 %4").arg(QStringLiteral("unit"), -24).arg(QStringLiteral("input"), -16)
                .arg(QStringLiteral("output"), -16).arg(QStringLiteral("layers"));
    for (const graph::Unit &u : model->partition().units) {
        QJsonArray unitLayers;
        QStringList layerNames;
        for (int i : u.layers) {
            unitLayers.append(QString::fromStdString(g.nodes[i].name));
            layerNames << QString::fromStdString(g.nodes[i].name);
        }
        unitsJson.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(u.name)},
                                     {QStringLiteral("layers"), unitLayers},
                                     {QStringLiteral("input_shape"), shapeJson(valueTensor(u.input))},
                                     {QStringLiteral("output_shape"), shapeJson(valueTensor(u.output))}});
        text << QStringLiteral("%1 %2 %3 %4").arg(QString::fromStdString(u.name), -24)
                    .arg(shapeText(valueTensor(u.input)), -16).arg(shapeText(valueTensor(u.output)), -16)
                    .arg(layerNames.join(QStringLiteral(", ")));
    }

    QJsonObject result{{QStringLiteral("model"), model->path()},
                       {QStringLiteral("sha256"), model->sha256()},
                       {QStringLiteral("partition_rule"), QLatin1String(graph::partitionRuleName(model->partition().ruleUsed))},
                       {QStringLiteral("softmax_head"), model->softmaxHead() ? QJsonValue(QLatin1String(model->softmaxHead())) : QJsonValue()},
                       {QStringLiteral("layers"), layersJson},
                       {QStringLiteral("units"), unitsJson}};
    if (p.isSet(QStringLiteral("verify"))) {
        torch::manual_seed(1);
        const torch::Tensor x = torch::randn({8, spec.channels, spec.height, spec.width});
        // An ONNX file is checked against ONNX Runtime; a TorchScript file
        // against the TorchScript interpreter, in the sandboxed loader like the parse.
        const bool onnx = isOnnxFile(model->path());
        const QString referenceName = onnx ? QStringLiteral("onnxruntime") : QStringLiteral("torchscript");
        auto ref = onnx ? onnxRuntimeLogits(model->path(), x) : sandbox::referenceLogits(model->path(), x);
        if (!ref && onnx && ref.error().code == ErrorCode::NotFound) {
            result[QStringLiteral("verified")] = false;
            result[QStringLiteral("not_verified")] = ref.error().message;
            text << QStringLiteral("\nverify: not verified: %1").arg(ref.error().message);
            if (json)
                printJson(result);
            else
                printOut(text.join(QLatin1Char('\n')));
            return Ok;
        }
        if (!ref)
            return fail(ref.error().message);
        auto mine = model->forward(x);
        if (!mine)
            return fail(mine.error().message);
        *mine = model->applyHead(*mine);
        const double diff = (*ref - *mine).abs().max().item<double>();
        const double scale = std::max(1.0, ref->abs().max().item<double>());
        result[QStringLiteral("max_abs_diff")] = diff;
        result[QStringLiteral("relative_diff")] = diff / scale;
        result[QStringLiteral("verified")] = true;
        result[QStringLiteral("reference")] = referenceName;
        text << QStringLiteral("\nverify: max |engine - %3| = %1 (%2 relative to max(1, max|output|)) on a random batch of 8")
                    .arg(diff, 0, 'g', 3).arg(diff / scale, 0, 'g', 3).arg(referenceName);
        if (speedBatch > 0 && onnx) {
            text << QStringLiteral("speed: not timed: --speed-batch compares the engine with the TorchScript interpreter, and %1 is ONNX").arg(model->path());
        } else if (speedBatch > 0) {
            // A benchmark: the interpreter in this process, on a file the user trusts.
            auto script = ScriptModel::load(modelPath(p), *card);
            if (!script)
                return fail(script.error().message);
            const torch::Tensor xb = torch::randn({speedBatch, spec.channels, spec.height, spec.width});
            torch::NoGradGuard ng;
            const auto [engineMs, jitMs] = interleavedMedianMs([&] { (void)model->forward(xb); },
                                                               [&] { (void)script->forward(xb); });
            result[QStringLiteral("engine_forward_ms")] = engineMs;
            result[QStringLiteral("torchscript_forward_ms")] = jitMs;
            result[QStringLiteral("speed_ratio")] = jitMs / engineMs;
            text << QStringLiteral("speed: FP forward at batch %1: engine %2 ms, torchscript %3 ms (engine is %4x the speed)")
                        .arg(speedBatch).arg(engineMs, 0, 'f', 1).arg(jitMs, 0, 'f', 1).arg(jitMs / engineMs, 0, 'f', 2);
        }
    }
    if (json)
        printJson(result);
    else
        printOut(text.join(QLatin1Char('\n')));
    return Ok;
}

}  // namespace metaaug::cli
