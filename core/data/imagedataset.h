// SPDX-License-Identifier: GPL-3.0-or-later
// A labelled (or unlabelled) image set as opened from a data source. Items
// are prepared when they are read (decoded, converted to the model's channels
// and size), so memory follows the items asked for, not the source: a
// calibration sample reads its N images, an evaluation one batch at a time,
// a preview one image.
#pragma once

#include "imagereader.h"
#include "preprocess.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <torch/torch.h>

#include <memory>

namespace metaaug {

struct SkippedFile {
    QString path;
    QString reason;
};

struct ImageDataset {
    QString source;             // data source string it was opened from
    PreprocessSpec spec;        // the preprocessing it was opened with
    std::shared_ptr<const ImageReader> reader;  // shared by copies; read-only
    torch::Tensor labels;       // int64 [N]; -1 where unlabelled
    QStringList classNames;     // index = label
    // Identity of each item for the calibration hash: for folders the relative
    // path and the file's content hash; empty for IDX sources, whose items are
    // identified by index under `contentDigest`.
    QStringList itemIds;
    QString contentDigest;      // SHA-256 over the source's content
    std::vector<SkippedFile> skipped;

    int64_t size() const { return reader ? reader->size() : 0; }
    bool labelled() const;
    QString itemId(int64_t index) const;

    // One item, 8-bit H x W x C (RGB), the model's input size (a preview).
    Result<cv::Mat> image(int64_t index) const;
    // uint8 [B, C, H, W] of the given items (int64 indices, any order).
    Result<torch::Tensor> read(const torch::Tensor &indices) const;
    // Normalised float batch [B, C, H, W] of the given items, with `spec`'s
    // scale, mean and std; read and normalised a chunk of items at a time.
    Result<torch::Tensor> input(const torch::Tensor &indices) const;
    Result<torch::Tensor> input(int64_t begin, int64_t end) const;
};

}  // namespace metaaug
