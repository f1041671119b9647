// SPDX-License-Identifier: GPL-3.0-or-later
// The sweep matrix (issue 21): runs grouped into rows x columns by chosen
// axes, each cell the mean and standard deviation of a headline metric
// (core's resultMetrics()) over the runs that share it (the seeds), with n,
// and the best cell of each column marked. Built from a sweep's points or
// from any set of runs (a folder of run bundles), whose axes are then the
// spec keys that differ between them. No LibTorch in this header.
#pragma once

#include "common/result.h"
#include "events/runstatus.h"
#include "run/runresult.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <array>
#include <optional>

namespace metaaug::store {
class RunStore;
struct SweepPointRow;
}  // namespace metaaug::store

namespace metaaug::sweep {

struct MatrixRun {
    QJsonObject coords;               // axis -> value
    std::optional<RunResult> result;  // none: the point has no succeeded run
    int64_t runId = 0;
    // Without a result, why: queued (shown "pending"), running, cancelled,
    // interrupted; failed, and succeeded without a readable result, count as failed.
    RunStatus status = RunStatus::Failed;
};

// What a cell's runs without a result are doing, in the order cells name
// them: "running", "pending", "interrupted", "cancelled", "failed".
enum class Unfinished { Running, Pending, Interrupted, Cancelled, Failed };
constexpr int kUnfinishedKinds = 5;
const char *unfinishedName(Unfinished u);

struct MatrixCell {
    double mean = 0, std = 0;  // std: sample standard deviation (0 for n = 1)
    int n = 0;                 // runs with a value
    int missing = 0;           // runs of the cell without a result (the sum of `unfinished`)
    std::array<int, kUnfinishedKinds> unfinished{};  // those runs by Unfinished
    int without = 0;           // succeeded runs that have no value of this metric (geniem has no T)
    bool best = false;         // the best mean of its column (by the metric's direction)
    std::vector<int64_t> runIds;
};

struct SweepMatrix {
    QStringList rowAxes, columnAxes;
    QString metric;
    // When not empty, each column is a metric of its own (buildMetricMatrix):
    // columnMetrics[j] is column j's key, and columnAxes is {"metric"}.
    QStringList columnMetrics;
    QStringList rowLabels, columnLabels;  // "rtn", "rtn / 2", ...
    std::vector<std::vector<MatrixCell>> cells;  // [row][column]
    // Axes that vary between the runs but are neither rows, columns nor
    // "seed": their runs are pooled in one cell, and the output says so.
    QStringList pooled;

    QString metricOf(qsizetype column) const { return columnMetrics.isEmpty() ? metric : columnMetrics[column]; }
    // Cell (i, j) as every front end shows it: "91.00 ± 1.41 (n=2)", with
    // " +1 failed" (" +1 running +1 pending", ...) for runs of it without a
    // result; a cell with none: "failed", "pending", "running" when all its
    // runs are so, else "1 running, 1 pending"; "–" when its runs have no
    // value of the metric; `markBest` appends " *" to a column's best.
    QString cellText(size_t i, size_t j, bool markBest = false) const;
    QString text() const;
    QString csv() const;
    QString markdown() const;
    QJsonObject toJson() const;
};

// The runs behind a sweep's points, with the results of those that
// succeeded (the CLI's `sweep show`, the Sweeps tab and the sweep report);
// a point left running by a process that is gone counts as interrupted.
std::vector<MatrixRun> matrixRunsOf(store::RunStore &db, const std::vector<store::SweepPointRow> &points);

// The runs whose coordinates match every "axis=value" of `where` (a value as
// the matrix labels it: a model by its path or its file name). Errors name a
// filter that is not axis=value or that no run matches.
Result<std::vector<MatrixRun>> filterRuns(const std::vector<MatrixRun> &runs, const QStringList &where);
// The axes whose values differ between runs, in key order.
QStringList varyingAxes(const std::vector<MatrixRun> &runs);
// Coordinates of a run outside a sweep: its spec's keys, method options as
// "method_options.<option>" (what a sweep file's axes name).
QJsonObject coordsOfSpec(const QJsonObject &spec);

// `rows`/`columns` empty: every varying axis but "seed" and the last as
// rows, the last as columns. Errors name an unknown metric or axis.
Result<SweepMatrix> buildMatrix(const std::vector<MatrixRun> &runs, QStringList rows, QStringList columns, const QString &metric);
// Several metrics side by side: rows as above (empty: every varying axis but
// "seed"), one column per metric, each column's best by its own metric.
Result<SweepMatrix> buildMetricMatrix(const std::vector<MatrixRun> &runs, QStringList rows, const QStringList &metrics);

}  // namespace metaaug::sweep
