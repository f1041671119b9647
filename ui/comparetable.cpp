// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparetable.h"

#include "run/specfields.h"
#include "store/runstore.h"

#include <QtCore/QFileInfo>
#include <QtWidgets/QTableWidget>

namespace metaaug::ui {

namespace {

enum class Source { Spec, Result, Option, Summary };

struct CompareRow {
    QString key, label;
    Source source;
    int precision;  // < 0: text
};

// A spec row labelled by core's field table.
CompareRow specRow(const char *key, int precision)
{
    const SpecField *f = findSpecField(QLatin1String(key));
    return {QLatin1String(key), f ? f->field.label.toLower() : QLatin1String(key), Source::Spec, precision};
}

// The fixed rows (spec fields, then every headline metric of core's
// resultMetrics()), then one row per method option any of the runs has.
std::vector<CompareRow> fields(const QVector<RunData> &runs)
{
    std::vector<CompareRow> f{{"status", "status", Source::Spec, -1}, specRow("model", -1), specRow("method", -1),
                         {"bits", "bits", Source::Spec, -1},     specRow("setting", -1), specRow("calib", -1),
                         specRow("calib_size", 0),               specRow("iters", 0),    specRow("batch", 0),
                         specRow("seed", -1)};
    for (const ResultMetric &m : resultMetrics())
        f.push_back({m.key, m.unit.isEmpty() ? m.label : QStringLiteral("%1 (%2)").arg(m.label, m.unit), Source::Result,
                     m.decimals < 0 ? 4 : m.decimals});
    // One row per method option any run has, then per key of the method's
    // summary (MetaAug: warm-up steps, final MSE(T(x), x), T's hash).
    for (const Source source : {Source::Option, Source::Summary}) {
        QStringList keys;
        for (const RunData &r : runs)
            keys << (source == Source::Option ? r.spec.value(QLatin1String("method_options")).toObject()
                                              : r.result ? r.result->methodSummary : QJsonObject{}).keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString &k : keys)
            f.push_back({k, source == Source::Option ? QStringLiteral("option %1").arg(k) : k, source, source == Source::Option ? 6 : 4});
    }
    return f;
}

QJsonValue fieldValue(const RunData &r, const CompareRow &f)
{
    switch (f.source) {
    case Source::Spec: return r.spec.value(f.key);
    case Source::Result: {
        const std::optional<double> v = r.result ? findResultMetric(f.key)->get(*r.result) : std::nullopt;
        return v ? QJsonValue(*v) : QJsonValue();
    }
    case Source::Option: return r.spec.value(QLatin1String("method_options")).toObject().value(f.key);
    case Source::Summary: return r.result ? r.result->methodSummary.value(f.key) : QJsonValue();
    }
    return {};
}

QString fieldText(const RunData &r, const CompareRow &f)
{
    if (f.key == QLatin1String("status"))
        return QLatin1String(statusName(r.status));
    if (f.key == QLatin1String("bits"))
        return bitsLabel(r.spec);
    const QJsonValue v = fieldValue(r, f);
    if (f.key == QLatin1String("model"))
        return QFileInfo(v.toString()).fileName();
    if (v.isUndefined() || v.isNull())
        return QStringLiteral("–");
    if (v.isDouble())
        return f.source == Source::Option || f.source == Source::Summary ? QString::number(v.toDouble(), 'g', f.precision)
                                          : QString::number(v.toDouble(), 'f', std::max(0, f.precision));
    return v.toVariant().toString();
}

bool numeric(const RunData &r, const CompareRow &f, double *out)
{
    const QJsonValue v = fieldValue(r, f);
    if (f.precision < 0 || !v.isDouble())
        return false;
    *out = v.toDouble();
    return true;
}

// A numeric delta cell. A headline metric's change is judged by the
// metric's direction (core's ResultMetric::verdict): "+0.40 worse" in red,
// "-40.5 better" in green, "0.00 same"; in words as well as colour. Other
// numbers (options, the method's summary) have no direction: the delta alone.
void setDelta(QTableWidgetItem *it, const CompareRow &f, double delta)
{
    const ResultMetric *m = f.source == Source::Result ? findResultMetric(f.key) : nullptr;
    if (!m) {
        const QString n = f.source == Source::Option || f.source == Source::Summary ? QString::number(delta, 'g', f.precision)
                                                                                    : QString::number(delta, 'f', std::max(0, f.precision));
        it->setText(delta > 0 ? QLatin1Char('+') + n : n);
        return;
    }
    const Verdict verdict = m->verdict(delta);
    const QString name = verdictName(verdict);
    it->setText(name.isEmpty() ? m->formatDelta(delta) : QStringLiteral("%1 %2").arg(m->formatDelta(delta), name));
    it->setData(Qt::UserRole, name);
    if (verdict == Verdict::Better || verdict == Verdict::Worse)
        it->setForeground(verdict == Verdict::Better ? QColor(0, 120, 0) : QColor(170, 0, 0));
    it->setToolTip(m->better == 0 ? QObject::tr("%1 has no better direction").arg(m->label)
                                  : QObject::tr("%1 is better %2").arg(m->label, m->better > 0 ? QObject::tr("higher") : QObject::tr("lower")));
}

QString csvQuote(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
        s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s;
}

}  // namespace

QString runLabel(const RunData &r)
{
    return QStringLiteral("#%1 %2 %3").arg(r.runId).arg(r.spec.value(QLatin1String("method")).toString(), bitsLabel(r.spec));
}

void fillCompareTable(QTableWidget *table, const QVector<RunData> &runs)
{
    // Columns: field | first run | each later run and its delta to the first
    QStringList headers{QObject::tr("Field")};
    for (int i = 0; i < runs.size(); ++i) {
        headers << QObject::tr("Run %1").arg(runLabel(runs[i]));
        if (i > 0)
            headers << QObject::tr("Δ #%1 − #%2").arg(runs[i].runId).arg(runs[0].runId);
    }
    table->clear();
    table->setColumnCount(int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    const std::vector<CompareRow> rows = fields(runs);
    table->setRowCount(int(rows.size()));
    int row = 0;
    for (const CompareRow &f : rows) {
        table->setItem(row, 0, new QTableWidgetItem(f.label));
        int col = 1;
        double first = 0;
        const bool firstNumeric = !runs.isEmpty() && numeric(runs[0], f, &first);
        for (int i = 0; i < runs.size(); ++i) {
            auto *cell = new QTableWidgetItem(fieldText(runs[i], f));
            cell->setToolTip(fieldValue(runs[i], f).toVariant().toString());
            table->setItem(row, col++, cell);
            if (i == 0)
                continue;
            double v = 0;
            auto *it = new QTableWidgetItem;
            if (firstNumeric && numeric(runs[i], f, &v))
                setDelta(it, f, v - first);
            else
                it->setText(fieldText(runs[i], f) == fieldText(runs[0], f) ? QStringLiteral("=") : QStringLiteral("≠"));
            table->setItem(row, col++, it);
        }
        ++row;
    }
}

QString tableCsv(const QTableWidget *table)
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < table->columnCount(); ++c)
        header << csvQuote(table->horizontalHeaderItem(c)->text());
    lines << header.join(QLatin1Char(','));
    for (int r = 0; r < table->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < table->columnCount(); ++c)
            cells << csvQuote(table->item(r, c) ? table->item(r, c)->text() : QString());
        lines << cells.join(QLatin1Char(','));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

}  // namespace metaaug::ui
