// SPDX-License-Identifier: GPL-3.0-or-later
// core's own graph IR of a CNN: what TorchScript (and later ONNX) models are
// translated into, executed with LibTorch ops by Executor, and cut into
// reconstruction units by partition().
//
// Values are numbered; every node reads values and writes one or more
// values. Value 0 is the image batch. Constants (weights, ints, lists) are
// values too, held in Graph::constants. Nodes are stored in execution
// (topological) order.
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

namespace metaaug::graph {

enum class OpKind {
    // layers quantization reaches into
    Conv2d,             // weight [O, I/groups, kH, kW], optional bias
    Linear,             // weight [O, I], optional bias
    // normalisation and activations
    BatchNorm,          // eval-mode affine: y = x * bnScale + bnShift (per channel)
    Relu,
    Clamp,              // relu6, hardtanh, clamp: min/max optional
    Hardswish,
    Hardsigmoid,
    Silu,
    Sigmoid,
    Gelu,               // exact (erf) or, with `tanhGelu`, the tanh approximation
    LayerNorm,          // over the last dim: (x - mean) / sqrt(var + bnEps) * bnWeight + bnBias
    Softmax,            // over dims[0]; as the last op, a deployment head (logits are read before it)
    LogSoftmax,
    // element-wise and structure
    Add,                // a + alpha * b (tensors or scalars)
    Sub,
    Mul,
    Div,                // true division, or floor division when `floorDiv`
    MaxPool2d,
    AvgPool2d,
    AdaptiveAvgPool2d,
    Mean,               // over `dims`, keepdim
    Flatten,
    Reshape,            // shape from input 1 (an int list, possibly computed)
    Cat,                // input 0: tensor list
    Transpose,
    Permute,            // dims: the permutation
    Slice,              // x.narrow-like: dims[0], sliceStart, sliceEnd (clamped), sliceStep
    Pad,                // constant zero padding; padding in torch's order (last dim first: l, r, t, b)
    Contiguous,
    Identity,           // dropout in eval mode
    Chunk,              // torch.chunk or, with splitSizes, torch.split -> a tensor list
    // shape arithmetic that traced and scripted graphs produce
    Size,               // x.size(dim) or x.size()
    ToInt,              // aten::Int: 0-dim tensor -> int
    NumToTensor,        // int -> 0-dim tensor
    ListConstruct,
    ListUnpack,         // list -> several outputs
};

// How many op kinds there are; OpKind(0) .. OpKind(kOpKindCount - 1) is every one.
constexpr int kOpKindCount = int(OpKind::ListUnpack) + 1;

// The op's name in messages, the supported-ops lists and exporters' errors.
const char *opKindName(OpKind kind);

// One level of the module hierarchy a node was called from.
struct ModuleFrame {
    std::string instance;   // attribute name in the parent ("layer1", "0", "conv1")
    std::string className;  // qualified class, e.g. "__torch__.torch.nn.modules.container.Sequential"
};

struct Node {
    OpKind op = OpKind::Identity;
    std::string name;        // stable, unique: "layer1.0.conv1", "layer1.0.relu#2", "add_17"
    std::string modulePath;  // module that produced it ("layer1.0"), empty at top level
    std::string sourceKind;  // the op it came from, e.g. "aten::_convolution"
    std::string sourceLocation;  // "file.py:123" when known
    std::vector<ModuleFrame> moduleStack;  // outermost first; empty without module info
    std::vector<int> inputs;
    std::vector<int> outputs;

    // Conv2d / Linear: weight and bias (BatchNorm folded in when it followed)
    torch::Tensor weight, bias;
    // BatchNorm (when kept): per-channel scale and shift, plus the raw statistics;
    // LayerNorm: bnWeight, bnBias (either may be undefined) and bnEps
    torch::Tensor bnScale, bnShift, bnMean, bnVar, bnWeight, bnBias;
    double bnEps = 1e-5;
    // Gelu: the tanh approximation instead of the exact erf form
    bool tanhGelu = false;
    // Slice along dims[0]: [sliceStart, sliceEnd) by sliceStep, clamped as Python slicing does
    int64_t sliceStart = 0, sliceEnd = INT64_MAX, sliceStep = 1;
    // Conv2d / pools
    std::vector<int64_t> kernel, stride, padding, dilation;
    int64_t groups = 1;
    bool ceilMode = false;
    bool countIncludePad = true;
    std::optional<int64_t> divisorOverride;
    // Clamp
    std::optional<double> minValue, maxValue;
    // Add/Sub: alpha; Div: floor division
    double alpha = 1.0;
    bool floorDiv = false;
    // Flatten (start, end), Transpose (d0, d1), Permute (perm), Cat/Chunk/Size/Softmax (dim), Mean (dims)
    std::vector<int64_t> dims;
    bool keepDim = false;
    int64_t chunks = 0;
    // Chunk as torch.split: one size per part, or a single size every part has
    // (the last may be smaller); `chunks` is then unused
    std::vector<int64_t> splitSizes;
    std::vector<int64_t> outputSize;  // AdaptiveAvgPool2d

    bool isLayer() const { return op == OpKind::Conv2d || op == OpKind::Linear; }
};

struct Graph {
    std::vector<Node> nodes;
    int numValues = 1;                        // value 0 is the input
    int output = -1;                          // value returned by the model
    std::vector<std::optional<c10::IValue>> constants;  // by value id; set for constants
    std::vector<std::string> valueNames;      // by value id, for messages
    std::vector<int64_t> declaredInput;       // [C, H, W] the file declares for its input; empty when it does not

    int addValue(const std::string &debugName);
    bool isConstant(int value) const;

    // Index of the node producing `value` (-1 for the input and constants).
    std::vector<int> producers() const;
    // Node indices consuming each value.
    std::vector<std::vector<int>> consumers() const;

    // Conv2d/Linear nodes in execution order.
    std::vector<int> layers() const;
    // The node called `name`, or -1.
    int findNode(const std::string &name) const;
    int64_t parameterCount(const Node &node) const;
};

// Raises std::invalid_argument on a malformed graph (used by tests).
void checkWellFormed(const Graph &graph);

}  // namespace metaaug::graph
