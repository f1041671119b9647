// SPDX-License-Identifier: GPL-3.0-or-later
// Versions of the libraries the engine runs on (Help > About, run specs).
#pragma once

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>

namespace metaaug {

// {"MetaAug Workbench", "0.1.0"}, {"Qt", ...}, {"LibTorch", ...}, {"OpenCV", ...}, {"SQLite", ...}
QList<QPair<QString, QString>> libraryVersions();

}  // namespace metaaug
