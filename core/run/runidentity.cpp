// SPDX-License-Identifier: GPL-3.0-or-later
#include "runidentity.h"

#include "common/versions.h"
#include "model/model.h"

#include <QtCore/QJsonArray>

namespace metaaug {

namespace {
constexpr size_t kListedSkippedFiles = 50;  // by name in the run's identity; all are counted
}

QJsonObject runIdentity(const Model &model, const CalibrationSelection &selection,
                        const std::vector<std::pair<const char *, const ImageDataset *>> &sources)
{
    QJsonObject libs;
    for (const auto &[name, version] : libraryVersions())
        libs[name] = version;
    QJsonObject identity{{QStringLiteral("model_sha256"), model.sha256()},
                         {QStringLiteral("calib_hash"), selection.hash},
                         {QStringLiteral("calib_size"), qint64(selection.indices.size())},
                         {QStringLiteral("engine_version"), QStringLiteral(METAAUG_VERSION)},
                         {QStringLiteral("libraries"), libs}};
    // Files of the sources left out (undecodable, too large, too small):
    // the user must learn that the data is not all of the folder.
    for (const auto &[key, data] : sources) {
        if (data->skipped.empty())
            continue;
        QJsonArray list;
        for (size_t i = 0; i < std::min<size_t>(data->skipped.size(), kListedSkippedFiles); ++i)
            list.append(QStringLiteral("%1: %2").arg(data->skipped[i].path, data->skipped[i].reason));
        identity[QLatin1String(key)] = list;
        identity[QLatin1String(key) + QStringLiteral("_count")] = qint64(data->skipped.size());
    }
    return identity;
}

}  // namespace metaaug
