// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled ResNet-20 with a planted culprit (docs/inspector.md): one
// output channel of `block`.conv1 (its folded BatchNorm with it) scaled by
// `scale`, and the matching input weights of `block`.conv2 by 1/scale. ReLU
// is positively homogeneous, so the FP function is unchanged.
#pragma once

#include "graph/executor.h"

#include <memory>
#include <string>

namespace metaaug::test {

// The bundled model as is (scale 1) or planted; nullptr when it cannot be read.
std::shared_ptr<const graph::Executor> plantedResnet20(const std::string &block = {}, int channel = 0, double scale = 1.0);

}  // namespace metaaug::test
