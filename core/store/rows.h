// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers of the store's tables (internal to store/): timestamps, JSON
// columns, and reading or inserting rows through prepared statements.
#pragma once

#include "sqlite.h"

#include <QtCore/QJsonObject>

#include <vector>

namespace metaaug::store {

// Now, ISO 8601 UTC with milliseconds.
QString now();
// A JSON object column, compact; and back (an empty object for bad text).
QString toText(const QJsonObject &o);
QJsonObject fromText(const QString &s);

// Every row of a prepared query (its parameters bound by `bind`), read by `read`.
template <typename Read, typename Bind>
auto collect(Database &db, const char *sql, Bind &&bind, Read &&read)
    -> Result<std::vector<decltype(read(std::declval<const Statement &>()))>>
{
    std::vector<decltype(read(std::declval<const Statement &>()))> rows;
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    bind(*st);
    for (;;) {
        auto r = st->step();
        if (!r)
            return r.error();
        if (!*r)
            return rows;
        rows.push_back(read(*st));
    }
}

// Inserts every row with one prepared statement; `bind` binds a row.
template <typename Row, typename Bind>
Result<void> insertAll(Database &db, const char *sql, const std::vector<Row> &rows, Bind &&bind)
{
    if (rows.empty())
        return {};
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    for (const Row &row : rows) {
        st->reset();
        bind(*st, row);
        if (auto r = st->run(); !r)
            return r;
    }
    return {};
}

}  // namespace metaaug::store
