// SPDX-License-Identifier: GPL-3.0-or-later
#include "runstore.h"
#include "sweepstore.h"

#include "run/runresult.h"

#include "common/hashing.h"

#include "processidentity.h"
#include "rows.h"
#include "schema.h"
#include "sqlite.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>

#include <sys/stat.h>

namespace metaaug::store {

namespace {

Error notFound(const QString &path, int64_t id)
{
    return makeError(ErrorCode::NotFound, QStringLiteral("%1 has no run %2").arg(path).arg(id));
}

const char kRunColumns[] = "id, created, started, finished, status, spec, identity, result, error, pid, host, kind";

RunRow readRun(const Statement &st)
{
    RunRow r;
    r.id = st.int64(0);
    r.created = st.text(1);
    r.started = st.text(2);
    r.finished = st.text(3);
    r.status = statusFromName(st.text(4)).value_or(RunStatus::Failed);
    r.spec = fromText(st.text(5));
    r.identity = fromText(st.text(6));
    r.result = fromText(st.text(7));
    r.error = st.text(8);
    r.pid = st.int64(9);
    r.host = st.text(10);
    r.kind = st.text(11);
    return r;
}

double realOrNan(const Statement &st, int col)
{
    return st.isNull(col) ? std::nan("") : st.real(col);
}

}  // namespace

std::optional<RunResult> RunRow::typedResult() const
{
    if (result.isEmpty() || kind != QLatin1String(kQuantizeRun))
        return std::nullopt;
    auto r = RunResult::fromJson(result);
    return r ? std::optional<RunResult>(*r) : std::nullopt;
}

QString RunStore::defaultPath()
{
    const QString env = qEnvironmentVariable("METAAUG_DB");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/metaaug-workbench/runs.sqlite");
}

namespace {

// The file behind a path (device, inode); nullopt when nothing is there.
std::optional<std::pair<dev_t, ino_t>> fileIdentity(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return std::make_pair(st.st_dev, st.st_ino);
}

}  // namespace

RunStore::RunStore(std::unique_ptr<Database> db) : m_db(std::move(db))
{
    if (const auto id = fileIdentity(m_db->path())) {
        m_dev = uint64_t(id->first);
        m_ino = uint64_t(id->second);
    }
}
RunStore::~RunStore() = default;

const QString &RunStore::path() const
{
    return m_db->path();
}

Result<std::unique_ptr<RunStore>> RunStore::open(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 is a folder, not a run database").arg(path));
    if (!info.exists()) {
        if (!QDir().mkpath(info.absolutePath()))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot create the folder %1 for the run database")
                                                             .arg(info.absolutePath()));
        if (!QFileInfo(info.absolutePath()).isWritable())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot create the run database %1: the folder is not writable")
                                                             .arg(path));
    } else if (!info.isWritable()) {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the run database %1 is read-only; runs cannot be recorded")
                                                         .arg(path));
    }
    auto db = Database::open(path, Database::Mode::ReadWrite);
    if (!db)
        return db.error();
    // Check what the file is before writing anything to it.
    if (auto r = migrate(**db); !r)
        return r.error();
    // WAL is a property of the file: the first opener switches it, which
    // needs the file to itself, and SQLite does not wait for that. Retry
    // within the busy timeout while another process holds it.
    for (int attempt = 0;; ++attempt) {
        auto r = (*db)->exec("PRAGMA journal_mode = WAL");
        if (r)
            break;
        if (r.error().code != ErrorCode::Unsupported || attempt >= 50)  // Unsupported: busy/locked
            return r.error();
        QThread::msleep(100);
    }
    if (auto r = (*db)->exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"); !r)
        return r.error();
    std::unique_ptr<RunStore> store(new RunStore(std::move(*db)));
    if (auto r = store->markInterrupted(); !r)
        return r.error();
    return store;
}

Result<void> RunStore::markInterrupted()
{
    auto running = collect(*m_db, "SELECT id, pid, pid_start, host FROM runs WHERE status = 'running'", [](Statement &) {},
                           [](const Statement &st) {
                               return std::make_pair(st.int64(0), ProcessIdentity{st.int64(1), st.int64(2), st.text(3)});
                           });
    if (!running)
        return running.error();
    std::vector<int64_t> gone;
    for (const auto &[id, owner] : *running)
        if (!processAlive(owner))
            gone.push_back(id);
    auto up = m_db->prepare("UPDATE runs SET status = 'interrupted', finished = ?1, "
                            "error = 'the process running it ended without finishing it (killed or crashed)' "
                            "WHERE id = ?2 AND status = 'running'");
    if (!up)
        return up.error();
    for (int64_t id : gone) {
        up->reset();
        if (auto r = up->bind(1, now()).bind(2, id).run(); !r)
            return r;
        m_interrupted.push_back(id);
    }
    return {};
}

Result<int64_t> RunStore::insertRunRow(const RunRow &row)
{
    auto st = m_db->prepare("INSERT INTO runs (created, started, finished, status, spec, identity, result, error, "
                            "engine_version, pid, pid_start, host, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!st)
        return st.error();
    const ProcessIdentity me = currentProcess();
    const bool owned = row.status == RunStatus::Running || row.status == RunStatus::Queued;
    st->bind(1, row.created).bind(2, row.started).bind(3, row.finished).bind(4, QString::fromLatin1(statusName(row.status)))
        .bind(5, toText(row.spec)).bind(6, toText(row.identity)).bind(7, toText(row.result)).bind(8, row.error)
        .bind(9, QStringLiteral(METAAUG_VERSION)).bind(13, row.kind);
    if (owned)
        st->bind(10, me.pid).bind(11, me.startTime).bind(12, me.host);
    else
        st->bind(10, row.pid).bindNull(11).bind(12, row.host);
    if (auto r = st->run(); !r)
        return r.error();
    return m_db->lastInsertId();
}

Result<int64_t> RunStore::createRun(const QJsonObject &spec, RunStatus status, const QString &kind)
{
    RunRow row;
    row.kind = kind;
    row.created = now();
    row.started = status == RunStatus::Running ? row.created : QString();
    row.status = status;
    row.spec = spec;
    return insertRunRow(row);
}

Result<void> RunStore::setIdentity(int64_t run, const QJsonObject &identity)
{
    auto st = m_db->prepare("UPDATE runs SET identity = ?1 WHERE id = ?2");
    if (!st)
        return st.error();
    if (auto r = st->bind(1, toText(identity)).bind(2, run).run(); !r)
        return r;
    return m_db->changes() ? Result<void>() : Result<void>(notFound(path(), run));
}

namespace {

// Ends a run: status, result JSON, error, finish time, and the headline
// columns (for listing and sorting) from `headline`'s own metric table;
// NULL without one (failed runs, analyses).
Result<void> finishRow(Database &db, const QString &file, int64_t run, RunStatus status, const QJsonObject &result,
                       const RunResult *headline, const QString &error)
{
    QString sql = QStringLiteral("UPDATE runs SET status = ?1, result = ?2, error = ?3, finished = ?4");
    const QStringList columns = storedResultColumns();
    for (int i = 0; i < columns.size(); ++i)
        sql += QStringLiteral(", %1 = ?%2").arg(columns[i]).arg(i + 6);
    sql += QStringLiteral(" WHERE id = ?5");
    auto st = db.prepare(sql.toUtf8().constData());
    if (!st)
        return st.error();
    st->bind(1, QString::fromLatin1(statusName(status))).bind(2, toText(result)).bind(4, now()).bind(5, run);
    for (int i = 0; i < columns.size(); ++i) {
        const std::optional<double> v = headline ? findResultMetric(columns[i])->get(*headline) : std::nullopt;
        st->bindFinite(i + 6, v.value_or(std::nan("")));
    }
    if (error.isEmpty())
        st->bindNull(3);
    else
        st->bind(3, error);
    if (auto r = st->run(); !r)
        return r;
    return db.changes() ? Result<void>() : Result<void>(notFound(file, run));
}

}  // namespace

Result<void> RunStore::finishRun(int64_t run, RunStatus status, const RunResult *result, const QString &error)
{
    return finishRow(*m_db, path(), run, status, result ? result->toJson() : QJsonObject{}, result, error);
}

Result<void> RunStore::finishAnalysis(int64_t run, RunStatus status, const QJsonObject &result, const QString &error)
{
    return finishRow(*m_db, path(), run, status, result, nullptr, error);
}

Result<void> RunStore::write(int64_t run, const WriteBatch &batch)
{
    if (batch.empty())
        return {};
    Transaction tx(*m_db);
    if (auto r = tx.begin(); !r)
        return r;
    auto scalars = insertAll(*m_db, "INSERT INTO scalars (run, unit, phase, step, key, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             batch.scalars, [run](Statement &st, const ScalarRow &s) {
                                 st.bind(1, run).bind(2, s.unit).bind(3, s.phase).bind(4, s.step).bind(5, s.key).bindFinite(6, s.value);
                             });
    if (!scalars)
        return scalars;
    auto metrics = insertAll(*m_db, "INSERT INTO layer_metrics (run, layer, key, value, unit, step) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             batch.layerMetrics, [run](Statement &st, const LayerMetricRow &m) {
                                 st.bind(1, run).bind(2, m.layer).bind(3, m.key).bindFinite(4, m.value).bind(5, m.unit).bind(6, m.step);
                             });
    if (!metrics)
        return metrics;
    auto images = insertAll(*m_db, "INSERT INTO images (run, unit, step, originals, transformed) VALUES (?1, ?2, ?3, ?4, ?5)",
                            batch.images, [run](Statement &st, const ImageRow &i) {
                                st.bind(1, run).bind(2, i.unit).bind(3, i.step).bind(4, i.originalsPng).bind(5, i.transformedPng);
                            });
    if (!images)
        return images;
    return tx.commit();
}

Result<void> RunStore::addArtefact(int64_t run, const ArtefactRow &a)
{
    auto st = m_db->prepare("INSERT INTO artefacts (run, kind, path, size, sha256, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return st.error();
    return st->bind(1, run).bind(2, a.kind).bind(3, a.path).bind(4, a.size).bind(5, a.sha256)
        .bind(6, a.created.isEmpty() ? now() : a.created).run();
}

Result<void> RunStore::saveState(int64_t run, const QByteArray &encodingsJson, const QByteArray &codes)
{
    auto st = m_db->prepare("INSERT OR REPLACE INTO states (run, encodings, codes) VALUES (?1, ?2, ?3)");
    if (!st)
        return st.error();
    return st->bind(1, run).bind(2, QString::fromUtf8(encodingsJson)).bind(3, codes).run();
}

Result<RunStore::StoredState> RunStore::state(int64_t run)
{
    auto rows = collect(*m_db, "SELECT encodings, codes FROM states WHERE run = ?1", [run](Statement &st) { st.bind(1, run); },
                        [](const Statement &st) { return StoredState{st.text(0).toUtf8(), st.blob(1)}; });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("run %1 in %2 has no stored quantized model "
                                                             "(only succeeded runs have one)").arg(run).arg(path()));
    return rows->front();
}

Result<void> RunStore::saveBlob(int64_t run, const QString &kind, const QByteArray &data)
{
    const QString hash = sha256Hex(data);
    auto st = m_db->prepare("INSERT OR REPLACE INTO blobs (run, kind, data, sha256) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return st.error();
    if (auto r = st->bind(1, run).bind(2, kind).bind(3, data).bind(4, hash).run(); !r)
        return r;
    ArtefactRow a;
    a.kind = kind;
    a.path = QStringLiteral("run-store:") + kind;
    a.size = data.size();
    a.sha256 = hash;
    return addArtefact(run, a);
}

Result<QByteArray> RunStore::blob(int64_t run, const QString &kind)
{
    auto rows = collect(*m_db, "SELECT data FROM blobs WHERE run = ?1 AND kind = ?2",
                        [run, &kind](Statement &st) { st.bind(1, run).bind(2, kind); },
                        [](const Statement &st) { return st.blob(0); });
    if (!rows)
        return rows.error();
    if (rows->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("run %1 in %2 has no stored %3 (only MetaAug runs that "
                                                             "used a T store one)").arg(run).arg(path(), kind));
    return rows->front();
}

Result<QStringList> RunStore::blobKinds(int64_t run)
{
    auto rows = collect(*m_db, "SELECT kind FROM blobs WHERE run = ?1 ORDER BY kind", [run](Statement &st) { st.bind(1, run); },
                        [](const Statement &st) { return st.text(0); });
    if (!rows)
        return rows.error();
    return QStringList(rows->begin(), rows->end());
}

Result<std::vector<RunRow>> RunStore::listRuns()
{
    const QByteArray sql = QByteArrayLiteral("SELECT ") + kRunColumns + " FROM runs ORDER BY id";
    return collect(*m_db, sql.constData(), [](Statement &) {}, readRun);
}

Result<RunRow> RunStore::run(int64_t id)
{
    const QByteArray sql = QByteArrayLiteral("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1";
    auto rows = collect(*m_db, sql.constData(), [id](Statement &st) { st.bind(1, id); }, readRun);
    if (!rows)
        return rows.error();
    if (rows->empty())
        return notFound(path(), id);
    return rows->front();
}

Result<std::vector<ScalarRow>> RunStore::scalars(int64_t run)
{
    return collect(*m_db, "SELECT unit, phase, step, key, value FROM scalars WHERE run = ?1 ORDER BY rowid",
                   [run](Statement &st) { st.bind(1, run); },
                   [](const Statement &st) {
                       return ScalarRow{int(st.int64(0)), st.text(1), int(st.int64(2)), st.text(3), realOrNan(st, 4)};
                   });
}

Result<std::vector<LayerMetricRow>> RunStore::layerMetrics(int64_t run)
{
    return collect(*m_db, "SELECT layer, key, value, unit, step FROM layer_metrics WHERE run = ?1 ORDER BY rowid",
                   [run](Statement &st) { st.bind(1, run); },
                   [](const Statement &st) {
                       return LayerMetricRow{st.text(0), st.text(1), realOrNan(st, 2), int(st.int64(3)), int(st.int64(4))};
                   });
}

Result<std::vector<ImageRow>> RunStore::images(int64_t run)
{
    return collect(*m_db, "SELECT unit, step, originals, transformed FROM images WHERE run = ?1 ORDER BY rowid",
                   [run](Statement &st) { st.bind(1, run); },
                   [](const Statement &st) { return ImageRow{int(st.int64(0)), int(st.int64(1)), st.blob(2), st.blob(3)}; });
}

Result<std::vector<ArtefactRow>> RunStore::artefacts(int64_t run)
{
    return collect(*m_db, "SELECT kind, path, sha256, created, size FROM artefacts WHERE run = ?1 ORDER BY rowid",
                   [run](Statement &st) { st.bind(1, run); },
                   [](const Statement &st) { return ArtefactRow{st.text(0), st.text(1), st.text(2), st.text(3), st.int64(4)}; });
}

Result<RunStore::RowCounts> RunStore::rowCounts(int64_t run)
{
    auto counts = collect(*m_db, "SELECT (SELECT count(*) FROM scalars WHERE run = ?1), (SELECT count(*) FROM images WHERE run = ?1)",
                          [run](Statement &st) { st.bind(1, run); },
                          [](const Statement &st) { return RowCounts{st.int64(0), st.int64(1)}; });
    if (!counts)
        return counts.error();
    return counts->front();
}

Result<QString> RunStore::preserveIfDeleted()
{
    const auto now = fileIdentity(m_db->path());
    if (now && uint64_t(now->first) == m_dev && uint64_t(now->second) == m_ino)
        return QString();
    // Gone: put the copy back where it was. Replaced by another file: keep
    // that one and write the copy beside it.
    QString target = m_db->path();
    if (now)
        target = QStringLiteral("%1.recovered-%2.sqlite")
                     .arg(m_db->path(), QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmss")));
    auto st = m_db->prepare("VACUUM INTO ?1");
    if (!st)
        return st.error();
    st->bind(1, target);
    if (auto r = st->step(); !r)
        return m_db->error(QStringLiteral("writing a copy of the deleted database to %1").arg(target));
    const QString what = now ? QStringLiteral("was replaced by another file") : QStringLiteral("was deleted");
    const QString message =
        QStringLiteral("the run database %1 %2 while it was open; everything it held, this run included, was written to %3")
            .arg(m_db->path(), what, target);
    if (const auto id = fileIdentity(target); id && !now) {
        m_dev = uint64_t(id->first);  // the restored file is this store's file from now on for this check
        m_ino = uint64_t(id->second);
    }
    return message;
}

Result<QString> RunStore::integrityCheck()
{
    auto lines = collect(*m_db, "PRAGMA integrity_check", [](Statement &) {}, [](const Statement &st) { return st.text(0); });
    if (!lines)
        return lines.error();
    return QStringList(lines->begin(), lines->end()).join(QLatin1Char('\n'));
}

Result<void> RunStore::deleteRun(int64_t id)
{
    auto st = m_db->prepare("DELETE FROM runs WHERE id = ?1");
    if (!st)
        return st.error();
    if (auto r = st->bind(1, id).run(); !r)
        return r;
    return m_db->changes() ? Result<void>() : Result<void>(notFound(path(), id));
}

Result<void> RunStore::copyRun(RunStore &from, int64_t fromId, int64_t toId)
{
    WriteBatch batch;
    auto s = from.scalars(fromId);
    auto m = from.layerMetrics(fromId);
    auto i = from.images(fromId);
    auto a = from.artefacts(fromId);
    if (!s || !m || !i || !a)
        return !s ? s.error() : !m ? m.error() : !i ? i.error() : a.error();
    batch.scalars = std::move(*s);
    batch.layerMetrics = std::move(*m);
    batch.images = std::move(*i);
    if (auto r = write(toId, batch); !r)
        return r;
    for (const ArtefactRow &row : *a)
        if (auto r = addArtefact(toId, row); !r)
            return r;
    if (auto st = from.state(fromId)) {
        if (auto r = saveState(toId, st->encodingsJson, st->codes); !r)
            return r;
    } else if (st.error().code != ErrorCode::NotFound) {
        return st.error();
    }
    // Blobs without their artefact rows: those were copied above.
    auto kinds = from.blobKinds(fromId);
    if (!kinds)
        return kinds.error();
    for (const QString &kind : *kinds) {
        auto data = from.blob(fromId, kind);
        if (!data)
            return data.error();
        auto st = m_db->prepare("INSERT OR REPLACE INTO blobs (run, kind, data, sha256) VALUES (?1, ?2, ?3, ?4)");
        if (!st)
            return st.error();
        if (auto r = st->bind(1, toId).bind(2, kind).bind(3, *data).bind(4, sha256Hex(*data)).run(); !r)
            return r;
    }
    return {};
}

// A bundle of a sweep's run keeps its sweep and grid point (one point).
Result<void> RunStore::copySweepPoint(RunStore &to, int64_t id, int64_t newId)
{
    auto point = SweepStore(*this).pointOfRun(id);
    if (!point)
        return point.error();
    if (!*point)
        return {};
    const auto &[sweepRow, pointRow] = **point;
    SweepStore out(to);
    auto sweepId = out.createSweep(sweepRow.name, sweepRow.file, sweepRow.executor, sweepRow.folder, {pointRow});
    if (!sweepId)
        return sweepId.error();
    if (auto r = out.setStatus(*sweepId, sweepRow.status); !r)
        return r;
    return out.setPoint(*sweepId, pointRow.index, pointRow.status, newId, pointRow.error);
}

Result<void> RunStore::exportRun(int64_t id, const QString &file)
{
    auto row = run(id);
    if (!row)
        return row.error();
    const QString partial = file + QStringLiteral(".partial");
    QFile::remove(partial);
    {
        auto out = RunStore::open(partial);
        if (!out)
            return out.error();
        // A bundle is a file to move around: no WAL side files.
        if (auto r = (*out)->m_db->exec("PRAGMA journal_mode = DELETE"); !r)
            return r;
        auto newId = (*out)->insertRunRow(*row);
        if (!newId)
            return newId.error();
        if (auto r = (*out)->copyRun(*this, id, *newId); !r) {
            QFile::remove(partial);
            return r;
        }
        if (auto r = copySweepPoint(**out, id, *newId); !r) {
            QFile::remove(partial);
            return r;
        }
    }
    QFile::remove(file);
    if (!QFile::rename(partial, file)) {
        QFile::remove(partial);
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot write the bundle %1").arg(file));
    }
    return {};
}

Result<int64_t> RunStore::importRun(const QString &file)
{
    if (!QFileInfo::exists(file))
        return makeError(ErrorCode::NotFound, QStringLiteral("the bundle %1 does not exist").arg(file));
    // Work on a copy: opening may migrate, and the user's file stays as it was.
    QTemporaryDir tmp;
    const QString copy = tmp.filePath(QStringLiteral("bundle.sqlite"));
    if (!tmp.isValid() || !QFile::copy(file, copy))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot read the bundle %1").arg(file));
    auto in = RunStore::open(copy);
    if (!in)
        return makeError(in.error().code, QString(in.error().message).replace(copy, file));
    auto rows = (*in)->listRuns();
    if (!rows)
        return rows.error();
    if (rows->size() != 1)
        return makeError(ErrorCode::BadFile, QStringLiteral("%1 is not a run bundle (it holds %2 runs, a bundle holds one)")
                                                 .arg(file).arg(rows->size()));
    RunRow row = rows->front();
    if (row.status == RunStatus::Running || row.status == RunStatus::Queued)
        row.status = RunStatus::Interrupted;  // nobody here owns it
    Transaction tx(*m_db);
    if (auto r = tx.begin(); !r)
        return r.error();
    auto id = insertRunRow(row);
    if (!id)
        return id.error();
    if (auto r = copyRun(**in, row.id, *id); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return *id;
}

}  // namespace metaaug::store
