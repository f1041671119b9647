// SPDX-License-Identifier: GPL-3.0-or-later
// A data source described for display (the GUI's data panel): image count,
// classes, skipped files and a few sample images. No LibTorch here.
#pragma once

#include "common/result.h"
#include "data/preprocessspec.h"

#include <QtCore/QStringList>

#include <opencv2/core.hpp>

#include <vector>

namespace metaaug {

struct DataSummary {
    QString source;            // the data source string
    int64_t count = 0;         // images usable after preprocessing
    QStringList classNames;
    bool labelled = false;
    QStringList skipped;       // "path: reason", one per skipped file
    std::vector<cv::Mat> samples;  // 8-bit images (1 or 3 channels, the model's input size), first items
    std::vector<int> sampleLabels; // -1 where unlabelled
};

// Opens `source` (fashion-mnist:train|test or a folder) with the
// preprocessing of the model's card (`modelPath`; empty: the defaults, 1×28×28).
// Errors name the source and the file at fault.
// `cardPath`: a card file to use instead of the one beside the model.
Result<DataSummary> summarizeData(const QString &source, const QString &modelPath, int sampleCount = 8,
                                  const QString &cardPath = {});
// With explicit preprocessing (a card being edited).
Result<DataSummary> summarizeData(const QString &source, const PreprocessSpec &pre, int sampleCount);

}  // namespace metaaug
