// SPDX-License-Identifier: GPL-3.0-or-later
// A thin RAII layer over SQLite's C API: a connection and prepared
// statements with typed bind/column helpers. Every SQL text here is a
// constant of the program; user values only ever go through bind().
#pragma once

#include "common/result.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace metaaug::store {

class Statement;

class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };
    // Opens (ReadWrite: creating) the file. Failures name the file.
    static Result<std::unique_ptr<Database>> open(const QString &path, Mode mode);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    const QString &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

    // Runs constant SQL (may hold several statements).
    Result<void> exec(const char *sql);
    Result<Statement> prepare(const char *sql);
    int64_t lastInsertId() const;
    int changes() const;
    // "<file>: <what>: <sqlite message>", with the kind of failure as code.
    Error error(const QString &what) const;
    Error error(const QString &what, int rc) const;

private:
    Database(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) {}
    sqlite3 *m_db;
    QString m_path;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() succeeded. Inside
// an outer transaction it does nothing (the outer one commits or rolls back).
class Transaction {
public:
    explicit Transaction(Database &db) : m_db(db) {}
    ~Transaction();
    Result<void> begin();
    Result<void> commit();

private:
    Database &m_db;
    bool m_open = false;
};

class Statement {
public:
    Statement(Database &db, sqlite3_stmt *stmt) : m_db(&db), m_stmt(stmt) {}
    Statement(Statement &&other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) { other.m_stmt = nullptr; }
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // 1-based, like SQLite.
    Statement &bind(int i, int64_t v);
    Statement &bind(int i, int v) { return bind(i, int64_t(v)); }
    Statement &bind(int i, double v);
    Statement &bind(int i, const QString &v);
    Statement &bind(int i, const QByteArray &blob);
    Statement &bindNull(int i);
    // v, or NULL when v is NaN or infinite (SQLite has no such REAL).
    Statement &bindFinite(int i, double v);

    // true: a row is ready; false: done. Errors come back as values.
    Result<bool> step();
    // step() until done (for INSERT/UPDATE/DELETE).
    Result<void> run();
    void reset();

    int64_t int64(int col) const;
    double real(int col) const;
    QString text(int col) const;
    QByteArray blob(int col) const;
    bool isNull(int col) const;

private:
    Database *m_db;
    sqlite3_stmt *m_stmt;
};

}  // namespace metaaug::store
