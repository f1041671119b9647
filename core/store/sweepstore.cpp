// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepstore.h"

#include "rows.h"

namespace metaaug::store {

namespace {

constexpr char kSweepColumns[] = "id, created, name, file, executor, folder, status, job";

SweepRow readSweep(const Statement &st)
{
    SweepRow r;
    r.id = st.int64(0);
    r.created = st.text(1);
    r.name = st.text(2);
    r.file = fromText(st.text(3));
    r.executor = st.text(4);
    r.folder = st.text(5);
    r.status = statusFromName(st.text(6)).value_or(RunStatus::Failed);
    r.job = st.text(7);
    return r;
}

constexpr char kPointColumns[] = "sweep, idx, spec, coords, status, run, error, attempts, pid, pid_start, host";

SweepPointRow readPoint(const Statement &st)
{
    SweepPointRow p;
    p.sweep = st.int64(0);
    p.index = int(st.int64(1));
    p.spec = fromText(st.text(2));
    p.coords = fromText(st.text(3));
    p.status = statusFromName(st.text(4)).value_or(RunStatus::Failed);
    p.run = st.isNull(5) ? 0 : st.int64(5);
    p.error = st.text(6);
    p.attempts = int(st.int64(7));
    if (!st.isNull(8))
        p.owner = ProcessIdentity{st.int64(8), st.int64(9), st.text(10)};
    return p;
}

Error noSweep(const RunStore &s, int64_t id)
{
    return makeError(ErrorCode::NotFound, QStringLiteral("%1 has no sweep %2").arg(s.path()).arg(id));
}

}  // namespace

bool pointProcessGone(const SweepPointRow &p)
{
    return p.status == RunStatus::Running && p.owner.pid > 0 && !processAlive(p.owner);
}

Result<int64_t> SweepStore::createSweep(const QString &name, const QJsonObject &file, const QString &executor, const QString &folder,
                                        const std::vector<SweepPointRow> &points)
{
    Database &db = m_store.database();
    Transaction tx(db);
    if (auto r = tx.begin(); !r)
        return r.error();
    auto st = db.prepare("INSERT INTO sweeps (created, name, file, executor, folder, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return st.error();
    st->bind(1, now()).bind(2, name).bind(3, toText(file)).bind(4, executor).bind(5, folder)
        .bind(6, QString::fromLatin1(statusName(RunStatus::Queued)));
    if (auto r = st->run(); !r)
        return r.error();
    const int64_t id = db.lastInsertId();
    auto inserted = insertAll(db, "INSERT INTO sweep_points (sweep, idx, spec, coords, status) VALUES (?1, ?2, ?3, ?4, ?5)", points,
                              [id](Statement &s, const SweepPointRow &p) {
                                  s.bind(1, id).bind(2, p.index).bind(3, toText(p.spec)).bind(4, toText(p.coords))
                                      .bind(5, QString::fromLatin1(statusName(RunStatus::Queued)));
                              });
    if (!inserted)
        return inserted.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return id;
}

Result<SweepRow> SweepStore::sweep(int64_t id)
{
    const QByteArray sql = QByteArrayLiteral("SELECT ") + kSweepColumns + " FROM sweeps WHERE id = ?1";
    auto rows = collect(m_store.database(), sql.constData(), [id](Statement &st) { st.bind(1, id); }, readSweep);
    if (!rows)
        return rows.error();
    if (rows->empty())
        return noSweep(m_store, id);
    return rows->front();
}

Result<std::vector<SweepRow>> SweepStore::listSweeps()
{
    const QByteArray sql = QByteArrayLiteral("SELECT ") + kSweepColumns + " FROM sweeps ORDER BY id";
    return collect(m_store.database(), sql.constData(), [](Statement &) {}, readSweep);
}

Result<std::vector<SweepPointRow>> SweepStore::points(int64_t sweep)
{
    const QByteArray sql = QByteArrayLiteral("SELECT ") + kPointColumns + " FROM sweep_points WHERE sweep = ?1 ORDER BY idx";
    return collect(m_store.database(), sql.constData(), [sweep](Statement &st) { st.bind(1, sweep); }, readPoint);
}

Result<void> SweepStore::setStatus(int64_t sweep, RunStatus status)
{
    Database &db = m_store.database();
    auto st = db.prepare("UPDATE sweeps SET status = ?1 WHERE id = ?2");
    if (!st)
        return st.error();
    if (auto r = st->bind(1, QString::fromLatin1(statusName(status))).bind(2, sweep).run(); !r)
        return r;
    return db.changes() ? Result<void>() : Result<void>(noSweep(m_store, sweep));
}

Result<void> SweepStore::setJob(int64_t sweep, const QString &folder, const QString &job)
{
    Database &db = m_store.database();
    auto st = db.prepare("UPDATE sweeps SET folder = ?1, job = ?2 WHERE id = ?3");
    if (!st)
        return st.error();
    if (auto r = st->bind(1, folder).bind(2, job).bind(3, sweep).run(); !r)
        return r;
    return db.changes() ? Result<void>() : Result<void>(noSweep(m_store, sweep));
}

Result<void> SweepStore::setPoint(int64_t sweep, int index, RunStatus status, int64_t run, const QString &error, bool attempt,
                                  const ProcessIdentity &owner)
{
    Database &db = m_store.database();
    auto st = db.prepare("UPDATE sweep_points SET status = ?1, run = ?2, error = ?3, attempts = attempts + ?4, pid = ?7, pid_start = ?8, "
                         "host = ?9 WHERE sweep = ?5 AND idx = ?6");
    if (!st)
        return st.error();
    st->bind(1, QString::fromLatin1(statusName(status)));
    if (run > 0)
        st->bind(2, run);
    else
        st->bindNull(2);
    if (error.isEmpty())
        st->bindNull(3);
    else
        st->bind(3, error);
    st->bind(4, attempt ? 1 : 0).bind(5, sweep).bind(6, index);
    if (owner.pid > 0)
        st->bind(7, owner.pid).bind(8, owner.startTime).bind(9, owner.host);
    else
        st->bindNull(7).bindNull(8).bindNull(9);
    if (auto r = st->run(); !r)
        return r;
    return db.changes() ? Result<void>()
                        : Result<void>(makeError(ErrorCode::NotFound, QStringLiteral("%1: sweep %2 has no point %3").arg(m_store.path()).arg(sweep).arg(index)));
}

Result<std::optional<std::pair<SweepRow, SweepPointRow>>> SweepStore::pointOfRun(int64_t run)
{
    const QByteArray sql = QByteArrayLiteral("SELECT ") + kPointColumns + " FROM sweep_points WHERE run = ?1 ORDER BY sweep DESC LIMIT 1";
    auto found = collect(m_store.database(), sql.constData(), [run](Statement &st) { st.bind(1, run); }, readPoint);
    if (!found)
        return found.error();
    if (found->empty())
        return std::optional<std::pair<SweepRow, SweepPointRow>>();
    auto row = sweep(found->front().sweep);
    if (!row)
        return row.error();
    return std::optional(std::pair(*row, found->front()));
}

}  // namespace metaaug::store
