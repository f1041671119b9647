// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps in the run store (issue 21): a sweep file expanded into grid
// points, each point's spec, its coordinates on the sweep's axes, its state
// and, once known, its run. Works on a RunStore's connection (same thread
// rules); the executors and `metaaug sweep` write it, every front end reads it.
#pragma once

#include "processidentity.h"
#include "runstore.h"

#include <optional>
#include <utility>

namespace metaaug::store {

struct SweepRow {
    int64_t id = 0;
    QString created, name;
    QJsonObject file;         // the sweep file as given
    QString executor;         // "local" or "slurm"
    QString folder;           // slurm: the shared folder of specs, the batch script, logs and bundles
    QString job;              // slurm: the array job's id once submitted
    RunStatus status = RunStatus::Queued;
};

struct SweepPointRow {
    int64_t sweep = 0;
    int index = 0;
    QJsonObject spec;    // the complete run spec of this point
    QJsonObject coords;  // axis -> value, and "arm" -> the arm's label when the file has arms
    RunStatus status = RunStatus::Queued;
    int64_t run = 0;     // 0: no run (yet)
    QString error;
    int attempts = 0;
    // Local executor: the process running the point (pid 0: none recorded).
    ProcessIdentity owner;
};

// A point marked running whose recorded process no longer exists (killed,
// or its machine restarted): it will never finish; `sweep run` reclaims it.
bool pointProcessGone(const SweepPointRow &p);

class SweepStore {
public:
    explicit SweepStore(RunStore &store) : m_store(store) {}

    // A new sweep with its points (status queued), in one transaction.
    Result<int64_t> createSweep(const QString &name, const QJsonObject &file, const QString &executor, const QString &folder,
                                const std::vector<SweepPointRow> &points);
    Result<SweepRow> sweep(int64_t id);
    Result<std::vector<SweepRow>> listSweeps();
    Result<std::vector<SweepPointRow>> points(int64_t sweep);
    Result<void> setStatus(int64_t sweep, RunStatus status);
    Result<void> setJob(int64_t sweep, const QString &folder, const QString &job);
    // A point's new state; `attempt` counts one more attempt (a start). The
    // recorded process is cleared: `owner` (pid 0: none) records it anew.
    Result<void> setPoint(int64_t sweep, int index, RunStatus status, int64_t run, const QString &error, bool attempt = false,
                          const ProcessIdentity &owner = {});
    // The sweep point a run was made for, if any (a run bundle keeps it: the
    // point's coordinates name the run's place in the grid, its arm label too).
    Result<std::optional<std::pair<SweepRow, SweepPointRow>>> pointOfRun(int64_t run);

private:
    RunStore &m_store;
};

}  // namespace metaaug::store
