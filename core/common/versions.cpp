// SPDX-License-Identifier: GPL-3.0-or-later
#include "versions.h"

#include <torch/version.h>

#include <opencv2/core/version.hpp>
#include <sqlite3.h>

namespace metaaug {

QList<QPair<QString, QString>> libraryVersions()
{
    return {{QStringLiteral("MetaAug Workbench"), QStringLiteral(METAAUG_VERSION)},
            {QStringLiteral("Qt"), QString::fromLatin1(qVersion())},
            {QStringLiteral("LibTorch"), QStringLiteral(TORCH_VERSION)},
            {QStringLiteral("OpenCV"), QStringLiteral(CV_VERSION)},
            {QStringLiteral("SQLite"), QString::fromLatin1(sqlite3_libversion())}};
}

}  // namespace metaaug
