// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema.h"

namespace metaaug::store {

namespace {

const char kV1[] = R"sql(
CREATE TABLE runs (
    id      INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    status  TEXT NOT NULL,
    spec    TEXT NOT NULL,
    result  TEXT,
    error   TEXT
);
CREATE TABLE scalars (
    run   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    unit  INTEGER NOT NULL,
    phase TEXT NOT NULL,
    step  INTEGER NOT NULL,
    key   TEXT NOT NULL,
    value REAL
);
CREATE TABLE layer_metrics (
    run   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    key   TEXT NOT NULL,
    value REAL
);
CREATE INDEX scalars_run ON scalars(run);
CREATE INDEX layer_metrics_run ON layer_metrics(run);
)sql";

const char kV1ToV2[] = R"sql(
ALTER TABLE runs ADD COLUMN started TEXT;
ALTER TABLE runs ADD COLUMN finished TEXT;
ALTER TABLE runs ADD COLUMN identity TEXT;
ALTER TABLE runs ADD COLUMN engine_version TEXT;
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN pid_start INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN q_top1 REAL;
ALTER TABLE runs ADD COLUMN gap REAL;
UPDATE runs SET q_top1 = json_extract(result, '$.q_top1'), gap = json_extract(result, '$.gap') WHERE json_valid(result);
CREATE TABLE images (
    run         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    unit        INTEGER NOT NULL,
    step        INTEGER NOT NULL,
    originals   BLOB NOT NULL,
    transformed BLOB NOT NULL
);
CREATE TABLE artefacts (
    run     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    path    TEXT NOT NULL,
    size    INTEGER NOT NULL,
    sha256  TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX images_run ON images(run);
CREATE INDEX artefacts_run ON artefacts(run);
CREATE INDEX runs_status ON runs(status);
)sql";

// Per-layer metrics sampled during a unit's reconstruction (the probe
// curves) carry the unit and the iteration; final ones have -1 for both.
const char kV2ToV3[] = R"sql(
ALTER TABLE layer_metrics ADD COLUMN unit INTEGER NOT NULL DEFAULT -1;
ALTER TABLE layer_metrics ADD COLUMN step INTEGER NOT NULL DEFAULT -1;
)sql";

// The quantized model of a succeeded run (encodings JSON + integer codes),
// from which every export format is written later.
const char kV3ToV4[] = R"sql(
CREATE TABLE states (
    run       INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    encodings TEXT NOT NULL,
    codes     BLOB NOT NULL
);
)sql";

// Binary artefacts a method produces beside the quantized model (MetaAug's
// final T, kind "transform"), one per run and kind.
const char kV4ToV5[] = R"sql(
CREATE TABLE blobs (
    run    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    data   BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (run, kind)
);
)sql";

// What a run is: "quantize" (a quantization run, whose result is a
// RunResult) or "sensitivity" (a sensitivity analysis, whose result holds
// its records). Runs stored before this are quantization runs.
const char kV5ToV6[] = R"sql(
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'quantize';
)sql";

// Sweeps (issue 21): a grid of run specs expanded from a sweep file, and
// each grid point's state and run. A point's run is a row of runs (NULL
// until known); deleting the run keeps the point, without its run.
const char kV6ToV7[] = R"sql(
CREATE TABLE sweeps (
    id       INTEGER PRIMARY KEY,
    created  TEXT NOT NULL,
    name     TEXT NOT NULL,
    file     TEXT NOT NULL,
    executor TEXT NOT NULL,
    folder   TEXT,
    job      TEXT,
    status   TEXT NOT NULL
);
CREATE TABLE sweep_points (
    sweep    INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,
    spec     TEXT NOT NULL,
    coords   TEXT NOT NULL,
    status   TEXT NOT NULL,
    run      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    error    TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sweep, idx)
);
)sql";

// The process running a local sweep's point (pid, its start time, host), so
// that a point left "running" by a killed process is told from a live one.
const char kV7ToV8[] = R"sql(
ALTER TABLE sweep_points ADD COLUMN pid INTEGER;
ALTER TABLE sweep_points ADD COLUMN pid_start INTEGER;
ALTER TABLE sweep_points ADD COLUMN host TEXT;
)sql";

// migrations[v] takes a database from version v to v + 1
const char *const kMigrations[] = {kV1, kV1ToV2, kV2ToV3, kV3ToV4, kV4ToV5, kV5ToV6, kV6ToV7, kV7ToV8};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

}  // namespace

const char *schemaVersion1Sql()
{
    return kV1;
}

Result<int> schemaVersion(Database &db)
{
    auto st = db.prepare("PRAGMA user_version");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return int(st->int64(0));
}

namespace {
// Refuses files that are not ours: a newer schema, or a database with
// tables and no version (someone else's). Reads only.
Result<int> checkedVersion(Database &db)
{
    // Version and table count in one statement, so one snapshot: between two
    // statements another process may commit its migration.
    auto st = db.prepare("SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)");
    auto row = st ? st->step() : Result<bool>(st.error());
    if (!row)
        return makeError(row.error().code, QStringLiteral("%1 is not a run database (%2)")
                                               .arg(db.path(), row.error().message.section(QStringLiteral(": "), -1)));
    const int version = int(st->int64(0));
    if (version > kSchemaVersion)
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("%1 was written by a newer MetaAug Workbench (schema version %2; this one knows up to %3); "
                                        "it was left unchanged")
                             .arg(db.path()).arg(version).arg(kSchemaVersion));
    if (version == 0 && st->int64(1) > 0)
        return makeError(ErrorCode::BadFile, QStringLiteral("%1 is an SQLite database but not a run database "
                                                            "(it has tables and no schema version); it was left unchanged")
                                                 .arg(db.path()));
    return version;
}
}  // namespace

Result<void> migrate(Database &db)
{
    auto version = checkedVersion(db);
    if (!version)
        return version.error();
    if (*version == kSchemaVersion)
        return {};
    // Take the write lock, then look again: another process may have
    // created or migrated the file in the meantime.
    Transaction tx(db);
    if (auto r = tx.begin(); !r)
        return r;
    version = checkedVersion(db);
    if (!version)
        return version.error();
    for (int v = *version; v < kSchemaVersion; ++v)
        if (auto r = db.exec(kMigrations[v]); !r)
            return r;
    // PRAGMA takes no bound parameters; the value is a compile-time constant.
    if (auto r = db.exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str()); !r)
        return r;
    return tx.commit();
}

}  // namespace metaaug::store
