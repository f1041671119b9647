// SPDX-License-Identifier: GPL-3.0-or-later
// The local sweep executor (issue 21): the sweep's points as `metaaug
// quantize` processes, N at a time, all recording into the sweep's run
// database. A point that crashes or runs out of memory ends that point
// only; `sweep cancel` (the sweep marked cancelled in the store) stops the
// running points (SIGTERM: they record themselves cancelled) and the queue.
//
// Test-only: METAAUG_TEST_ABORT_POINT=k makes point k's process abort
// (SIGABRT) before its run starts, to check crash isolation. It is not part
// of the sweep file's schema.
#pragma once

#include "store/sweepstore.h"

#include <functional>

namespace metaaug::sweep {

struct LocalOptions {
    QString program;           // the metaaug CLI
    int jobs = 0;              // processes at once; 0: defaultJobs()
    int threads = 0;           // LibTorch threads per point; 0: those the sweep file names, else cores / jobs (at least 1)
    bool retryFailed = false;  // run failed and interrupted points again, not only queued ones
    int64_t pointPeakBytes = 0;  // planned peak of one point (0: unknown), for defaultJobs()
    std::function<void(const store::SweepPointRow &)> changed;  // a point started or ended
};

struct LocalOutcome {
    int jobs = 0, threads = 0;
    int succeeded = 0, failed = 0, cancelled = 0;
    double seconds = 0;
};

// Workers the machine allows: one per physical core, fewer when `points`
// are fewer or when that many points' planned peak (plus a LibTorch process's
// own ~kProcessBaselineBytes) would not fit in 80 % of the available memory.
constexpr int64_t kProcessBaselineBytes = 300ll << 20;
int defaultJobs(int points, int cores, int64_t availableBytes, int64_t pointPeakBytes);

// Runs the sweep's pending points (queued ones, and those left running by a
// process that is gone) in `db` (whose file the points record
// into too) and marks the sweep succeeded, failed (a point failed) or
// cancelled.
Result<LocalOutcome> runLocal(store::RunStore &db, int64_t sweep, const LocalOptions &options);

}  // namespace metaaug::sweep
