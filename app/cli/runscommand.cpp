// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug runs list|show|compare|delete|export|export-t|import: the run database.
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "common/hashing.h"
#include "store/runstore.h"

#include <QtCore/QSaveFile>
#include <QtCore/QCommandLineParser>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>

namespace metaaug::cli {

namespace {

using store::RunRow;

QString num(const QJsonValue &v, int digits = 2)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'f', digits) : QStringLiteral("-");
}

// A headline metric (core's resultMetrics()) of a stored run's result, read
// once per row by the caller (RunRow::typedResult() parses the whole result).
std::optional<double> metricOf(const std::optional<RunResult> &result, const QString &key)
{
    return result ? findResultMetric(key)->get(*result) : std::nullopt;
}

QJsonValue metricJson(const std::optional<RunResult> &result, const QString &key)
{
    const std::optional<double> v = metricOf(result, key);
    return v ? QJsonValue(*v) : QJsonValue();
}


bool isQuantization(const RunRow &r)
{
    return r.kind == QLatin1String(store::kQuantizeRun);
}

// The method column: a run of another kind shows its kind.
QString methodOf(const RunRow &r)
{
    return isQuantization(r) ? r.spec.value("method").toString() : r.kind;
}

QString bits(const RunRow &r)
{
    if (!isQuantization(r))
        return QStringLiteral("-");
    return QStringLiteral("W%1A%2").arg(r.spec.value("wbits").toInt()).arg(r.spec.value("abits").toInt());
}

QJsonObject summaryJson(const RunRow &r)
{
    const std::optional<RunResult> result = r.typedResult();
    return QJsonObject{{"id", qint64(r.id)},
                       {"kind", r.kind},
                       {"created", r.created},
                       {"finished", r.finished},
                       {"status", QLatin1String(store::statusName(r.status))},
                       {"model", r.spec.value("model")},
                       {"method", r.spec.value("method")},
                       {"wbits", r.spec.value("wbits")},
                       {"abits", r.spec.value("abits")},
                       {"seed", r.spec.value("seed")},
                       {"q_top1", metricJson(result, QStringLiteral("q_top1"))},
                       {"gap", metricJson(result, QStringLiteral("gap"))},
                       {"error", r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error)}};
}

QJsonObject fullJson(store::RunStore &db, const RunRow &r, QString *error)
{
    QJsonObject o = summaryJson(r);
    o["started"] = r.started;
    o["spec"] = r.spec;
    o["identity"] = r.identity;
    o["result"] = r.result;
    o["owner"] = QJsonObject{{"pid", qint64(r.pid)}, {"host", r.host}};
    auto counts = db.rowCounts(r.id);
    if (!counts) {
        *error = counts.error().message;
        return o;
    }
    o["scalar_rows"] = qint64(counts->scalars);
    o["image_events"] = qint64(counts->images);
    return o;
}

Result<std::vector<int64_t>> parseIds(const QStringList &args)
{
    std::vector<int64_t> ids;
    for (const QString &a : args) {
        bool ok = false;
        const qint64 id = a.toLongLong(&ok);
        if (!ok || id <= 0)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a run id (a positive whole number)").arg(a));
        ids.push_back(id);
    }
    return ids;
}

int listRuns(store::RunStore &db, bool json)
{
    auto rows = db.listRuns();
    if (!rows)
        return fail(rows.error().message);
    if (json) {
        QJsonArray a;
        for (const RunRow &r : *rows)
            a.append(summaryJson(r));
        printJson(QJsonObject{{"database", db.path()}, {"runs", a}});
        return Ok;
    }
    QStringList lines{QStringLiteral("%1  %2  %3 %4 %5 %6 %7 %8")
                          .arg("id", 5).arg("created", -19).arg("model", -22).arg("method", -11).arg("bits", -5)
                          .arg("status", -11).arg("q_top1", 7).arg("gap", 6)};
    for (const RunRow &r : *rows) {
        const std::optional<RunResult> result = r.typedResult();
        lines << QStringLiteral("%1  %2  %3 %4 %5 %6 %7 %8")
                     .arg(r.id, 5).arg(r.created.left(19), -19)
                     .arg(QFileInfo(r.spec.value("model").toString()).fileName().left(22), -22)
                     .arg(methodOf(r).left(11), -11).arg(bits(r), -5)
                     .arg(QLatin1String(store::statusName(r.status)), -11)
                     .arg(num(metricJson(result, QStringLiteral("q_top1"))), 7).arg(num(metricJson(result, QStringLiteral("gap"))), 6);
    }
    if (rows->empty())
        lines << QStringLiteral("(no runs in %1)").arg(db.path());
    printOut(lines.join('\n'));
    return Ok;
}

int showRun(store::RunStore &db, int64_t id, bool json)
{
    auto r = db.run(id);
    if (!r)
        return fail(r.error().message);
    QString error;
    QJsonObject o = fullJson(db, *r, &error);
    if (!error.isEmpty())
        return fail(error);
    auto artefacts = db.artefacts(id);
    if (!artefacts)
        return fail(artefacts.error().message);
    QJsonArray files;
    for (const store::ArtefactRow &a : *artefacts)
        files.append(artefactJson(a));
    o[QStringLiteral("artefacts")] = files;
    if (json) {
        printJson(o);
        return Ok;
    }
    QStringList lines;
    if (isQuantization(*r))
        lines << QStringLiteral("run %1: %2 %3 on %4, %5").arg(id).arg(r->spec.value("method").toString(), bits(*r),
                                                                 r->spec.value("model").toString(), QLatin1String(store::statusName(r->status)));
    else
        lines << QStringLiteral("run %1: %2 analysis of %3, %4").arg(id).arg(r->kind, r->spec.value("model").toString(),
                                                                         QLatin1String(store::statusName(r->status)));
    lines << QStringLiteral("created %1, started %2, finished %3").arg(r->created, r->started, r->finished);
    if (!r->error.isEmpty())
        lines << QStringLiteral("error: %1").arg(r->error);
    const QJsonObject analysis = r->spec.value("analysis").toObject();
    lines << QStringLiteral("seed %1, calibration %2 x%3 (hash %4), model sha256 %5")
                 .arg(r->spec.value("seed").toVariant().toString(), r->spec.value("calib").toString())
                 .arg(isQuantization(*r) ? r->spec.value("calib_size").toInt()
                                         : analysis.value("images").toInt() + analysis.value("fit_images").toInt())
                 .arg(r->identity.value("calib_hash").toString().left(16), r->identity.value("model_sha256").toString().left(16));
    for (const store::ArtefactRow &a : *artefacts)
        lines << QStringLiteral("artefact %1: %2 (%3 bytes, sha256 %4)").arg(a.kind, a.path).arg(a.size).arg(a.sha256.left(16));
    if (const std::optional<RunResult> m = r->typedResult()) {
        QStringList metrics;
        for (const ResultMetric &k : resultMetrics())
            metrics << QStringLiteral("%1 %2").arg(k.label, k.format(*m));
        lines << metrics.join(QStringLiteral(", "));
        lines << QString() << QStringLiteral("%1 %2 %3 %4").arg("unit", -16).arg("first loss", 12).arg("final loss", 12).arg("s", 8);
        for (const UnitResult &u : m->units)
            lines << QStringLiteral("%1 %2 %3 %4").arg(u.name, -16).arg(u.firstLoss, 12, 'f', 5).arg(u.finalLoss, 12, 'f', 5).arg(u.seconds, 8, 'f', 1);
        lines << QString() << QStringLiteral("%1 %2 %3 %4").arg("layer", -24).arg("W/A", 6).arg("weight SQNR", 12).arg("out SQNR", 10);
        auto db = [](const std::optional<double> &v) { return v ? QString::number(*v, 'f', 2) : QStringLiteral("exact"); };
        for (const LayerResult &l : m->layers)
            lines << QStringLiteral("%1 %2 %3 %4").arg(l.name, -24).arg(QStringLiteral("%1/%2").arg(l.wbits).arg(l.abits), 6)
                         .arg(db(l.weightSqnrDb), 12).arg(db(l.outputSqnrDb), 10);
    }
    if (!isQuantization(*r) && r->status == store::RunStatus::Succeeded)
        lines << QStringLiteral("%1 sensitivity records (%2 images measured, grids fitted on %3), %4 points on the Pareto front, %5 s "
                                "(the records: runs show %6 --json)")
                     .arg(r->result.value("records").toArray().size()).arg(analysis.value("images").toInt())
                     .arg(analysis.value("fit_images").toInt()).arg(r->result.value("front").toArray().size())
                     .arg(r->result.value("wall_s").toDouble(), 0, 'f', 1).arg(id);
    lines << QString() << QStringLiteral("%1 scalar rows, %2 image events recorded").arg(o["scalar_rows"].toInteger()).arg(o["image_events"].toInteger());
    printOut(lines.join('\n'));
    return Ok;
}

// "4/8": a layer's weight and input bits as a run used them ("4/FP": the image).
QString layerBitsText(const LayerResult &l)
{
    return QStringLiteral("%1/%2").arg(l.wbits).arg(l.abits > 0 ? QString::number(l.abits) : QStringLiteral("FP"));
}

int compareRuns(store::RunStore &db, const std::vector<int64_t> &ids, bool json)
{
    std::vector<RunRow> rows;
    for (int64_t id : ids) {
        auto r = db.run(id);
        if (!r)
            return fail(r.error().message);
        if (!isQuantization(*r))
            return fail(QStringLiteral("run %1 is a %2 run; compare takes quantization runs").arg(id).arg(r->kind));
        rows.push_back(*r);
    }
    std::vector<std::optional<RunResult>> results;  // parsed once per run
    for (const RunRow &r : rows)
        results.push_back(r.typedResult());
    QStringList keys;  // every headline metric of core's table
    for (const ResultMetric &m : resultMetrics())
        keys << m.key;
    if (json) {
        QJsonArray runs;
        for (size_t i = 0; i < rows.size(); ++i) {
            const RunRow &r = rows[i];
            QJsonObject o = summaryJson(r);
            QJsonObject deltas, verdicts;
            for (const QString &k : keys) {
                const std::optional<double> v = metricOf(results[i], k), base = metricOf(results.front(), k);
                o[k] = v ? QJsonValue(*v) : QJsonValue();
                deltas[k] = v && base ? QJsonValue(*v - *base) : QJsonValue();
                // "better", "worse", "same"; null without both values or for a metric with no direction.
                const QString verdict = v && base ? verdictName(findResultMetric(k)->verdict(*v - *base)) : QString();
                verdicts[k] = verdict.isEmpty() ? QJsonValue() : QJsonValue(verdict);
            }
            o["delta_vs_first"] = deltas;
            o["verdict_vs_first"] = verdicts;
            o["spec"] = r.spec;
            QJsonObject layerBits;  // "W/A" per layer, as the run used them
            if (results[i])
                for (const LayerResult &l : results[i]->layers)
                    layerBits[l.name] = layerBitsText(l);
            o["layer_bits"] = layerBits;
            runs.append(o);
        }
        printJson(QJsonObject{{"runs", runs}});
        return Ok;
    }
    auto row = [&](const QString &label, auto cell) {
        QString line = QStringLiteral("%1").arg(label, -14);
        for (size_t i = 0; i < rows.size(); ++i)
            line += QStringLiteral(" %1").arg(cell(rows[i], i), 24);  // "93.10 (+0.40 worse)"
        return line;
    };
    QStringList lines;
    lines << row(QStringLiteral("run"), [](const RunRow &r, size_t) { return QString::number(r.id); });
    lines << row(QStringLiteral("method"), [](const RunRow &r, size_t) { return r.spec.value("method").toString(); });
    lines << row(QStringLiteral("bits"), [](const RunRow &r, size_t) { return bits(r); });
    lines << row(QStringLiteral("seed"), [](const RunRow &r, size_t) { return r.spec.value("seed").toVariant().toString(); });
    lines << row(QStringLiteral("calib size"), [](const RunRow &r, size_t) { return QString::number(r.spec.value("calib_size").toInt()); });
    lines << row(QStringLiteral("iterations"), [](const RunRow &r, size_t) { return QString::number(r.spec.value("iters").toInt()); });
    lines << row(QStringLiteral("status"), [](const RunRow &r, size_t) { return QString::fromLatin1(store::statusName(r.status)); });
    for (const QString &k : keys)
        lines << row(k, [&](const RunRow &, size_t i) {
            const ResultMetric *m = findResultMetric(k);
            const std::optional<double> v = metricOf(results[i], k), base = metricOf(results.front(), k);
            const int digits = m->decimals < 0 ? 4 : m->decimals;
            QString s = v ? QString::number(*v, 'f', digits) : QStringLiteral("-");
            if (i > 0 && v && base) {
                // "(+0.40 worse)": judged by the metric's direction, not by the sign.
                const QString verdict = verdictName(m->verdict(*v - *base));
                s += QStringLiteral(" (%1%2)").arg(m->formatDelta(*v - *base), verdict.isEmpty() ? QString() : QLatin1Char(' ') + verdict);
            }
            return s;
        });
    // Bits per layer side by side, when a layer's differ between the runs.
    QStringList layerNames;
    std::vector<std::map<QString, QString>> used(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        if (results[i])
            for (const LayerResult &l : results[i]->layers) {
                if (!used[i].count(l.name) && !layerNames.contains(l.name))
                    layerNames << l.name;
                used[i][l.name] = layerBitsText(l);
            }
    QStringList differing;
    for (const QString &name : layerNames)
        for (size_t i = 1; i < rows.size(); ++i)
            if (used[i][name] != used[0][name]) {
                differing << name;
                break;
            }
    if (!differing.isEmpty()) {
        lines << QString() << QStringLiteral("bits per layer (W/A), where they differ:");
        for (const QString &name : differing)
            lines << row(name, [&](const RunRow &, size_t i) { return used[i].count(name) ? used[i][name] : QStringLiteral("-"); });
    }
    printOut(lines.join('\n'));
    return Ok;
}

// A MetaAug run's T, written whole or not at all (QSaveFile renames into place).
int exportTransform(store::RunStore &db, int64_t id, const QString &out)
{
    auto data = db.blob(id, QStringLiteral("transform"));
    if (!data)
        return fail(data.error().message);
    QSaveFile f(out);
    if (!f.open(QIODevice::WriteOnly) || f.write(*data) != data->size() || !f.commit())
        return fail(QStringLiteral("could not write %1: %2").arg(out, f.errorString()));
    printOut(QStringLiteral("wrote run %1's T to %2 (%3 bytes, sha256 %4)").arg(id).arg(out).arg(data->size()).arg(sha256Hex(*data)));
    return Ok;
}

}  // namespace

int runsCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The run database.\n"
        "  list                       all runs (id, time, model, method, bits, status, q_top1, gap)\n"
        "  show ID                    one run: spec, identity, metrics, per-unit and per-layer tables\n"
        "  compare ID ID...           runs side by side, with deltas against the first\n"
        "  delete ID                  remove a run and everything recorded with it\n"
        "  export ID --out FILE       one run as a single-file bundle\n"
        "  export-t ID --out FILE     a MetaAug run's final T (for --t-init file:FILE)\n"
        "  import FILE                add the run of a bundle (a new id)"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, show, compare, delete, export, export-t or import"));
    p.addOption({QStringLiteral("out"), QStringLiteral("Bundle file to write (export)."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    addDbOption(p);
    if (auto exit = parseCommandLine(p, args, CommandShape::Actions))
        return *exit;
    QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        return fail(QStringLiteral("runs needs an action: list, show, compare, delete, export, export-t or import"), Usage);
    const QString action = pos.takeFirst();
    const bool json = p.isSet(QStringLiteral("json"));
    const QStringList known{"list", "show", "compare", "delete", "export", "export-t", "import"};
    if (!known.contains(action))
        return fail(QStringLiteral("unknown runs action '%1' (one of %2)").arg(action, known.join(", ")), Usage);

    auto opened = store::RunStore::open(dbPath(p));
    if (!opened)
        return fail(opened.error().message);
    store::RunStore &db = **opened;

    if (action == QLatin1String("list"))
        return pos.isEmpty() ? listRuns(db, json) : fail(QStringLiteral("runs list takes no arguments"), Usage);
    if (action == QLatin1String("import")) {
        if (pos.size() != 1)
            return fail(QStringLiteral("runs import takes one bundle file"), Usage);
        auto id = db.importRun(pos.first());
        if (!id)
            return fail(id.error().message);
        if (json)
            printJson(QJsonObject{{"run_id", qint64(*id)}});
        else
            printOut(QStringLiteral("imported %1 as run %2").arg(pos.first()).arg(*id));
        return Ok;
    }
    auto ids = parseIds(pos);
    if (!ids)
        return fail(ids.error().message, Usage);
    if (action == QLatin1String("compare")) {
        if (ids->size() < 2)
            return fail(QStringLiteral("runs compare needs at least two run ids"), Usage);
        return compareRuns(db, *ids, json);
    }
    if (ids->size() != 1)
        return fail(QStringLiteral("runs %1 takes one run id").arg(action), Usage);
    const int64_t id = ids->front();
    if (action == QLatin1String("show"))
        return showRun(db, id, json);
    if (action == QLatin1String("delete")) {
        if (auto r = db.deleteRun(id); !r)
            return fail(r.error().message);
        printOut(QStringLiteral("deleted run %1").arg(id));
        return Ok;
    }
    if (!p.isSet(QStringLiteral("out")))
        return fail(QStringLiteral("runs %1 needs --out FILE").arg(action), Usage);
    if (action == QLatin1String("export-t"))
        return exportTransform(db, id, p.value(QStringLiteral("out")));
    // export
    if (auto r = db.exportRun(id, p.value(QStringLiteral("out"))); !r)
        return fail(r.error().message);
    printOut(QStringLiteral("exported run %1 to %2").arg(id).arg(p.value(QStringLiteral("out"))));
    return Ok;
}

}  // namespace metaaug::cli
