// SPDX-License-Identifier: GPL-3.0-or-later
// Deterministic choice of N calibration images by seed, and a stable hash of
// the chosen set so a run can say exactly what it was calibrated on.
#pragma once

#include "imagedataset.h"

#include <cstdint>
#include <vector>

namespace metaaug {

struct CalibrationSelection {
    std::vector<int64_t> indices;  // in the order batches will use them
    QString hash;                  // SHA-256 hex over source digest + (index, item id)*

    torch::Tensor indexTensor() const;
};

// Fisher-Yates over [0, size) driven by std::mt19937_64 (whose output the
// C++ standard fixes), taking the first n: the same seed and data set give
// the same selection on every platform. n must be in 1..size.
Result<CalibrationSelection> selectCalibration(const ImageDataset &data, int64_t n, uint64_t seed);

}  // namespace metaaug
