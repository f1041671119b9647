// SPDX-License-Identifier: GPL-3.0-or-later
// A study's results as data: one JSON line per run (a "record"), small
// enough for git, from which the sweep matrix is built exactly as from the
// run bundles it was made of. A record holds the run's grid point (index,
// coordinates, arm label), status and error, spec, identity (model and
// calibration hashes, engine versions) and typed result (RunResult::toJson:
// headline metrics, seed, model/calibration/quantized-weights hashes,
// per-unit and per-layer summaries); not the scalar series nor the images.
//   {"format": "metaaug-sweep-record/1", "sweep": "...", "index": 3,
//    "coords": {...}, "status": "succeeded", "error": "", "run": 1,
//    "created": ..., "started": ..., "finished": ...,
//    "spec": {...}, "identity": {...}, "result": {...}}
// No LibTorch in this header.
#pragma once

#include "sweepmatrix.h"

#include <QtCore/QJsonObject>

#include <vector>

namespace metaaug::store {
class RunStore;
}  // namespace metaaug::store

namespace metaaug::sweep {

inline constexpr char kRecordFormat[] = "metaaug-sweep-record/1";

// A stored sweep's points, one record each (a point without a run: its spec
// and state). Errors name the database and sweep.
Result<std::vector<QJsonObject>> recordsOfSweep(store::RunStore &db, int64_t sweep);
// The quantization runs of a folder of run bundles (*.sqlite), in grid order
// (bundles without a grid point last, by file name). Each bundle is read from
// a temporary copy: the folder's files are never changed (migrated, journal).
Result<std::vector<QJsonObject>> recordsOfFolder(const QString &folder);

// A .jsonl file of records: read (errors name the file, line and key at
// fault) and written (replacing the file whole, one compact line per record).
// A path names records by its suffix, whether or not the file exists (so a
// missing one is said to be missing, not taken for a sweep id).
bool isRecordsFile(const QString &path);
Result<std::vector<QJsonObject>> readRecords(const QString &file);
Result<void> writeRecords(const std::vector<QJsonObject> &records, const QString &file);

// The matrix's runs: from records, or from a folder of bundles or a records
// file (the same runs in the same order either way, so the same tables).
Result<std::vector<MatrixRun>> matrixRunsOfRecords(const std::vector<QJsonObject> &records);
Result<std::vector<MatrixRun>> matrixRunsOfPath(const QString &folderOrRecords);

}  // namespace metaaug::sweep
