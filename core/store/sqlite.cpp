// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite.h"

#include <sqlite3.h>

#include <cmath>

namespace metaaug::store {

namespace {
ErrorCode codeOf(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return ErrorCode::BadFile;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM: return ErrorCode::InvalidArgument;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_IOERR: return ErrorCode::OutOfResources;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::Unsupported;
    default: return ErrorCode::Internal;
    }
}
}  // namespace

Result<std::unique_ptr<Database>> Database::open(const QString &path, Mode mode)
{
    sqlite3 *db = nullptr;
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString msg = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory");
        sqlite3_close(db);
        return makeError(codeOf(rc), QStringLiteral("%1: cannot open the run database: %2").arg(path, msg));
    }
    sqlite3_extended_result_codes(db, 1);
    // Readers and the writer wait for each other briefly instead of failing.
    sqlite3_busy_timeout(db, 5000);
    return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

Error Database::error(const QString &what) const
{
    return error(what, sqlite3_extended_errcode(m_db));
}

Error Database::error(const QString &what, int rc) const
{
    QString msg = QString::fromUtf8(sqlite3_errmsg(m_db));
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        msg += QStringLiteral(" (another process holds the database; try again when it has finished)");
    return makeError(codeOf(rc), QStringLiteral("%1: %2: %3").arg(m_path, what, msg));
}

Result<void> Database::exec(const char *sql)
{
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK)
        return error(QStringLiteral("cannot run '%1'").arg(QString::fromUtf8(sql).simplified().left(60)), rc);
    return {};
}

Result<Statement> Database::prepare(const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return error(QStringLiteral("cannot prepare '%1'").arg(QString::fromUtf8(sql).simplified().left(60)), rc);
    return Statement(*this, stmt);
}

int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

Transaction::~Transaction()
{
    if (m_open)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::begin()
{
    if (!sqlite3_get_autocommit(m_db.handle()))
        return {};  // inside an outer transaction: that one commits
    if (auto r = m_db.exec("BEGIN IMMEDIATE"); !r)
        return r;
    m_open = true;
    return {};
}

Result<void> Transaction::commit()
{
    if (!m_open)
        return {};
    if (auto r = m_db.exec("COMMIT"); !r)
        return r;
    m_open = false;
    return {};
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement &Statement::bind(int i, int64_t v)
{
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
}

Statement &Statement::bind(int i, double v)
{
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
}

Statement &Statement::bind(int i, const QString &v)
{
    const QByteArray u = v.toUtf8();
    sqlite3_bind_text(m_stmt, i, u.constData(), int(u.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int i, const QByteArray &blob)
{
    sqlite3_bind_blob(m_stmt, i, blob.constData(), int(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int i)
{
    sqlite3_bind_null(m_stmt, i);
    return *this;
}

Statement &Statement::bindFinite(int i, double v)
{
    return std::isfinite(v) ? bind(i, v) : bindNull(i);
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return m_db->error(QStringLiteral("statement failed"), rc);
}

Result<void> Statement::run()
{
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!*r)
            return {};
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

double Statement::real(int col) const
{
    return sqlite3_column_double(m_stmt, col);
}

QString Statement::text(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col)) : QString();
}

QByteArray Statement::blob(int col) const
{
    const void *p = sqlite3_column_blob(m_stmt, col);
    return p ? QByteArray(static_cast<const char *>(p), sqlite3_column_bytes(m_stmt, col)) : QByteArray();
}

bool Statement::isNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

}  // namespace metaaug::store
