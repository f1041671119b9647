// SPDX-License-Identifier: GPL-3.0-or-later
// Exports of a quantized model: by format id from the plugin registry, to a
// final path through temporary files (nothing half-written survives an
// error), recorded as artefacts of the run. No LibTorch in this header.
#pragma once

#include "common/result.h"
#include "store/runstore.h"

#include <memory>

namespace metaaug {
class Model;
}

namespace metaaug::exporting {

struct QuantizedState;
class Exporter;

// The registry's exporter for `format`; NotFound listing the available ones.
Result<const Exporter *> findExporter(const QString &format);
// A file an export may be written to: its folder exists and is writable and
// the path is not a folder. Errors name the path and folder.
Result<void> checkExportTarget(const QString &path);

// Writes `state` of `model` as `format` to `path`. The directory must exist
// and be writable; an unknown format lists the available ones. Returns the
// artefacts written (kind "export:<format>", path, size, SHA-256).
Result<std::vector<store::ArtefactRow>> exportModel(const Model &model, const QuantizedState &state, const QJsonObject &run,
                                                    const QString &format, const QString &path);

// The same for a stored run: reloads its model (refused when the file's
// SHA-256 is not the run's) and its stored quantized state, exports, and
// records the artefacts in the store. A run that did not succeed is refused.
Result<std::vector<store::ArtefactRow>> exportStoredRun(store::RunStore &db, int64_t runId, const QString &format,
                                                        const QString &path);

}  // namespace metaaug::exporting
