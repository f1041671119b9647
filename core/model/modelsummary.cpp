// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelsummary.h"

#include "model.h"

#include "sandbox/modelloader.h"

namespace metaaug {

namespace {

QString perImageShape(const torch::Tensor &t)
{
    if (!t.defined())
        return QStringLiteral("?");
    QStringList dims;
    for (int64_t i = 1; i < t.dim(); ++i)
        dims << QString::number(t.size(i));
    return dims.join(QLatin1Char('x'));
}

QString shapeText(const torch::Tensor &t)
{
    QStringList dims;
    if (t.defined())
        for (int64_t d : t.sizes())
            dims << QString::number(d);
    return dims.join(QLatin1Char('x'));
}

Result<ModelSummary> summarize(const QString &path, const QString &cardPath)
{
    ModelLoadOptions options;
    if (!cardPath.isEmpty()) {
        auto card = ModelCard::load(cardPath);
        if (!card)
            return card.error();
        options.card = *card;
    }
    auto model = Model::load(path, options);
    if (!model)
        return model.error();
    const graph::Graph &g = model->logitsGraph();  // the head is not run: logits are read before it
    const PreprocessSpec &pre = model->card().preprocess;
    ModelSummary s;
    s.path = model->path();
    s.sha256 = model->sha256();
    s.cardName = model->card().name;
    s.classNames = model->card().classNames;
    s.fpTestTop1 = model->card().fpTestTop1;
    s.nodes = int(g.nodes.size());
    s.partitionRule = QLatin1String(graph::partitionRuleName(model->partition().ruleUsed));
    s.softmaxHead = QLatin1String(model->softmaxHead() ? model->softmaxHead() : "");
    const torch::Tensor probe = torch::zeros({1, pre.channels, pre.height, pre.width});
    s.inputShape = perImageShape(probe);
    std::vector<std::string> names;
    for (const auto &n : g.nodes)
        names.push_back(n.name);
    std::map<std::string, torch::Tensor> outs;
    {
        torch::NoGradGuard ng;
        outs = model->executor().intermediates(probe, names);
        s.classes = int(model->executor().run(probe).size(1));  // checked 2-D when the model loaded
    }
    const auto producers = g.producers();
    auto valueShape = [&](int v) {
        if (v == 0)
            return s.inputShape;
        const int node = producers[v];
        auto it = node < 0 ? outs.end() : outs.find(g.nodes[node].name);
        return it == outs.end() ? QStringLiteral("?") : perImageShape(it->second);
    };
    for (const graph::Unit &u : model->partition().units) {
        UnitSummary us{QString::fromStdString(u.name), valueShape(u.input), valueShape(u.output), {}};
        for (int i : u.layers) {
            const graph::Node &n = g.nodes[i];
            LayerSummary l;
            l.name = QString::fromStdString(n.name);
            l.op = QLatin1String(graph::opKindName(n.op));
            l.weightShape = shapeText(n.weight);
            l.outputShape = valueShape(n.outputs[0]);
            l.parameters = g.parameterCount(n);
            s.parameters += l.parameters;
            us.layers.push_back(l);
        }
        s.units.push_back(us);
    }
    return s;
}

}  // namespace

Result<std::vector<int64_t>> checkModelFile(const QString &path)
{
    try {
        auto g = sandbox::importModelFile(path, {});
        if (!g)
            return g.error();
        return g->declaredInput;
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("model file %1 could not be read: %2").arg(path, exceptionSummary(e)));
    }
}

Result<ModelSummary> summarizeModel(const QString &path, const QString &cardPath)
{
    try {
        return summarize(path, cardPath);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("model %1 could not be run on a zero image: %2")
                                                  .arg(path, exceptionSummary(e)));
    }
}

}  // namespace metaaug
