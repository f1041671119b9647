// SPDX-License-Identifier: GPL-3.0-or-later
// Content hashes recorded with every run (model file, calibration set).
#pragma once

#include "result.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace metaaug {

// SHA-256 of a file's bytes as lowercase hex; names the file on failure.
Result<QString> sha256File(const QString &path);

// SHA-256 of bytes as lowercase hex.
QString sha256Hex(const QByteArray &bytes);

}  // namespace metaaug
