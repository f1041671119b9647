// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepmatrix.h"

#include "store/runstore.h"
#include "store/sweepstore.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cmath>
#include <map>
#include <set>

namespace metaaug::sweep {

namespace {

const QString kSeed = QStringLiteral("seed");

QString valueText(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return QStringLiteral("-");
    if (v.isObject() || v.isArray())
        return QString::fromUtf8(QJsonDocument(v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray())).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

// A file path shown as its file name when that names it alone among the
// runs (model and data axes hold absolute paths after expansion).
using ShortNames = std::map<QString, QString>;

ShortNames shortNamesOf(const std::vector<MatrixRun> &runs, const QStringList &axes)
{
    std::map<QString, std::set<QString>> byName;  // file name -> the paths it stands for
    for (const MatrixRun &r : runs)
        for (const QString &a : axes)
            if (const QJsonValue v = r.coords.value(a); v.isString() && v.toString().contains(QLatin1Char('/')))
                byName[QFileInfo(v.toString()).fileName()].insert(v.toString());
    ShortNames out;
    for (const auto &[name, paths] : byName)
        if (paths.size() == 1 && !name.isEmpty())
            out[*paths.begin()] = name;
    return out;
}

QString label(const QJsonObject &coords, const QStringList &axes, const ShortNames &names)
{
    if (axes.isEmpty())
        return QStringLiteral("all");
    QStringList parts;
    for (const QString &a : axes) {
        const QString v = valueText(coords.value(a));
        const auto it = names.find(v);
        parts << (it == names.end() ? v : it->second);
    }
    return parts.join(QStringLiteral(" / "));
}

// Labels in first-seen order, numbers sorted numerically when all are numbers.
QStringList labelsOf(const std::vector<MatrixRun> &runs, const QStringList &axes, const ShortNames &names)
{
    QStringList out;
    for (const MatrixRun &r : runs)
        if (const QString l = label(r.coords, axes, names); !out.contains(l))
            out << l;
    bool numeric = true;
    for (const QString &l : out) {
        bool ok = false;
        l.toDouble(&ok);
        numeric = numeric && ok;
    }
    if (numeric)
        std::sort(out.begin(), out.end(), [](const QString &a, const QString &b) { return a.toDouble() < b.toDouble(); });
    return out;
}

Unfinished unfinishedOf(RunStatus s)
{
    switch (s) {
    case RunStatus::Queued: return Unfinished::Pending;
    case RunStatus::Running: return Unfinished::Running;
    case RunStatus::Cancelled: return Unfinished::Cancelled;
    case RunStatus::Interrupted: return Unfinished::Interrupted;
    default: return Unfinished::Failed;  // failed, or succeeded without a readable result
    }
}

QString cellTextOf(const MatrixCell &c, int decimals, bool markBest)
{
    QStringList states;  // "1 running", "2 pending", ...
    int kinds = 0;
    for (int k = 0; k < kUnfinishedKinds; ++k)
        if (c.unfinished[size_t(k)]) {
            states << QStringLiteral("%1 %2").arg(c.unfinished[size_t(k)]).arg(QLatin1String(unfinishedName(Unfinished(k))));
            ++kinds;
        }
    if (c.n == 0) {
        if (kinds == 1)  // every run of the cell in one state: that state
            return states.front().section(QLatin1Char(' '), 1);
        return kinds ? states.join(QStringLiteral(", ")) : c.without ? QStringLiteral("–") : QString();
    }
    QString t = QString::number(c.mean, 'f', decimals);
    if (c.n > 1)
        t += QStringLiteral(" ± %1").arg(c.std, 0, 'f', decimals);
    t += QStringLiteral(" (n=%1)").arg(c.n);
    for (const QString &s : states)
        t += QStringLiteral(" +") + s;
    return markBest && c.best ? t + QStringLiteral(" *") : t;
}

int decimalsOf(const QString &metric)
{
    const ResultMetric *m = findResultMetric(metric);
    return m && m->decimals >= 0 ? m->decimals : 4;
}

}  // namespace

const char *unfinishedName(Unfinished u)
{
    static const char *const names[kUnfinishedKinds] = {"running", "pending", "interrupted", "cancelled", "failed"};
    return names[int(u)];
}

QJsonObject coordsOfSpec(const QJsonObject &spec)
{
    QJsonObject out;
    for (auto it = spec.begin(); it != spec.end(); ++it) {
        if (it.key() == QLatin1String("method_options")) {
            const QJsonObject o = it.value().toObject();
            for (auto k = o.begin(); k != o.end(); ++k)
                out[QStringLiteral("method_options.") + k.key()] = k.value();
        } else if (it.key() != QLatin1String("engine_version") && it.key() != QLatin1String("allocation")) {
            out[it.key()] = it.value();
        }
    }
    return out;
}

std::vector<MatrixRun> matrixRunsOf(store::RunStore &db, const std::vector<store::SweepPointRow> &points)
{
    std::vector<MatrixRun> runs;
    for (const store::SweepPointRow &p : points) {
        MatrixRun m{p.coords, std::nullopt, p.run, store::pointProcessGone(p) ? RunStatus::Interrupted : p.status};
        if (p.run && p.status == RunStatus::Succeeded)
            if (auto r = db.run(p.run))
                m.result = r->typedResult();
        runs.push_back(m);
    }
    return runs;
}

Result<std::vector<MatrixRun>> filterRuns(const std::vector<MatrixRun> &runs, const QStringList &where)
{
    std::vector<MatrixRun> out = runs;
    for (const QString &w : where) {
        const qsizetype eq = w.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not axis=value").arg(w));
        const QString axis = w.left(eq), value = w.mid(eq + 1);
        std::vector<MatrixRun> kept;
        for (const MatrixRun &r : out)
            if (const QString v = valueText(r.coords.value(axis)); v == value || QFileInfo(v).fileName() == value)
                kept.push_back(r);
        if (kept.empty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("no run has %1 = %2").arg(axis, value));
        out = std::move(kept);
    }
    return out;
}

QStringList varyingAxes(const std::vector<MatrixRun> &runs)
{
    std::set<QString> keys;
    for (const MatrixRun &r : runs)
        for (auto it = r.coords.begin(); it != r.coords.end(); ++it)
            keys.insert(it.key());
    QStringList out;
    for (const QString &k : keys) {
        std::set<QString> values;
        for (const MatrixRun &r : runs)
            values.insert(valueText(r.coords.value(k)));
        if (values.size() > 1)
            out << k;
    }
    return out;
}

Result<SweepMatrix> buildMatrix(const std::vector<MatrixRun> &runs, QStringList rows, QStringList columns, const QString &metric)
{
    const ResultMetric *m = findResultMetric(metric);
    if (!m) {
        QStringList known;
        for (const ResultMetric &k : resultMetrics())
            known << k.key;
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown metric '%1' (known: %2)").arg(metric, known.join(QStringLiteral(", "))));
    }
    const QStringList varying = varyingAxes(runs);
    if (rows.isEmpty() && columns.isEmpty()) {
        QStringList axes = varying;
        axes.removeAll(kSeed);
        if (!axes.isEmpty())
            columns << axes.takeLast();
        rows = axes;
    }
    for (const QString &a : rows + columns) {
        bool known = false;
        for (const MatrixRun &r : runs)
            known = known || r.coords.contains(a);
        if (!known && !runs.empty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("no run has the axis '%1' (axes that vary: %2)")
                                                             .arg(a, varying.join(QStringLiteral(", "))));
    }
    SweepMatrix x;
    x.rowAxes = rows;
    x.columnAxes = columns;
    x.metric = metric;
    for (const QString &a : varying)
        if (a != kSeed && !rows.contains(a) && !columns.contains(a))
            x.pooled << a;
    const ShortNames names = shortNamesOf(runs, rows + columns);
    x.rowLabels = labelsOf(runs, rows, names);
    x.columnLabels = labelsOf(runs, columns, names);
    x.cells.assign(size_t(x.rowLabels.size()), std::vector<MatrixCell>(size_t(x.columnLabels.size())));
    std::map<std::pair<int, int>, std::vector<double>> values;
    for (const MatrixRun &r : runs) {
        const int i = int(x.rowLabels.indexOf(label(r.coords, rows, names))), j = int(x.columnLabels.indexOf(label(r.coords, columns, names)));
        MatrixCell &c = x.cells[size_t(i)][size_t(j)];
        const std::optional<double> v = r.result ? m->get(*r.result) : std::nullopt;
        if (v) {
            values[{i, j}].push_back(*v);
            c.runIds.push_back(r.runId);
        } else if (r.result) {
            ++c.without;
        } else {
            ++c.missing;
            ++c.unfinished[size_t(unfinishedOf(r.status))];
        }
    }
    for (auto &[ij, v] : values) {
        MatrixCell &c = x.cells[size_t(ij.first)][size_t(ij.second)];
        c.n = int(v.size());
        for (double d : v)
            c.mean += d / c.n;
        double ss = 0;
        for (double d : v)
            ss += (d - c.mean) * (d - c.mean);
        c.std = c.n > 1 ? std::sqrt(ss / (c.n - 1)) : 0;
    }
    if (m->better != 0)
        for (size_t j = 0; j < size_t(x.columnLabels.size()); ++j) {
            MatrixCell *best = nullptr;
            for (auto &row : x.cells)
                if (row[j].n > 0 && (!best || (row[j].mean - best->mean) * m->better > 0))
                    best = &row[j];
            if (best && x.rowLabels.size() > 1)
                best->best = true;
        }
    return x;
}

Result<SweepMatrix> buildMetricMatrix(const std::vector<MatrixRun> &runs, QStringList rows, const QStringList &metrics)
{
    if (rows.isEmpty()) {
        rows = varyingAxes(runs);
        rows.removeAll(kSeed);
    }
    SweepMatrix x;
    for (const QString &metric : metrics) {
        auto one = buildMatrix(runs, rows, {}, metric);
        if (!one)
            return one.error();
        if (x.columnMetrics.isEmpty()) {
            x = *one;
            x.cells.assign(size_t(x.rowLabels.size()), {});
            x.columnAxes = QStringList{QStringLiteral("metric")};
            x.columnLabels.clear();
            x.metric = metrics.join(QLatin1Char(','));
        }
        x.columnMetrics << metric;
        x.columnLabels << metric;
        for (size_t i = 0; i < x.cells.size(); ++i)
            x.cells[i].push_back(one->cells[i].front());
    }
    return x;
}

QString SweepMatrix::cellText(size_t i, size_t j, bool markBest) const
{
    return cellTextOf(cells[i][j], decimalsOf(metricOf(qsizetype(j))), markBest);
}

QString SweepMatrix::text() const
{
    QStringList header{rowAxes.join(QStringLiteral(" / ")) + QStringLiteral(" \\ ") + columnAxes.join(QStringLiteral(" / "))};
    header += columnLabels;
    std::vector<QStringList> table{header};
    for (size_t i = 0; i < cells.size(); ++i) {
        QStringList row{rowLabels[int(i)]};
        for (size_t j = 0; j < cells[i].size(); ++j)
            row << cellText(i, j, true);
        table.push_back(row);
    }
    std::vector<int> width(size_t(header.size()), 0);
    for (const QStringList &row : table)
        for (int k = 0; k < row.size(); ++k)
            width[size_t(k)] = std::max(width[size_t(k)], int(row[k].size()));
    QStringList lines;
    for (const QStringList &row : table) {
        QStringList padded;
        for (int k = 0; k < row.size(); ++k)
            padded << (k == 0 ? row[k].leftJustified(width[size_t(k)]) : row[k].rightJustified(width[size_t(k)]));
        lines << padded.join(QStringLiteral("  "));
    }
    QStringList named;
    for (const QString &key : columnMetrics.isEmpty() ? QStringList{metric} : columnMetrics) {
        const ResultMetric *m = findResultMetric(key);
        named << QStringLiteral("%1 (%2)").arg(key, m ? m->label : QString());
    }
    lines << QStringLiteral("%1: mean ± std over the runs of a cell (seeds); * marks each column's best.").arg(named.join(QStringLiteral(", ")));
    if (!pooled.isEmpty())
        lines << QStringLiteral("Pooled in each cell (they vary but are not rows or columns): %1.").arg(pooled.join(QStringLiteral(", ")));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString SweepMatrix::markdown() const
{
    QStringList lines;
    lines << QStringLiteral("| %1 | %2 |").arg(rowAxes.join(QStringLiteral(" / ")) + QStringLiteral(" \\ ") + columnAxes.join(QStringLiteral(" / ")),
                                                 columnLabels.join(QStringLiteral(" | ")));
    lines << QStringLiteral("| --- |") + QStringLiteral(" --- |").repeated(int(columnLabels.size()));
    for (size_t i = 0; i < cells.size(); ++i) {
        QStringList row;
        for (size_t j = 0; j < cells[i].size(); ++j) {
            const QString t = cellText(i, j);
            row << (cells[i][j].best ? QStringLiteral("**%1**").arg(t) : t);
        }
        lines << QStringLiteral("| %1 | %2 |").arg(rowLabels[int(i)], row.join(QStringLiteral(" | ")));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString SweepMatrix::csv() const
{
    auto quote = [](QString s) { return s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) ? QStringLiteral("\"%1\"").arg(s.replace(QLatin1Char('"'), QStringLiteral("\"\""))) : s; };
    QStringList lines{QStringLiteral("row,column,mean,std,n,missing,best")};
    for (size_t i = 0; i < cells.size(); ++i)
        for (size_t j = 0; j < cells[i].size(); ++j) {
            const MatrixCell &c = cells[i][j];
            lines << QStringLiteral("%1,%2,%3,%4,%5,%6,%7").arg(quote(rowLabels[int(i)]), quote(columnLabels[int(j)]))
                         .arg(c.n ? QString::number(c.mean, 'g', 10) : QString()).arg(c.n ? QString::number(c.std, 'g', 10) : QString())
                         .arg(c.n).arg(c.missing).arg(c.best ? 1 : 0);
        }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

namespace {
// The cell's runs without a result by state: {"running": 1, "pending": 1}.
QJsonObject unfinishedJson(const MatrixCell &c)
{
    QJsonObject o;
    for (int k = 0; k < kUnfinishedKinds; ++k)
        if (c.unfinished[size_t(k)])
            o[QLatin1String(unfinishedName(Unfinished(k)))] = c.unfinished[size_t(k)];
    return o;
}
}  // namespace

QJsonObject SweepMatrix::toJson() const
{
    QJsonArray rows;
    for (size_t i = 0; i < cells.size(); ++i) {
        QJsonArray row;
        for (const MatrixCell &c : cells[i]) {
            QJsonArray ids;
            for (int64_t id : c.runIds)
                ids.append(qint64(id));
            row.append(QJsonObject{{QStringLiteral("mean"), c.n ? QJsonValue(c.mean) : QJsonValue()},
                                   {QStringLiteral("std"), c.n ? QJsonValue(c.std) : QJsonValue()},
                                   {QStringLiteral("n"), c.n},
                                   {QStringLiteral("missing"), c.missing},
                                   {QStringLiteral("unfinished"), unfinishedJson(c)},
                                   {QStringLiteral("best"), c.best},
                                   {QStringLiteral("runs"), ids}});
        }
        rows.append(row);
    }
    return QJsonObject{{QStringLiteral("metric"), metric},
                       {QStringLiteral("row_axes"), QJsonArray::fromStringList(rowAxes)},
                       {QStringLiteral("column_axes"), QJsonArray::fromStringList(columnAxes)},
                       {QStringLiteral("column_metrics"), QJsonArray::fromStringList(columnMetrics)},
                       {QStringLiteral("rows"), QJsonArray::fromStringList(rowLabels)},
                       {QStringLiteral("columns"), QJsonArray::fromStringList(columnLabels)},
                       {QStringLiteral("pooled"), QJsonArray::fromStringList(pooled)},
                       {QStringLiteral("cells"), rows}};
}

}  // namespace metaaug::sweep
