// SPDX-License-Identifier: GPL-3.0-or-later
// Every quantization run in one SQLite file: spec, status, metrics, scalar
// series, per-layer metrics, images and artefacts (issue: run store).
//
// One RunStore is one connection: use it from one thread at a time. The
// run's thread writes through its own RunStore (see RunRecorder) while the
// GUI or CLI read through theirs; WAL keeps readers and the writer apart.
#pragma once

#include "common/result.h"
#include "events/runstatus.h"
#include "run/runresult.h"

#include <QtCore/QJsonObject>

#include <memory>
#include <vector>

namespace metaaug::store {

class Database;

// The status lives below the store (events/runstatus.h); store::RunStatus
// names the same enum.
using metaaug::RunStatus;
using metaaug::statusFromName;
using metaaug::statusName;

// RunRow::kind of a quantization run, and of a sensitivity analysis.
constexpr char kQuantizeRun[] = "quantize";
constexpr char kSensitivityRun[] = "sensitivity";

struct RunRow {
    int64_t id = 0;
    QString kind = QLatin1String(kQuantizeRun);
    QString created, started, finished;  // ISO 8601 UTC
    RunStatus status = RunStatus::Queued;
    QJsonObject spec;      // immutable: the run spec as given
    QJsonObject identity;  // model_sha256, calib_hash, engine versions (known once the run has loaded them)
    QJsonObject result;    // the outcome (metrics), empty unless succeeded
    QString error;
    int64_t pid = 0;
    QString host;

    // The result as RunResult; none when empty (not succeeded), unreadable or
    // not a quantization run's.
    std::optional<RunResult> typedResult() const;
};

struct ScalarRow {
    int unit = -1;
    QString phase;
    int step = 0;
    QString key;
    double value = 0;
};

struct LayerMetricRow {
    QString layer, key;
    double value = 0;
    int unit = -1;  // sampled while this unit was reconstructed; -1: final
    int step = -1;  // its iteration; -1: final
};

struct ImageRow {
    int unit = -1;
    int step = 0;
    QByteArray originalsPng, transformedPng;
};

struct ArtefactRow {
    QString kind, path, sha256, created;
    int64_t size = 0;
};

// Rows written together in one transaction.
struct WriteBatch {
    std::vector<ScalarRow> scalars;
    std::vector<LayerMetricRow> layerMetrics;
    std::vector<ImageRow> images;
    bool empty() const { return scalars.empty() && layerMetrics.empty() && images.empty(); }
};

class RunStore {
public:
    // $METAAUG_DB, else <XDG data>/metaaug-workbench/runs.sqlite.
    static QString defaultPath();
    // Opens or creates the database and migrates it; then marks runs left
    // "running" by a process that no longer exists as interrupted. Errors
    // name the file and leave it unchanged.
    static Result<std::unique_ptr<RunStore>> open(const QString &path);
    ~RunStore();

    const QString &path() const;

    // A new run owned by this process, status running (or queued).
    Result<int64_t> createRun(const QJsonObject &spec, RunStatus status = RunStatus::Running,
                              const QString &kind = QLatin1String(kQuantizeRun));
    Result<void> setIdentity(int64_t run, const QJsonObject &identity);
    // `result`: a succeeded run's (null otherwise); kept as RunResult::toJson()
    // with its headline metrics (storedResultColumns()) as columns.
    Result<void> finishRun(int64_t run, RunStatus status, const RunResult *result, const QString &error);
    // The same for a run of another kind (a sensitivity analysis): its own
    // result JSON, no headline columns.
    Result<void> finishAnalysis(int64_t run, RunStatus status, const QJsonObject &result, const QString &error);
    Result<void> write(int64_t run, const WriteBatch &batch);
    Result<void> addArtefact(int64_t run, const ArtefactRow &artefact);
    // The quantized model of a succeeded run: encodings JSON and integer
    // codes (exporting::toEncodings); replaces an earlier one.
    Result<void> saveState(int64_t run, const QByteArray &encodingsJson, const QByteArray &codes);
    struct StoredState {
        QByteArray encodingsJson, codes;
    };
    // NotFound naming the run when it has none (not succeeded, or older than schema 4).
    Result<StoredState> state(int64_t run);

    // A method's binary artefact (MetaAug's T: kind "transform"); replaces
    // an earlier one of the kind and lists it among the run's artefacts
    // (path "run-store:<kind>", size, SHA-256).
    Result<void> saveBlob(int64_t run, const QString &kind, const QByteArray &data);
    // NotFound naming the run and kind when it has none.
    Result<QByteArray> blob(int64_t run, const QString &kind);
    Result<QStringList> blobKinds(int64_t run);

    Result<std::vector<RunRow>> listRuns();
    Result<RunRow> run(int64_t id);
    Result<std::vector<ScalarRow>> scalars(int64_t run);
    Result<std::vector<LayerMetricRow>> layerMetrics(int64_t run);
    Result<std::vector<ImageRow>> images(int64_t run);
    Result<std::vector<ArtefactRow>> artefacts(int64_t run);
    // How many scalar rows and image events a run has, without reading them.
    struct RowCounts {
        int64_t scalars = 0, images = 0;
    };
    Result<RowCounts> rowCounts(int64_t run);
    Result<void> deleteRun(int64_t id);

    // A single-file bundle (an SQLite file of this schema holding one run),
    // written to a temporary file and renamed into place.
    Result<void> exportRun(int64_t id, const QString &file);
    // Copies the bundle's run in as a new run; returns its id.
    Result<int64_t> importRun(const QString &file);

    // SQLite goes on writing to a database file deleted while it is open, and
    // that file vanishes when the connection closes. When the path no longer
    // names the file opened, writes a copy of everything this connection
    // sees back to the path (or to <path>.recovered-<time>.sqlite when
    // another file took its place) and says so; empty when nothing was done.
    Result<QString> preserveIfDeleted();

    // PRAGMA integrity_check: "ok" or SQLite's list of problems.
    Result<QString> integrityCheck();

    // Runs marked interrupted by open().
    const std::vector<int64_t> &interruptedOnOpen() const { return m_interrupted; }

    // The connection, for the store's other tables (SweepStore).
    Database &database() { return *m_db; }

private:
    explicit RunStore(std::unique_ptr<Database> db);
    Result<void> markInterrupted();
    Result<int64_t> insertRunRow(const RunRow &row);
    Result<void> copyRun(RunStore &from, int64_t fromId, int64_t toId);
    Result<void> copySweepPoint(RunStore &to, int64_t id, int64_t newId);

    std::unique_ptr<Database> m_db;
    std::vector<int64_t> m_interrupted;
    uint64_t m_dev = 0, m_ino = 0;  // the file opened (preserveIfDeleted)
};

}  // namespace metaaug::store
