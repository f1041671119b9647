// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnxfolding.h"

#include "onnxattributes.h"

#include <algorithm>
#include <set>

namespace metaaug::plugins {

bool isFoldableOp(const std::string &opType)
{
    static const std::set<std::string> ops{"Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast",
                                           "Add", "Sub", "Mul", "Div", "Reshape"};
    return ops.count(opType) > 0;
}

std::optional<torch::Tensor> foldOnConstants(const onnx::NodeProto &n, const std::vector<torch::Tensor> &in)
{
    const std::string &op = n.op_type();
    const torch::Tensor x = in[0];
        auto ints = [&](size_t i, const char *attrName) {
            if (i < in.size() && in[i].defined())
                return std::vector<int64_t>(in[i].to(torch::kLong).flatten().data_ptr<int64_t>(),
                                            in[i].to(torch::kLong).flatten().data_ptr<int64_t>() + in[i].numel());
            return intsAttr(n, attrName, {});
        };
        torch::Tensor y;
        if (op == "Gather") {
            const int64_t axis = intAttr(n, "axis", 0) < 0 ? intAttr(n, "axis", 0) + x.dim() : intAttr(n, "axis", 0);
            const torch::Tensor idx = in.at(1).to(torch::kLong);
            const torch::Tensor flat = torch::where(idx < 0, idx + x.size(axis), idx).flatten();
            std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
            shape.insert(shape.end(), idx.sizes().begin(), idx.sizes().end());
            shape.insert(shape.end(), x.sizes().begin() + axis + 1, x.sizes().end());
            y = x.index_select(axis, flat).reshape(shape);
        } else if (op == "Unsqueeze") {
            auto axes = ints(1, "axes");
            const int64_t rank = x.dim() + int64_t(axes.size());
            for (auto &a : axes)
                a = a < 0 ? a + rank : a;
            std::sort(axes.begin(), axes.end());
            y = x;
            for (int64_t a : axes)
                y = y.unsqueeze(a);
        } else if (op == "Squeeze") {
            auto axes = ints(1, "axes");
            y = x;
            if (axes.empty())
                y = x.squeeze();
            for (auto a = axes.rbegin(); a != axes.rend(); ++a)
                y = y.squeeze(*a < 0 ? *a + x.dim() : *a);
        } else if (op == "Concat") {
            y = torch::cat(in, intAttr(n, "axis", 0));
        } else if (op == "Slice") {
            y = x;
            const auto starts = ints(1, "starts"), ends = ints(2, "ends");
            auto axes = ints(3, "axes"), steps = ints(4, "steps");
            for (size_t k = 0; k < starts.size(); ++k) {
                const int64_t axis = k < axes.size() ? (axes[k] < 0 ? axes[k] + x.dim() : axes[k]) : int64_t(k);
                const int64_t size = y.size(axis), step = k < steps.size() ? steps[k] : 1;
                auto clampIndex = [size](int64_t i) { return std::clamp(i < 0 ? i + size : i, int64_t(0), size); };
                if (step != 1)
                    return std::nullopt;
                y = y.slice(axis, clampIndex(starts[k]), std::max(clampIndex(starts[k]), clampIndex(ends.at(k))));
            }
        } else if (op == "Cast") {
            const int64_t to = intAttr(n, "to", 1);
            if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::INT64 && to != onnx::TensorProto::INT32)
                return std::nullopt;
            y = x.to(to == onnx::TensorProto::FLOAT ? torch::kFloat : torch::kLong);
        } else if (op == "Reshape") {
            auto shape = ints(1, "shape");
            for (size_t k = 0; k < shape.size(); ++k)
                if (shape[k] == 0)
                    shape[k] = x.size(int64_t(k));
            y = x.reshape(shape);
        } else {  // Add, Sub, Mul, Div
            const torch::Tensor a = in.at(0), b = in.at(1);
            y = op == "Add" ? a + b : op == "Sub" ? a - b : op == "Mul" ? a * b
                : a.is_floating_point() ? a / b : torch::div(a, b, "trunc");
        }
    return y.contiguous();
}

}  // namespace metaaug::plugins
