// SPDX-License-Identifier: GPL-3.0-or-later
// Reads an image's declared size from its header, before any decoding, so a
// file declaring 30000 x 30000 pixels (a decompression bomb) is refused by
// size instead of letting the decoder allocate gigabytes.
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstdint>
#include <optional>

namespace metaaug {

struct ImageHeader {
    const char *format = "";  // "PNG", "JPEG", ...
    int64_t width = 0, height = 0;
};

// The formats whose headers are read: PNG, JPEG, BMP, WebP, TIFF, PNM/PAM and
// Sun raster. Anything else (or a header cut short) gives nullopt.
std::optional<ImageHeader> readImageHeader(const QByteArray &bytes);

// Listed in messages about unrecognised files.
QString recognisedImageFormats();

// Calibration images outside these bounds are skipped with a reason.
constexpr int64_t kMaxImagePixels = int64_t(1) << 26;  // 67 megapixels (8192 x 8192)
constexpr int64_t kMinImageSide = 8;                   // smaller carries no usable content

// nullopt when the header is within bounds, else the reason to skip the file.
std::optional<QString> checkImageHeader(const QByteArray &bytes);

}  // namespace metaaug
