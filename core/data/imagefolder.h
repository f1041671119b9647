// SPDX-License-Identifier: GPL-3.0-or-later
// A folder of images: class sub-folders (labels by sorted folder name) or a
// flat folder (no labels). Decoding is OpenCV's (jpg, png, bmp, webp, ...).
#pragma once

#include "imagedataset.h"

namespace metaaug {

// Every file is read once, hashed (the item ids of the calibration hash) and
// test-decoded; only the list of files and their hashes are kept. Unreadable
// files, files that are not images, images out of the size bounds and files
// that do not decode are skipped and listed in `skipped`, never fatal unless
// nothing is left. Items are decoded again when read: a file that changed or
// vanished since makes that read fail with an error naming the file (a run
// reads its calibration sample as it starts, so it fails there, at once).
// With sub-folders, each is a class and its files are collected recursively;
// loose files beside the class folders are skipped. Files are visited in
// sorted order, so the item order is stable.
Result<ImageDataset> loadImageFolder(const QString &path, const PreprocessSpec &spec);

// Decodes one image file (bytes) and prepares it; an empty Mat with `reason`
// set when the bytes are not a decodable image.
cv::Mat decodeImage(const QByteArray &bytes, const PreprocessSpec &spec, QString *reason);

}  // namespace metaaug
