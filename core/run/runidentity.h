// SPDX-License-Identifier: GPL-3.0-or-later
// What identifies a run's inputs beyond its spec, recorded with every run
// (quantization and sensitivity alike): the model's and the calibration
// set's hashes, the engine's and libraries' versions, and the files of each
// data source that were left out.
#pragma once

#include "data/calibrationsampler.h"
#include "data/imagedataset.h"

#include <QtCore/QJsonObject>

namespace metaaug {

class Model;

// `sources`: each data source opened, under the key its skipped files go to
// ("calib_skipped", "eval_skipped").
QJsonObject runIdentity(const Model &model, const CalibrationSelection &selection,
                        const std::vector<std::pair<const char *, const ImageDataset *>> &sources);

}  // namespace metaaug
