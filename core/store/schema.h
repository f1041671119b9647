// SPDX-License-Identifier: GPL-3.0-or-later
// The run database's schema, versioned by PRAGMA user_version, and the
// ordered migrations that bring any earlier version up to date.
#pragma once

#include "sqlite.h"

namespace metaaug::store {

// 1: runs, scalars, layer_metrics (the first release)
// 2: run times, owner process and host, identity (hashes), headline metrics
//    (q_top1, gap) as columns, images, artefacts
// 3: layer_metrics.unit and .step (metrics sampled during reconstruction)
// 4: states (the quantized model of a succeeded run, for exports)
// 5: blobs (a method's binary artefacts: MetaAug's T)
// 6: runs.kind; 7: sweeps and sweep_points; 8: sweep_points.pid, pid_start, host
constexpr int kSchemaVersion = 8;

// The version of an open database (0: empty file).
Result<int> schemaVersion(Database &db);

// Creates or migrates to kSchemaVersion in one transaction. A newer
// version, or a file that is not SQLite, is an error naming the file and
// leaves it untouched.
Result<void> migrate(Database &db);

// The first schema exactly as released (tests use it to make old files).
const char *schemaVersion1Sql();

}  // namespace metaaug::store
