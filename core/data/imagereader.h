// SPDX-License-Identifier: GPL-3.0-or-later
// What lies behind an ImageDataset: a source that prepares one item when it
// is read. Sources keep their compact form (Fashion-MNIST's 28x28 bytes, a
// folder's list of files) and never the whole set at the model's size.
#pragma once

#include "common/result.h"

#include <opencv2/core.hpp>

#include <cstdint>

namespace metaaug {

class ImageReader {
public:
    virtual ~ImageReader() = default;

    virtual int64_t size() const = 0;
    // Item `index` (0..size-1) converted to the channels and size of the
    // PreprocessSpec the source was opened with: a CV_8UC1 or CV_8UC3 image
    // (RGB order) of height x width that owns its pixels. Errors name the
    // file at fault (a folder's file changed, vanished or undecodable since
    // it was opened). Thread-safe: called concurrently for different items.
    virtual Result<cv::Mat> read(int64_t index) const = 0;
};

}  // namespace metaaug
