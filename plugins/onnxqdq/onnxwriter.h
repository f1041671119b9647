// SPDX-License-Identifier: GPL-3.0-or-later
// An ONNX model (opset 14) of a graph IR with a quantized state, QDQ style:
// weights as uint8 codes with per-channel DequantizeLinear (axis 0, the
// weight's own zero points), activations as per-tensor QuantizeLinear /
// DequantizeLinear pairs (uint8 for unsigned, int8 for signed points, zero
// point 0) preceded by a Clip to [qmin·step, qmax·step] when the real
// bit-width is below 8. Shape arithmetic (size(), int(), lists) is folded
// from two probe runs (batch 2 and 3); the batch dimension stays dynamic.
#pragma once

#include "export/quantizedstate.h"

#include <onnx/onnx_pb.h>

namespace metaaug::plugins {

// probeInput: one image [1, C, H, W] of the model's input shape.
Result<onnx::ModelProto> writeOnnx(const graph::Graph &graph, const exporting::QuantizedState &state,
                                   const torch::Tensor &probeInput);

constexpr int kOnnxOpset = 14;

}  // namespace metaaug::plugins
