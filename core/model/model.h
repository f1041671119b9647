// SPDX-License-Identifier: GPL-3.0-or-later
// A model as the engine sees it: the file, its card, its graph IR, an
// executor and the partition into reconstruction units.
#pragma once

#include "common/result.h"
#include "graph/executor.h"
#include "graph/partition.h"
#include "graph/torchscriptimporter.h"
#include "modelcard.h"

#include <memory>

namespace metaaug {

struct ModelLoadOptions {
    graph::ImportOptions import;
    graph::PartitionRule partition = graph::PartitionRule::Auto;
    std::optional<ModelCard> card;  // overrides the card file beside the model
};

class Model {
public:
    // Reads the card (or takes options.card), hashes the file, imports the
    // graph, partitions it and checks that it runs (checkRunnable). Errors
    // name the file and, for unsupported graphs, the op and module.
    static Result<Model> load(const QString &path, const ModelLoadOptions &options = {});
    // A model from a graph already imported (a graph built in code, or one
    // an importer produced elsewhere): partitioned and checked as load() does.
    // `name` stands for the file in messages; the hash is of no file (empty).
    static Result<Model> fromGraph(std::shared_ptr<const graph::Graph> graph, const ModelCard &card, const QString &name,
                                   graph::PartitionRule partition = graph::PartitionRule::Auto);

    const QString &path() const { return m_path; }
    const QString &sha256() const { return m_sha256; }
    const ModelCard &card() const { return m_card; }
    // The graph as imported: what exporters write (a softmax head included).
    const graph::Graph &graph() const { return *m_graph; }
    std::shared_ptr<const graph::Graph> sharedGraph() const { return m_graph; }
    // The op of a final softmax / log_softmax over the classes, or nullptr.
    // The engine (executor, partition, evaluation, KL, agreement) works on
    // the logits before it: the same graph without that last node.
    const char *softmaxHead() const { return m_softmaxHead; }
    // What the file outputs for the engine's `logits`: the softmax head applied, if any.
    torch::Tensor applyHead(const torch::Tensor &logits) const;
    const graph::Executor &executor() const { return *m_executor; }
    // The graph the engine runs: graph() without the softmax head. Readers of
    // intermediates (info, the model panel) name nodes of this one.
    const graph::Graph &logitsGraph() const { return m_executor->graph(); }
    std::shared_ptr<const graph::Executor> sharedExecutor() const { return m_executor; }
    const graph::Partition &partition() const { return m_partition; }

    // FP forward under NoGradGuard; library exceptions become errors.
    Result<torch::Tensor> forward(const torch::Tensor &input) const;

private:
    // A dry run on one blank input of the card's shape: weights must be
    // finite, the input shape accepted, the output 2-D logits (matching the
    // card's class names). Errors name the layer or the shape at fault.
    Result<void> checkRunnable() const;
    // Partitions `graph`, makes its executor and checks it runs.
    Result<void> adopt(std::shared_ptr<const graph::Graph> graph, graph::PartitionRule partition);

    QString m_path, m_sha256;
    ModelCard m_card;
    std::shared_ptr<const graph::Graph> m_graph;
    const char *m_softmaxHead = nullptr;
    std::shared_ptr<const graph::Executor> m_executor;
    graph::Partition m_partition;
};

}  // namespace metaaug
