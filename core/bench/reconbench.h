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
    double metaMs = 0;             // metaaug: one meta iteration (batch 32, outer batch 64); 0 = no meta phase
    double phaseBMs = 0;           // metaaug: one reconstruction iteration on originals + T(x) (batch 64)
};

// Uses `images` calibration images of fashion-mnist:train (seed 0), W2A4.
Result<std::vector<UnitIterationTiming>> benchReconstruction(const QString &modelPath, const std::vector<int> &batches,
                                                             int iterations = 30, int images = 256);

// Adds metaaug's medians (a whole metaaug run with M = R = `iterations`)
// to timings from benchReconstruction, matched by unit name.
Result<void> benchMetaAug(const QString &modelPath, std::vector<UnitIterationTiming> &timings, int iterations = 30,
                          int images = 256);

}  // namespace metaaug
