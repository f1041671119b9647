// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX Runtime as the reference for an ONNX file (`metaaug info --verify`):
// Debian ships no onnxruntime, so it is the npm package onnxruntime-node that
// scripts/setup-node.sh installs into build/ort, run by Node. Where it is not
// installed, the caller says "not verified" with how to get it.
#pragma once

#include "common/result.h"

#include <torch/torch.h>

namespace metaaug {

// True for a file named *.onnx (the importer's own choice of reader).
bool isOnnxFile(const QString &path);

// Folder holding node_modules/onnxruntime-node: $METAAUG_ORT_DIR, else the
// build tree's ort/ beside bin/. Empty with `*why` set when there is none.
QString onnxRuntimeDir(QString *why);

// The logits ONNX Runtime computes for `input` (float [N, C, H, W]).
// ErrorCode::NotFound when Node or onnxruntime-node is missing (the message
// says where it looked and how to install it); other codes for a run that failed.
Result<torch::Tensor> onnxRuntimeLogits(const QString &path, const torch::Tensor &input);

}  // namespace metaaug
