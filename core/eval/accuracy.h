// SPDX-License-Identifier: GPL-3.0-or-later
// Top-1 accuracy of any forward function over a labelled data set.
#pragma once

#include "common/result.h"
#include "data/imagedataset.h"

#include <functional>

namespace metaaug {

using ForwardFn = std::function<Result<torch::Tensor>(const torch::Tensor &)>;
// Called after each batch with (images done, total); return false to abort.
using ProgressFn = std::function<bool(int64_t done, int64_t total)>;

struct AccuracyOptions {
    int64_t limit = 0;   // evaluate the first `limit` images only (0 = all)
    int64_t batch = 256;
    ProgressFn progress;
};

struct AccuracyResult {
    int64_t n = 0;
    int64_t correct = 0;
    double top1 = 0;     // percent
    torch::Tensor predictions;  // int64 [n]
};

// Streams the data set in batches (read and preprocessed one batch at a
// time). Fails on an unlabelled data set, on logits that are not
// [B, classes], on an item that cannot be read (the error names its file),
// and with ErrorCode::Aborted when progress returns false.
Result<AccuracyResult> evaluateTop1(const ForwardFn &forward, const ImageDataset &data,
                                    const AccuracyOptions &options = {});

}  // namespace metaaug
