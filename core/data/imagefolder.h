// SPDX-License-Identifier: GPL-3.0-or-later
// A folder of images: class sub-folders (labels by sorted folder name) or a
// flat folder (no labels). Decoding is OpenCV's (jpg, png, bmp, webp, ...).
#pragma once

#include "imagedataset.h"

namespace metaaug {

// Unreadable and non-image files are skipped and listed in `skipped`, never
// fatal unless nothing is left. With sub-folders, each is a class and its
// files are collected recursively; loose files beside the class folders are
// skipped. Files are visited in sorted order, so the item order is stable.
Result<ImageDataset> loadImageFolder(const QString &path, const PreprocessSpec &spec);

// Decodes one image file (bytes) and prepares it; an empty Mat with `reason`
// set when the bytes are not a decodable image.
cv::Mat decodeImage(const QByteArray &bytes, const PreprocessSpec &spec, QString *reason);

}  // namespace metaaug
