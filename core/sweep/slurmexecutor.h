// SPDX-License-Identifier: GPL-3.0-or-later
// The Slurm sweep executor (issue 21): the sweep's pending points as one
// job array (`sbatch --array=I,J,...%K`), one `metaaug quantize` per task,
// from a shared folder:
//   FOLDER/points/point-<i>.json   each point's spec
//   FOLDER/sweep.sbatch            the batch script (--dry-run prints it)
//   FOLDER/logs/point-<i>.out      each task's output
//   FOLDER/bundles/point-<i>.sqlite each task's run bundle (a one-run store)
// `collect` imports the bundles into the sweep's database, once each.
// The folder and the program must be reachable at the same paths on the
// compute nodes (a shared file system, the package installed on each).
#pragma once

#include "store/sweepstore.h"

namespace metaaug::sweep {

struct SlurmOptions {
    QString program;          // the metaaug CLI, as the nodes see it
    QString folder;           // shared folder; empty: <database folder>/sweep-<id>
    int parallel = 0;         // tasks at once (%K); 0: as Slurm allows
    QStringList slurmOptions; // passed through as #SBATCH lines ("--partition=gpu", "--time=2:00:00")
    bool retryFailed = false;
    bool dryRun = false;      // write nothing, submit nothing: the script only
};

struct SlurmSubmission {
    QString folder, script, job;  // job: the array job's id (empty on a dry run)
    int tasks = 0;
};

// The batch script of `indices` (what --dry-run prints).
QString slurmScript(const QString &sweep, const QString &folder, const QStringList &indices, int threads, const SlurmOptions &options);

// Writes the pending points' specs and the script into the folder, submits
// it with sbatch and marks the points running (submitted).
Result<SlurmSubmission> submitSlurm(store::RunStore &db, int64_t sweep, const SlurmOptions &options);

struct CollectOutcome {
    int imported = 0;   // bundles imported now
    int already = 0;    // points whose run was imported before (collect is idempotent)
    int failed = 0;     // bundles of failed runs, and tasks that ended without one
    int pending = 0;    // tasks still queued or running
};

// Imports finished tasks' bundles and marks their points; marks the sweep
// done once no task is pending. `squeue` tells which tasks still run.
Result<CollectOutcome> collectSlurm(store::RunStore &db, int64_t sweep);

// scancel of the sweep's array job; the sweep is marked cancelled.
Result<void> cancelSlurm(store::RunStore &db, int64_t sweep);

}  // namespace metaaug::sweep
