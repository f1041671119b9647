// SPDX-License-Identifier: GPL-3.0-or-later
#include "model.h"

#include "modelfile.h"

#include "sandbox/modelloader.h"

#include <QtCore/QFileInfo>


namespace metaaug {

Result<Model> Model::load(const QString &path, const ModelLoadOptions &options)
{
    // The importer that claims the suffix (.onnx: a plugin), else the
    // built-in TorchScript one, run in the loader helper. The helper starts
    // first: it parses while the file is hashed here.
    std::unique_ptr<sandbox::PendingImport> pending;
    if (sandbox::defaultIsolation() == sandbox::LoadIsolation::Helper && QFileInfo(path).isFile())
        pending = std::make_unique<sandbox::PendingImport>(path, options.import);
    auto file = openModelFile(path, options.card);
    if (!file)
        return file.error();
    Model m;
    m.m_path = file->path;
    m.m_sha256 = file->sha256;
    m.m_card = file->card;
    auto g = pending ? pending->result() : sandbox::importModelFile(path, options.import);
    if (!g)
        return g.error();
    if (auto r = m.adopt(std::make_shared<const graph::Graph>(std::move(g).value()), options.partition); !r)
        return r.error();
    return m;
}

Result<Model> Model::fromGraph(std::shared_ptr<const graph::Graph> graph, const ModelCard &card, const QString &name,
                               graph::PartitionRule partition)
{
    Model m;
    m.m_path = name;
    m.m_card = card;
    if (auto r = m.adopt(std::move(graph), partition); !r)
        return r.error();
    return m;
}

Result<void> Model::adopt(std::shared_ptr<const graph::Graph> graph, graph::PartitionRule partition)
{
    try {
        // A deployment head (softmax or log_softmax over the classes as the
        // last op): logits are read before it, so KL and agreement compare
        // logits, whatever the file ends with.
        std::shared_ptr<const graph::Graph> logits = graph;
        const graph::Node *last = graph->nodes.empty() ? nullptr : &graph->nodes.back();
        m_softmaxHead = nullptr;
        if (last && (last->op == graph::OpKind::Softmax || last->op == graph::OpKind::LogSoftmax) &&
            last->outputs == std::vector<int>{graph->output} && !last->dims.empty() && (last->dims[0] == 1 || last->dims[0] == -1)) {
            auto body = std::make_shared<graph::Graph>(*graph);
            body->output = last->inputs[0];
            body->nodes.pop_back();
            m_softmaxHead = graph::opKindName(last->op);
            logits = std::move(body);
        }
        m_partition = graph::partition(*logits, partition);
        m_executor = std::make_shared<const graph::Executor>(logits);
        m_graph = std::move(graph);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1: %2").arg(m_path, QString::fromUtf8(e.what())));
    }
    return checkRunnable();
}

torch::Tensor Model::applyHead(const torch::Tensor &logits) const
{
    if (!m_softmaxHead)
        return logits;
    return m_graph->nodes.back().op == graph::OpKind::Softmax ? logits.softmax(-1) : logits.log_softmax(-1);
}

Result<void> Model::checkRunnable() const
{
    for (const graph::Node &n : m_graph->nodes)
        for (const torch::Tensor *t : {&n.weight, &n.bias, &n.bnScale, &n.bnShift}) {
            if (!t->defined())
                continue;
            const int64_t bad = t->numel() - torch::isfinite(*t).sum().item<int64_t>();
            if (bad > 0)
                return makeError(ErrorCode::BadFile, QStringLiteral("model %1: layer %2 has %3 non-finite parameter values "
                                                                    "(NaN or infinity); it cannot be quantized")
                                                         .arg(m_path, QString::fromStdString(n.name)).arg(bad));
        }
    const PreprocessSpec &spec = m_card.preprocess;
    const QString shape = QStringLiteral("%1x%2x%3").arg(spec.channels).arg(spec.height).arg(spec.width);
    const QString from = m_card.path.isEmpty() ? QStringLiteral("--input-shape") : QStringLiteral("model card ") + m_card.path;
    torch::Tensor out;
    try {
        torch::NoGradGuard ng;
        out = m_executor->run(torch::zeros({1, spec.channels, spec.height, spec.width}));
    } catch (const std::exception &e) {
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("model %1 cannot take input of shape %2 (from %3): %4")
                             .arg(m_path, shape, from, exceptionSummary(e)));
    }
    if (out.dim() != 2 || out.size(1) < 2)
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("model %1 outputs a tensor of shape %2 for one input; a classifier ending in "
                                        "2-D logits [batch, classes] is expected")
                             .arg(m_path, QString::fromStdString(c10::str(out.sizes()))));
    if (!m_card.classNames.isEmpty() && m_card.classNames.size() != out.size(1))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("model %1 outputs %2 classes but %3 names %4")
                                                         .arg(m_path).arg(out.size(1)).arg(from).arg(m_card.classNames.size()));
    return {};
}

Result<torch::Tensor> Model::forward(const torch::Tensor &input) const
{
    try {
        torch::NoGradGuard ng;
        return m_executor->run(input);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("model %1 failed on an input of shape %2: %3")
                                                 .arg(m_path, QString::fromStdString(c10::str(input.sizes())),
                                                      exceptionSummary(e)));
    }
}

}  // namespace metaaug
