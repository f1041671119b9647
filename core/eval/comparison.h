// SPDX-License-Identifier: GPL-3.0-or-later
// FP vs quantized model on a labelled data set, and per-layer SQNR.
#pragma once

#include "common/result.h"
#include "data/imagedataset.h"
#include "graph/executor.h"

namespace metaaug {

struct Comparison {
    int64_t n = 0;
    double fpTop1 = 0, qTop1 = 0;  // percent
    double agreement = 0;          // percent of images where the top-1 classes agree
    double kl = 0;                 // mean KL(softmax FP || softmax Q), nats
};

// Runs both models on the given items of `data`, read and preprocessed
// `batch` at a time. `hooks` make the executor's run quantized. An item that
// cannot be read fails the comparison with an error naming its file.
// `abort` is polled before each batch; `progress` hears (images done, total)
// after each.
Result<Comparison> compareFpAndQuantized(const graph::Executor &ex, graph::ExecutionHooks &hooks,
                                         const ImageDataset &data, const torch::Tensor &indices, int64_t batch = 256,
                                         const std::function<bool()> &abort = {},
                                         const std::function<void(int64_t done, int64_t total)> &progress = {});

// 10 log10(sum ref^2 / sum (ref - x)^2) in dB; +inf when identical.
double sqnrDb(const torch::Tensor &reference, const torch::Tensor &x);

struct LayerSqnr {
    std::string layer;
    double weightDb = 0;
    double outputDb = 0;
    double outputMse = 0;
};

// Weight SQNR (hooks' weight vs FP) and output SQNR of each conv/linear on
// a batch (quantized model vs FP model outputs of the same layer).
// `chunk`: images per pass at most (a larger batch is measured in chunks,
// summing signal and noise over them); `maxBytes` (0: no limit) lowers it so
// that a chunk's layer outputs, FP and quantized, fit in that many bytes.
std::vector<LayerSqnr> layerSqnr(const graph::Executor &ex, graph::ExecutionHooks &hooks, const torch::Tensor &batch,
                                 int64_t chunk = 64, int64_t maxBytes = 0);

}  // namespace metaaug
