// SPDX-License-Identifier: GPL-3.0-or-later
#include "htmlreport.h"

#include "svgchart.h"

#include "store/sweepstore.h"
#include "sweep/sweepmatrix.h"

#include <QtCore/QDateTime>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>

#include <cmath>
#include <map>

namespace metaaug::report {

namespace {

constexpr int kStripsPerUnit = 1;  // the last image event of each unit
constexpr int kMaxStrips = 12;
// The scalar the loss chart and the unit table show, and its name in both.
constexpr char kRecKey[] = "rec";
constexpr char kRecLabel[] = "reconstruction loss";

QString esc(QString s)
{
    return s.replace(QLatin1Char('&'), QStringLiteral("&amp;")).replace(QLatin1Char('<'), QStringLiteral("&lt;")).replace(QLatin1Char('>'), QStringLiteral("&gt;"));
}

// The error-propagation table, ranked, and the diagnosis (docs/inspector.md).
QString propagationSection(const RunResult &r)
{
    if (r.propagation.empty())
        return {};
    auto num = [](const std::optional<double> &v, const QString &none) { return v ? QString::number(*v, 'f', 2) : none; };
    QString s = QStringLiteral("<h2>Error propagation</h2><p><small>On the first 64 calibration images, ranked by the noise each "
                               "layer injects over the signal (dB; 0 dB: as strong as the signal). The others are SQNR in dB: "
                               "local is the layer alone on FP input, weights and input q its two halves, input the error that "
                               "reaches it, output the error that leaves it (docs/inspector.md).</small></p>"
                               "<table><tr><th>layer</th><th>injected</th><th>input</th><th>output</th><th>drop</th><th>local</th>"
                               "<th>weights</th><th>input q</th><th>cosine</th></tr>");
    for (const analysis::LayerPropagation &l : analysis::rankedByInjected(r.propagation))
        s += QStringLiteral("<tr><td>%1</td><td class=\"num\">%2</td><td class=\"num\">%3</td><td class=\"num\">%4</td>"
                            "<td class=\"num\">%5</td><td class=\"num\">%6</td><td class=\"num\">%7</td><td class=\"num\">%8</td>"
                            "<td class=\"num\">%9</td></tr>")
                 .arg(esc(l.layer), num(l.injectedDb, QStringLiteral("-")), num(l.inputDb, QStringLiteral("exact")),
                      num(l.outputDb, QStringLiteral("exact")), num(l.dropDb, QStringLiteral("-")), num(l.localDb, QStringLiteral("exact")),
                      num(l.localWeightDb, QStringLiteral("exact")), num(l.localActivationDb, QStringLiteral("exact")))
                 .arg(l.outputCosine, 0, 'f', 4);
    s += QStringLiteral("</table><h2>Diagnosis</h2>");
    if (r.findings.empty())
        return s + QStringLiteral("<p>Nothing found.</p>");
    s += QStringLiteral("<table><tr><th>check</th><th>layer</th><th>finding</th><th>try</th></tr>");
    for (const analysis::Finding &f : r.findings)
        s += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                 .arg(esc(f.check), esc(f.layer), esc(f.detail), esc(f.experiment));
    return s + QStringLiteral("</table>");
}

QString jsonText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

QString page(const QString &title, const QString &body)
{
    return QStringLiteral(
               "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1</title>"
               "<meta name=\"generator\" content=\"MetaAug Workbench %3\">"
               "<style>"
               "body{font-family:sans-serif;max-width:60em;margin:1.5em auto;padding:0 1em;color:#222}"
               "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}"
               "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;font-size:.9em}"
               "td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}.best{font-weight:bold}"
               ".delta{font-size:.85em;color:#555}.delta.better{color:#060}.delta.worse{color:#a00}"
               ".headline td{font-size:1.05em}.mono{font-family:monospace;font-size:.85em;word-break:break-all}"
               "figure{margin:.8em 0;page-break-inside:avoid}figcaption{font-size:.85em;color:#555}"
               "img.strip{image-rendering:pixelated;max-width:100%%;border:1px solid #ccc}"
               "@media print{body{max-width:none;margin:0}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}}"
               "</style></head><body>\n%2\n<footer><p><small>Written by MetaAug Workbench %3 on %4.</small></p></footer></body></html>\n")
        .arg(esc(title), body, QStringLiteral(METAAUG_VERSION), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
}

QString keyValueTable(const QJsonObject &o)
{
    QString s = QStringLiteral("<table>");
    for (auto it = o.begin(); it != o.end(); ++it)
        s += QStringLiteral("<tr><th>%1</th><td class=\"mono\">%2</td></tr>").arg(esc(it.key()), esc(jsonText(it.value())));
    return s + QStringLiteral("</table>");
}

QString title(const store::RunRow &r)
{
    return QStringLiteral("Run %1: %2 W%3A%4 on %5").arg(r.id).arg(r.spec.value(QLatin1String("method")).toString())
        .arg(r.spec.value(QLatin1String("wbits")).toInt()).arg(r.spec.value(QLatin1String("abits")).toInt())
        .arg(QFileInfo(r.spec.value(QLatin1String("model")).toString()).fileName());
}

// Headline metrics of runs side by side (core's table: labels, units,
// precision). Later runs show their change against the first, judged by
// the metric's direction (ResultMetric::verdict) in words and colour.
QString metricsTable(const std::vector<store::RunRow> &rows, const std::vector<std::optional<RunResult>> &results)
{
    QString s = QStringLiteral("<table class=\"headline\"><tr><th>metric</th>");
    for (const store::RunRow &r : rows)
        s += QStringLiteral("<th>run %1</th>").arg(r.id);
    s += QStringLiteral("</tr>");
    for (const ResultMetric &m : resultMetrics()) {
        s += QStringLiteral("<tr><th>%1</th>").arg(esc(m.label));
        const std::optional<double> base = results.front() ? m.get(*results.front()) : std::nullopt;
        for (size_t i = 0; i < rows.size(); ++i) {
            s += QStringLiteral("<td class=\"num\" data-metric=\"%1\">%2").arg(m.key, esc(results[i] ? m.format(*results[i]) : QStringLiteral("–")));
            const std::optional<double> v = i > 0 && results[i] ? m.get(*results[i]) : std::nullopt;
            if (v && base && std::isfinite(*v) && std::isfinite(*base)) {
                const Verdict verdict = m.verdict(*v - *base);
                const QString name = verdictName(verdict);
                s += QStringLiteral("<br><span class=\"delta%1\" data-verdict=\"%2\">%3%4%5</span>")
                         .arg(name.isEmpty() ? QString() : QLatin1Char(' ') + name, name, m.formatDelta(*v - *base),
                              m.deltaUnit().isEmpty() ? QString() : QLatin1Char(' ') + m.deltaUnit(),
                              name.isEmpty() ? QString() : QLatin1Char(' ') + name);
            }
            s += QStringLiteral("</td>");
        }
        s += QStringLiteral("</tr>");
    }
    return s + QStringLiteral("</table>");
}

// The reconstruction loss "rec" (the unit's output MSE against FP, without
// AdaRound's rounding term): what the GUI plots and UnitResult's first and
// final losses average, so that chart and table show one quantity.
QString lossCurves(const std::vector<store::ScalarRow> &scalars, const RunResult &r)
{
    std::map<int, SvgSeries> byUnit;
    for (const store::ScalarRow &s : scalars)
        if (s.key == QLatin1String(kRecKey) && s.phase == QLatin1String("reconstruction"))
            byUnit[s.unit].points.emplace_back(s.step, s.value);
    if (byUnit.empty())
        return QStringLiteral("<p>No reconstruction loss recorded (the method fits no unit, or the run stopped before one).</p>");
    std::vector<SvgSeries> series;
    for (auto &[unit, s] : byUnit) {
        s.name = r.unitLabel(unit);
        series.push_back(s);
    }
    return QStringLiteral("<figure>%1<figcaption>The %2 (rec) of each unit over its iterations, log scale: the MSE of the unit's output "
                          "against FP, without the rounding term.</figcaption></figure>")
        .arg(svgLineChart(QStringLiteral("Reconstruction loss per unit"), series, QStringLiteral("iteration"), QLatin1String(kRecLabel), true),
             QLatin1String(kRecLabel));
}

QString sqnrBars(const std::vector<store::RunRow> &rows, const std::vector<std::optional<RunResult>> &results)
{
    QStringList labels;
    std::vector<SvgSeries> series;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (!results[i])
            continue;
        SvgSeries s{QStringLiteral("run %1").arg(rows[i].id), {}};
        for (const LayerResult &l : results[i]->layers) {
            qsizetype at = labels.indexOf(l.name);
            if (at < 0) {
                labels << l.name;
                at = labels.size() - 1;
            }
            if (l.outputSqnrDb)
                s.points.emplace_back(double(at), *l.outputSqnrDb);
        }
        series.push_back(s);
    }
    return QStringLiteral("<figure>%1<figcaption>Output SQNR of each layer against FP (dB; higher is closer to FP).</figcaption></figure>")
        .arg(svgBarChart(QStringLiteral("Per-layer output SQNR"), labels, series, QStringLiteral("dB"), 720, 340));
}

QString imageStrips(const std::vector<store::ImageRow> &images, const RunResult &r, const QJsonObject &spec)
{
    std::map<int, const store::ImageRow *> last;
    for (const store::ImageRow &i : images)
        last[i.unit] = &i;
    if (last.empty())
        return {};
    // The random-augment control has no T: its strips show the random copies.
    const bool random = spec.value(QLatin1String("method_options")).toObject().value(QLatin1String("augment")).toString() == QLatin1String("random");
    const QString made = random ? QStringLiteral("random copy") : QStringLiteral("T(x)");
    QString s = random ? QStringLiteral("<h2>MetaAug control (random augment): originals and their random copies</h2><p>For each unit, the "
                                        "strip recorded: calibration images (top) and the random shift/flip/noise copy of the same MSE "
                                        "budget that phase B trained on (bottom); this control has no T.</p>")
                       : QStringLiteral("<h2>MetaAug: originals and T(x)</h2><p>For T's warm-up and each unit, the last strip recorded: "
                                        "calibration images (top) and what the transformation network T made of them (bottom).</p>");
    int shown = 0;
    for (const auto &[unit, row] : last) {
        if (shown++ >= kMaxStrips * kStripsPerUnit)
            break;
        const QString name = r.unitLabel(unit);
        const QString where = unit == -1          ? QStringLiteral("%1, step %2").arg(name).arg(row->step)
                              : row->step == 0 ? QStringLiteral("%1: the copy phase B trains on").arg(name)
                                               : QStringLiteral("%1, meta iteration %2").arg(name).arg(row->step);
        s += QStringLiteral("<figure class=\"strip\" data-unit=\"%5\"><img class=\"strip\" alt=\"originals, %1\" src=\"data:image/png;base64,%2\"><br>"
                            "<img class=\"strip\" alt=\"%4, %1\" src=\"data:image/png;base64,%3\">"
                            "<figcaption>%6</figcaption></figure>")
                 .arg(esc(name), QString::fromLatin1(row->originalsPng.toBase64()), QString::fromLatin1(row->transformedPng.toBase64()), made,
                      QString::number(unit), esc(where));
    }
    return s;
}

Result<std::pair<std::vector<store::RunRow>, std::vector<std::optional<RunResult>>>> readRuns(store::RunStore &db, const std::vector<int64_t> &ids)
{
    std::vector<store::RunRow> rows;
    std::vector<std::optional<RunResult>> results;
    for (int64_t id : ids) {
        auto r = db.run(id);
        if (!r)
            return r.error();
        if (r->kind != QLatin1String(store::kQuantizeRun))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("run %1 is a %2 run; reports take quantization runs").arg(id).arg(r->kind));
        results.push_back(r->typedResult());
        rows.push_back(*r);
    }
    return std::make_pair(rows, results);
}

}  // namespace

Result<QString> runReport(store::RunStore &db, int64_t run)
{
    auto read = readRuns(db, {run});
    if (!read)
        return read.error();
    const store::RunRow &r = read->first.front();
    const std::optional<RunResult> &result = read->second.front();
    QString body = QStringLiteral("<h1>%1</h1><p>Status: <b>%2</b>%3. Created %4, finished %5.</p>")
                       .arg(esc(title(r)), QLatin1String(statusName(r.status)), r.error.isEmpty() ? QString() : QStringLiteral(" — ") + esc(r.error),
                            r.created, r.finished);
    body += QStringLiteral("<h2>Headline</h2>") + metricsTable(read->first, read->second);
    // What was recorded is shown whatever the run's end: a cancelled or failed
    // run keeps its loss curves and image strips; units are named by the
    // result when there is one.
    const RunResult named = result.value_or(RunResult{});
    auto scalars = db.scalars(run);
    if (!scalars)
        return scalars.error();
    body += QStringLiteral("<h2>Reconstruction</h2>") + lossCurves(*scalars, named);
    if (result) {
        body += QStringLiteral("<table><tr><th>unit</th><th>first %1</th><th>final %1</th><th>s</th></tr>").arg(QLatin1String(kRecLabel));
        for (const UnitResult &u : result->units)
            body += QStringLiteral("<tr><td>%1</td><td class=\"num\">%2</td><td class=\"num\">%3</td><td class=\"num\">%4</td></tr>")
                        .arg(esc(u.name)).arg(u.firstLoss, 0, 'g', 4).arg(u.finalLoss, 0, 'g', 4).arg(u.seconds, 0, 'f', 1);
        body += QStringLiteral("</table><p><small>First and final: the mean %1 of a unit's first and last 10 % of iterations.</small></p>")
                    .arg(QLatin1String(kRecLabel));
        body += QStringLiteral("<h2>Layers</h2>") + sqnrBars(read->first, read->second);
        body += QStringLiteral("<table><tr><th>layer</th><th>W/A bits</th><th>weight SQNR dB</th><th>output SQNR dB</th></tr>");
        auto db1 = [](const std::optional<double> &v) { return v ? QString::number(*v, 'f', 2) : QStringLiteral("exact"); };
        for (const LayerResult &l : result->layers)
            body += QStringLiteral("<tr><td>%1</td><td>%2/%3</td><td class=\"num\">%4</td><td class=\"num\">%5</td></tr>")
                        .arg(esc(l.name)).arg(l.wbits).arg(l.abits > 0 ? QString::number(l.abits) : QStringLiteral("FP"))
                        .arg(db1(l.weightSqnrDb), db1(l.outputSqnrDb));
        body += QStringLiteral("</table>") + propagationSection(*result);
    }
    auto images = db.images(run);
    if (!images)
        return images.error();
    body += imageStrips(*images, named, r.spec);
    body += QStringLiteral("<h2>Spec</h2>") + keyValueTable(r.spec);
    body += QStringLiteral("<h2>Identity</h2>") + keyValueTable(r.identity);
    return page(title(r), body);
}

Result<QString> compareReport(store::RunStore &db, const std::vector<int64_t> &runs)
{
    if (runs.size() < 2)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a comparison needs two or more runs"));
    auto read = readRuns(db, runs);
    if (!read)
        return read.error();
    QStringList names;
    for (const store::RunRow &r : read->first)
        names << QString::number(r.id);
    QString body = QStringLiteral("<h1>Comparison of runs %1</h1><ul>").arg(names.join(QStringLiteral(", ")));
    for (const store::RunRow &r : read->first)
        body += QStringLiteral("<li>%1 — %2</li>").arg(esc(title(r)), QLatin1String(statusName(r.status)));
    body += QStringLiteral("</ul><h2>Headline</h2><p>Under each later run's value: its change against run %1, and whether that is "
                           "better or worse by the metric's direction.</p>")
                .arg(read->first.front().id)
            + metricsTable(read->first, read->second);
    body += QStringLiteral("<h2>Layers</h2>") + sqnrBars(read->first, read->second);
    // The spec keys whose values differ.
    QSet<QString> keys;
    for (const store::RunRow &r : read->first)
        for (auto it = r.spec.begin(); it != r.spec.end(); ++it)
            keys.insert(it.key());
    QStringList sorted(keys.begin(), keys.end());
    sorted.sort();
    QString diff = QStringLiteral("<table><tr><th>spec key</th>");
    for (const store::RunRow &r : read->first)
        diff += QStringLiteral("<th>run %1</th>").arg(r.id);
    diff += QStringLiteral("</tr>");
    int differing = 0;
    for (const QString &k : sorted) {
        QStringList values;
        for (const store::RunRow &r : read->first)
            values << jsonText(r.spec.value(k));
        if (values.removeDuplicates(), values.size() < 2)
            continue;
        ++differing;
        diff += QStringLiteral("<tr><th>%1</th>").arg(esc(k));
        for (const store::RunRow &r : read->first)
            diff += QStringLiteral("<td class=\"mono\">%1</td>").arg(esc(jsonText(r.spec.value(k))));
        diff += QStringLiteral("</tr>");
    }
    body += QStringLiteral("<h2>What differs</h2>") + (differing ? diff + QStringLiteral("</table>") : QStringLiteral("<p>The specs are equal.</p>"));
    return page(QStringLiteral("Comparison of runs %1").arg(names.join(QStringLiteral(", "))), body);
}

Result<QString> sweepReport(store::RunStore &db, int64_t sweepId)
{
    store::SweepStore sweeps(db);
    auto row = sweeps.sweep(sweepId);
    if (!row)
        return row.error();
    auto points = sweeps.points(sweepId);
    if (!points)
        return points.error();
    const std::vector<sweep::MatrixRun> runs = sweep::matrixRunsOf(db, *points);
    QString body = QStringLiteral("<h1>Sweep %1: %2</h1><p>Executor %3, status <b>%4</b>, %5 points, created %6.</p>")
                       .arg(sweepId).arg(esc(row->name), row->executor, QLatin1String(statusName(row->status))).arg(points->size()).arg(row->created);
    for (const char *metric : {"q_top1", "gap", "wall_s"}) {
        auto m = sweep::buildMatrix(runs, {}, {}, QLatin1String(metric));
        if (!m)
            return m.error();
        const ResultMetric *rm = findResultMetric(QLatin1String(metric));
        body += QStringLiteral("<h2>%1</h2><table><tr><th>%2 \\ %3</th>").arg(esc(rm->label), esc(m->rowAxes.join(QStringLiteral(" / "))),
                                                                           esc(m->columnAxes.join(QStringLiteral(" / "))));
        for (const QString &c : m->columnLabels)
            body += QStringLiteral("<th>%1</th>").arg(esc(c));
        body += QStringLiteral("</tr>");
        for (size_t i = 0; i < m->cells.size(); ++i) {
            body += QStringLiteral("<tr><th>%1</th>").arg(esc(m->rowLabels[int(i)]));
            for (size_t j = 0; j < m->cells[i].size(); ++j)
                body += QStringLiteral("<td class=\"num%1\">%2</td>").arg(m->cells[i][j].best ? QStringLiteral(" best") : QString(), esc(m->cellText(i, j)));
            body += QStringLiteral("</tr>");
        }
        body += QStringLiteral("</table>");
        if (!m->pooled.isEmpty())
            body += QStringLiteral("<p>Pooled in each cell: %1.</p>").arg(esc(m->pooled.join(QStringLiteral(", "))));
    }
    body += QStringLiteral("<p>Mean ± standard deviation over the runs of a cell (the seeds); bold: the column's best.</p>");
    body += QStringLiteral("<h2>Points</h2><table><tr><th>#</th><th>coordinates</th><th>status</th><th>run</th><th>error</th></tr>");
    for (const store::SweepPointRow &p : *points)
        body += QStringLiteral("<tr><td>%1</td><td class=\"mono\">%2</td><td>%3</td><td>%4</td><td>%5</td></tr>")
                    .arg(p.index).arg(esc(jsonText(p.coords)), QLatin1String(statusName(p.status)))
                    .arg(p.run ? QString::number(p.run) : QString(), esc(p.error));
    body += QStringLiteral("</table><h2>Sweep file</h2>") + keyValueTable(row->file);
    return page(QStringLiteral("Sweep %1: %2").arg(sweepId).arg(row->name), body);
}

Result<void> writeReport(const QString &html, const QString &path)
{
    QSaveFile f(path);
    const QByteArray data = html.toUtf8();
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write the report %1: %2").arg(path, f.errorString()));
    return {};
}

}  // namespace metaaug::report
