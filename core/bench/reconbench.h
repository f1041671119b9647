// SPDX-License-Identifier: GPL-3.0-or-later
// Median time of one reconstruction iteration (forward + backward + Adam
// step, geniem's parameters) for every unit of a model.
#pragma once

#include "common/result.h"
#include "model/modelcard.h"

#include <QtCore/QString>

#include <optional>
#include <vector>

namespace metaaug {

struct UnitIterationTiming {
    QString unit;
    std::vector<double> medianMs;  // one per batch size asked for
    // The physical floor, per batch size: the unit's convolutions and linear
    // layers alone on the same inputs, forward and backward (weight
    // gradients, and input gradients inside the unit), no quantizer, no
    // optimiser.
    std::vector<double> floorMs;
    double metaMs = 0;             // metaaug: one meta iteration (batch 32, outer batch 64); 0 = no meta phase
    double phaseBMs = 0;           // metaaug: one reconstruction iteration on originals + T(x) (batch 64)
};

// Uses `images` calibration images of fashion-mnist:train (seed 0, resized
// to the card's input), W2A4. `card`: instead of the one beside the model.
Result<std::vector<UnitIterationTiming>> benchReconstruction(const QString &modelPath, const std::vector<int> &batches,
                                                             int iterations = 30, int images = 256,
                                                             const std::optional<ModelCard> &card = std::nullopt);

// Adds metaaug's medians (a whole metaaug run with M = R = `iterations`)
// to timings from benchReconstruction, matched by unit name.
Result<void> benchMetaAug(const QString &modelPath, std::vector<UnitIterationTiming> &timings, int iterations = 30,
                          int images = 256, const std::optional<ModelCard> &card = std::nullopt);

}  // namespace metaaug
