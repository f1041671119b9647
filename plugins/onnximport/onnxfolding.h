// SPDX-License-Identifier: GPL-3.0-or-later
// Shape arithmetic that torch.onnx.export's constant folding leaves in a
// file (Gather, Unsqueeze, Squeeze, Concat, Slice, Cast, Reshape and integer
// Add/Sub/Mul/Div on constants), evaluated at import. Shape itself needs the
// reader's static shapes and is folded there.
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

namespace onnx {
class NodeProto;
}

namespace metaaug::plugins {

// The ops folded when every input is a constant (Shape included).
bool isFoldableOp(const std::string &opType);

// The node's output for constant `inputs` (an undefined tensor for an empty
// optional input); nullopt when this spelling is not folded (a Slice with a
// step, a Cast to another type).
std::optional<torch::Tensor> foldOnConstants(const onnx::NodeProto &n, const std::vector<torch::Tensor> &inputs);

}  // namespace metaaug::plugins
