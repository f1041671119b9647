// SPDX-License-Identifier: GPL-3.0-or-later
// Ops that torch.onnx.export writes out as primitive ops, fused back before
// translation so that the graph IR holds the op the model was written with
// (and quantization sees one LayerNorm, one GELU, one biased Linear):
//   - LayerNorm over the last axis (opsets < 17): ReduceMean, Sub, Pow 2,
//     ReduceMean, Add eps, Sqrt, Div, then optional Mul weight, Add bias
//     -> LayerNormalization(x, weight, bias);
//   - exact GELU: Div sqrt(2), Erf, Add 1, Mul x, Mul 0.5 -> Gelu(x);
//   - a MatMul by a constant matrix followed by the Add of a constant vector
//     -> MatMul(x, W, bias) (a third input, understood by our reader only).
// Each fused node keeps the first node's scope name, so module paths hold.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace onnx {
class NodeProto;
}

namespace metaaug::plugins {

// `constants`: initializers and Constant outputs by name. Returns the nodes
// with each matched pattern replaced by one node.
std::vector<onnx::NodeProto> fuseDecomposedOps(const std::vector<onnx::NodeProto> &nodes,
                                               const std::map<std::string, torch::Tensor> &constants,
                                               const std::vector<std::string> &graphOutputs);

}  // namespace metaaug::plugins
