// SPDX-License-Identifier: GPL-3.0-or-later
// Reader for the IDX format of (Fashion-)MNIST, gzip-compressed or raw.
#pragma once

#include "common/result.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace metaaug {

struct IdxArray {
    std::vector<int64_t> dims;  // e.g. {60000, 28, 28}
    QByteArray data;            // unsigned bytes, row-major, product(dims) long

    int64_t count() const { return dims.empty() ? 0 : dims.front(); }
};

// Reads an IDX file of unsigned bytes (type 0x08), transparently gunzipping.
// Validates the magic number, the number of dimensions (1..4), that no
// dimension is zero, and that the payload holds exactly product(dims) bytes.
// Errors name the file and the byte offset (in the uncompressed stream) where
// the content stopped matching its header.
Result<IdxArray> readIdx(const QString &path);

}  // namespace metaaug
