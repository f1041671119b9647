// SPDX-License-Identifier: GPL-3.0-or-later
// An in-memory labelled (or unlabelled) image set, already converted to the
// model's channels and input size, kept as 8-bit to stay small.
#pragma once

#include "preprocess.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <torch/torch.h>

namespace metaaug {

struct SkippedFile {
    QString path;
    QString reason;
};

struct ImageDataset {
    QString source;             // data source string it was opened from
    torch::Tensor images;       // uint8 [N, C, H, W]
    torch::Tensor labels;       // int64 [N]; -1 where unlabelled
    QStringList classNames;     // index = label
    // Identity of each item for the calibration hash: for folders the relative
    // path and the file's content hash; empty for IDX sources, whose items are
    // identified by index under `contentDigest`.
    QStringList itemIds;
    QString contentDigest;      // SHA-256 over the source's content
    std::vector<SkippedFile> skipped;

    int64_t size() const { return images.defined() ? images.size(0) : 0; }
    bool labelled() const;
    QString itemId(int64_t index) const;

    // Normalised float batch [B, C, H, W] of the given items.
    torch::Tensor input(const torch::Tensor &indices, const PreprocessSpec &spec) const;
    torch::Tensor input(int64_t begin, int64_t end, const PreprocessSpec &spec) const;
};

}  // namespace metaaug
