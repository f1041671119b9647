// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX -> graph IR. Node names as torch.onnx.export writes them
// ("/layer1/0/conv1/Conv") give the module path ("layer1.0.conv1") and a
// module stack in which a module with numbered children ("layer1": 0, 1, 2)
// is a plain container, so the module-path partition finds the same units
// as for the TorchScript file the model came from.
#pragma once

#include "common/result.h"
#include "graph/graph.h"
#include "graph/torchscriptimporter.h"

namespace metaaug::plugins {

Result<graph::Graph> readOnnx(const QString &path, const graph::ImportOptions &options);
// The same on the file's bytes; `path` names it in messages.
Result<graph::Graph> readOnnxBytes(const QByteArray &bytes, const QString &path, const graph::ImportOptions &options);

}  // namespace metaaug::plugins
