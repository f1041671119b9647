// SPDX-License-Identifier: GPL-3.0-or-later
// Reading an ONNX node's attributes and small integer tensors (axes, shapes,
// pads): the helpers the reader, the folding and the fusion pass share.
#pragma once

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <vector>

namespace metaaug::plugins {

inline const onnx::AttributeProto *attr(const onnx::NodeProto &n, const char *name)
{
    for (const auto &a : n.attribute())
        if (a.name() == name)
            return &a;
    return nullptr;
}

inline int64_t intAttr(const onnx::NodeProto &n, const char *name, int64_t fallback)
{
    const auto *a = attr(n, name);
    return a ? a->i() : fallback;
}

inline float floatAttr(const onnx::NodeProto &n, const char *name, float fallback)
{
    const auto *a = attr(n, name);
    return a ? a->f() : fallback;
}

inline std::vector<int64_t> intsAttr(const onnx::NodeProto &n, const char *name, std::vector<int64_t> fallback)
{
    const auto *a = attr(n, name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

// The values of an integer (or integral float) tensor, flattened.
inline std::vector<int64_t> tensorInts(const torch::Tensor &t)
{
    const torch::Tensor l = t.to(torch::kLong).flatten().contiguous();
    return std::vector<int64_t>(l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel());
}

}  // namespace metaaug::plugins
