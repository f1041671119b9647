// SPDX-License-Identifier: GPL-3.0-or-later
// TorchScript source for a graph IR with a quantized state: one statement
// per node (the executor's ops, spelled as TorchScript builtins), the
// quantized weights and constant tensors as buffers, and after every
// quantized activation value the engine's fake quantization
// round(clamp(x / step, qmin, qmax)) * step. Compiled in C++ with
// torch::jit::Module::define, so no Python is involved.
#pragma once

#include "export/quantizedstate.h"

namespace metaaug::plugins {

struct Script {
    std::string source;                               // def forward(self, x: Tensor) -> Tensor: ...
    std::vector<std::pair<std::string, torch::Tensor>> buffers;
};

// Errors name the node whose op or value types cannot be written.
Result<Script> writeScript(const graph::Graph &graph, const exporting::QuantizedState &state, const torch::Tensor &probeInput);

}  // namespace metaaug::plugins
