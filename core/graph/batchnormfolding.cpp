// SPDX-License-Identifier: GPL-3.0-or-later
#include "batchnormfolding.h"

namespace metaaug::graph {

namespace {
// Per-channel (scale, shift) of an eval-mode BN in double precision.
std::pair<torch::Tensor, torch::Tensor> affine(const Node &bn)
{
    auto scale = torch::rsqrt(bn.bnVar.to(torch::kFloat64) + bn.bnEps);
    if (bn.bnWeight.defined())
        scale = scale * bn.bnWeight.to(torch::kFloat64);
    auto shift = -bn.bnMean.to(torch::kFloat64) * scale;
    if (bn.bnBias.defined())
        shift = shift + bn.bnBias.to(torch::kFloat64);
    return {scale, shift};
}
}  // namespace

void computeBatchNormAffine(Node &bn)
{
    auto [scale, shift] = affine(bn);
    bn.bnScale = scale.to(torch::kFloat32);
    bn.bnShift = shift.to(torch::kFloat32);
}

int foldBatchNorms(Graph &graph)
{
    const auto producers = graph.producers();
    const auto consumers = graph.consumers();
    std::vector<bool> erase(graph.nodes.size(), false);
    int folded = 0;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node &bn = graph.nodes[i];
        if (bn.op != OpKind::BatchNorm)
            continue;
        const int in = bn.inputs[0];
        const int p = producers[in];
        if (p < 0 || graph.nodes[p].op != OpKind::Conv2d || consumers[in].size() != 1 || in == graph.output)
            continue;
        Node &conv = graph.nodes[p];
        auto [scale, shift] = affine(bn);
        // conv(x) * scale + shift == conv with W * scale and b * scale + shift
        auto b = conv.bias.defined() ? conv.bias.to(torch::kFloat64) : torch::zeros_like(scale);
        conv.weight = (conv.weight.to(torch::kFloat64) * scale.view({-1, 1, 1, 1})).to(torch::kFloat32).contiguous();
        conv.bias = (b * scale + shift).to(torch::kFloat32);
        conv.outputs = bn.outputs;
        conv.sourceKind += "+aten::batch_norm";
        erase[i] = true;
        ++folded;
    }
    std::vector<Node> kept;
    kept.reserve(graph.nodes.size() - folded);
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        if (!erase[i])
            kept.push_back(std::move(graph.nodes[i]));
    graph.nodes = std::move(kept);
    return folded;
}

}  // namespace metaaug::graph
