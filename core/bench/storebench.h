// SPDX-License-Identifier: GPL-3.0-or-later
// Run-store throughput: scalar rows per second written in the recorder's
// batches, and how long the writer's transactions take with and without a
// reader listing runs beside it.
#pragma once

#include "common/result.h"

namespace metaaug {

struct StoreBenchResult {
    double rowsPerSecond = 0;        // writer alone
    double medianBatchMs = 0;        // one batch (one transaction), writer alone
    double maxBatchMs = 0;
    double rowsPerSecondWithReader = 0;
    double maxBatchMsWithReader = 0; // the writer's worst stall while a reader reads
    int readerListings = 0;          // listRuns + scalars of the newest run, done meanwhile
};

// Writes `rows` scalar rows in batches of `batch` into a fresh database in `folder`.
Result<StoreBenchResult> benchStore(const QString &folder, int rows = 200000, int batch = 2000);

}  // namespace metaaug
