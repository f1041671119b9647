// Median time of one reconstruction iteration (forward + backward + Adam
// step, geniem's parameters) for every unit of a model.
#pragma once

#include "common/result.h"

#include <QtCore/QString>

#include <vector>

namespace metaaug {

struct UnitIterationTiming {
    QString unit;
    std::vector<double> medianMs;  // one per batch size asked for
};

// Uses `images` calibration images of fashion-mnist:train (seed 0), W2A4.
Result<std::vector<UnitIterationTiming>> benchReconstruction(const QString &modelPath, const std::vector<int> &batches,
                                                             int iterations = 30, int images = 256);

}  // namespace metaaug
