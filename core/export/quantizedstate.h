// SPDX-License-Identifier: GPL-3.0-or-later
// The quantized model as data, independent of how it was trained: per
// conv/linear layer its bits, per-channel scale and zero point and the
// integer weight codes (w_q = scale * (code - zero_point)); per activation
// point its bits, sign and step (x_q = step * round(clamp(x / step, qmin, qmax))).
// Captured from a finished QuantizedModel, stored with every succeeded run,
// written by the exporters and read back by StateHooks, which runs the graph
// exactly as the engine's quantized model does.
#pragma once

#include "common/result.h"
#include "graph/executor.h"
#include "quant/quantizedmodel.h"

#include <QtCore/QJsonObject>

namespace metaaug::exporting {

struct LayerEncoding {
    int node = -1;
    std::string name;
    int bits = 8;
    torch::Tensor scale;      // float32 [O]
    torch::Tensor zeroPoint;  // float32 [O], integer-valued in [0, 2^bits - 1]
    torch::Tensor codes;      // uint8, the weight's shape, in [0, 2^bits - 1]

    // scale * (codes - zeroPoint), broadcast per output channel (float32).
    torch::Tensor dequantized() const;
};

struct ActivationEncoding {
    int point = -1;
    int value = -1;               // graph value quantized
    std::string name;             // first consuming layer
    std::vector<std::string> layers;
    int bits = 0;                 // 0: kept in FP
    bool isSigned = false;
    float step = 0;
    int64_t qmin() const { return isSigned ? -(int64_t(1) << (bits - 1)) : 0; }
    int64_t qmax() const { return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1; }
};

struct QuantizedState {
    std::vector<LayerEncoding> layers;           // in graph order
    std::vector<ActivationEncoding> activations; // by activation point

    const LayerEncoding *layer(int node) const;
    const ActivationEncoding *activationOfValue(int value) const;  // nullptr or FP when not quantized
};

// The state of a finished run (every layer hard-rounded or RTN). A layer
// still in FP is an error naming it.
Result<QuantizedState> captureState(const quant::QuantizedModel &qmodel, const graph::Graph &graph);

// Runs a graph with a captured state (no QDrop, no training).
class StateHooks : public graph::ExecutionHooks {
public:
    StateHooks(const QuantizedState &state, const graph::Executor &executor);
    torch::Tensor weight(int node, const graph::Node &layer) override;
    torch::Tensor activation(int point, const torch::Tensor &x) override;

private:
    std::map<int, torch::Tensor> m_weights;
    std::vector<const ActivationEncoding *> m_points;
};

// The "encodings" format: JSON (format, version, per layer name, op, bits,
// shape, scale, zero point and the byte range of its codes; per activation
// point bits, sign and step) plus the codes as one binary blob (uint8 per
// weight, layers in order).
struct Encodings {
    QJsonObject json;
    QByteArray codes;
};
Encodings toEncodings(const QuantizedState &state, const graph::Graph &graph);
// Checks the encodings against the graph (names, shapes, bits, ranges, the
// blob's size); errors name the layer and field at fault.
Result<QuantizedState> fromEncodings(const Encodings &enc, const graph::Graph &graph, const graph::Executor &executor);

}  // namespace metaaug::exporting
