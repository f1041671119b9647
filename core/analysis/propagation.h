// SPDX-License-Identifier: GPL-3.0-or-later
// Where a quantized network loses its accuracy, layer by layer
// (docs/inspector.md): the error-propagation table and the diagnosis.
//
// For every conv/linear, on the same images:
//   local       only this layer quantized (weights and its input), on FP input;
//   local_w     quantized weights, FP input;  local_a  FP weights, quantized input;
//   input       the quantized model's input of this layer, before its own
//               quantizer, against FP: the error that reaches it;
//   output      the quantized model's output of this layer against FP (propagated);
//   drop        input − output in dB: how much SQNR falls across the layer;
//   injected    the noise the layer adds relative to the signal, in dB
//               (propagationrecord.h): the table's ranking.
#pragma once

#include "graph/executor.h"
#include "propagationrecord.h"
#include "quant/quantizedmodel.h"

namespace metaaug::analysis {

// Thresholds of the diagnosis (docs/inspector.md).
constexpr double kOutlierChannelRatio = 8.0;   // a channel's range over the median channel's
constexpr double kScaleMismatchRatio = 16.0;   // max |x| of one add/concat input over another's
constexpr double kSignedShare = 1e-3;          // negative values an unsigned quantizer clips, share
constexpr double kDeadChannelShare = 0.25;     // channels that are exactly zero on every image, share
constexpr double kCalibrationMismatchPt = 15.0;  // FP top-1 on calibration vs evaluation data, points

// The table and the diagnosis of `q` (weights and activation grids set) on
// `images`, `chunk` images per pass (FP and quantized values of a chunk are
// held at once; fewer where that would pass maxBytes, 0: no limit). Throws
// what LibTorch throws: core's entry points catch it.
Propagation propagateErrors(const graph::Executor &ex, quant::QuantizedModel &q, const torch::Tensor &images,
                            int64_t chunk = 32, int64_t maxBytes = 0);

}  // namespace metaaug::analysis
