// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug sweep: a grid of runs from a sweep file (core/sweep), recorded in
// the run store; its status, cancel, the sweep matrix and the runs as records.
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "run/runplan.h"
#include "run/runspec.h"
#include "store/sweepstore.h"
#include "sweep/localexecutor.h"
#include "sweep/slurmexecutor.h"
#include "sweep/sweepfile.h"
#include "sweep/sweepmatrix.h"
#include "sweep/sweeprecords.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QJsonArray>

#include <set>

namespace metaaug::cli {

namespace {

using store::SweepPointRow;

QString coordsText(const QJsonObject &coords)
{
    QStringList parts;
    for (auto it = coords.begin(); it != coords.end(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key(), it.value().toVariant().toString());
    return parts.join(QStringLiteral(" "));
}

Result<int64_t> sweepId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a sweep id (a positive whole number)").arg(text));
    return int64_t(id);
}

// The planned peak of the sweep's heaviest model (one point per distinct model and calibration size).
int64_t plannedPointPeak(const std::vector<SweepPointRow> &points)
{
    int64_t peak = 0;
    std::set<QString> seen;
    for (const SweepPointRow &p : points) {
        const QString key = p.spec.value("model").toString() + QLatin1Char('|') + p.spec.value("method").toString() +
                            QLatin1Char('|') + QString::number(p.spec.value("calib_size").toInteger());
        if (!seen.insert(key).second)
            continue;
        auto spec = RunSpec::fromJson(p.spec);
        if (!spec)
            continue;
        if (auto b = plannedPeakBytes(*spec))
            peak = std::max(peak, *b);
    }
    return peak;
}

sweep::SlurmOptions slurmOptions(const QCommandLineParser &p)
{
    sweep::SlurmOptions o;
    o.program = QCoreApplication::applicationFilePath();
    o.folder = p.value(QStringLiteral("folder"));
    o.parallel = p.value(QStringLiteral("jobs")).toInt();
    o.slurmOptions = p.values(QStringLiteral("slurm-opt"));
    o.retryFailed = p.isSet(QStringLiteral("retry-failed"));
    return o;
}

int submit(store::RunStore &db, int64_t id, const QCommandLineParser &p)
{
    auto s = sweep::submitSlurm(db, id, slurmOptions(p));
    if (!s)
        return fail(s.error().message);
    printOut(QStringLiteral("sweep %1: %2 points submitted as Slurm array job %3 (script %4/sweep.sbatch); `metaaug sweep collect %1` "
                            "imports the finished points' bundles from %4/bundles")
                 .arg(id).arg(s->tasks).arg(s->job, s->folder));
    return Ok;
}

int collect(store::RunStore &db, int64_t id)
{
    auto c = sweep::collectSlurm(db, id);
    if (!c)
        return fail(c.error().message);
    printOut(QStringLiteral("sweep %1: %2 imported, %3 imported before, %4 failed, %5 still queued or running")
                 .arg(id).arg(c->imported).arg(c->already).arg(c->failed).arg(c->pending));
    return c->failed ? Failed : Ok;
}

int execute(store::RunStore &db, int64_t id, const QCommandLineParser &p)
{
    store::SweepStore sweeps(db);
    if (auto row = sweeps.sweep(id); row && row->executor == QLatin1String("slurm"))
        return submit(db, id, p);
    auto points = sweeps.points(id);
    if (!points)
        return fail(points.error().message);
    sweep::LocalOptions o;
    o.program = QCoreApplication::applicationFilePath();
    qint64 jobs = 0;
    QString error;
    if (p.isSet(QStringLiteral("jobs")) && !intOption(p, "jobs", 1, 1024, &jobs, &error))
        return fail(error, Usage);
    o.jobs = int(jobs);
    o.retryFailed = p.isSet(QStringLiteral("retry-failed"));
    if (o.jobs == 0)
        o.pointPeakBytes = plannedPointPeak(*points);
    const bool quiet = p.isSet(QStringLiteral("quiet"));
    int done = 0;
    o.changed = [&](const SweepPointRow &pt) {
        if (pt.status != RunStatus::Running)
            ++done;
        if (quiet)
            return;
        QString line = QStringLiteral("sweep %1: point %2 (%3) %4").arg(id).arg(pt.index).arg(coordsText(pt.coords), QLatin1String(statusName(pt.status)));
        if (pt.run)
            line += QStringLiteral(", run %1").arg(pt.run);
        if (!pt.error.isEmpty())
            line += QStringLiteral(": ") + pt.error;
        printErr(line);
    };
    auto out = sweep::runLocal(db, id, o);
    if (!out)
        return fail(out.error().message);
    printOut(QStringLiteral("sweep %1: %2 succeeded, %3 failed, %4 cancelled in %5 s (%6 workers x %7 threads)%8")
                 .arg(id).arg(out->succeeded).arg(out->failed).arg(out->cancelled).arg(out->seconds, 0, 'f', 1).arg(out->jobs)
                 .arg(out->threads)
                 .arg(out->failed ? QStringLiteral("; `metaaug sweep status %1` lists the failures, `metaaug sweep run %1 --retry-failed` reruns them").arg(id)
                                  : QString()));
    return out->failed ? Failed : out->cancelled ? Cancelled : Ok;
}

int status(store::RunStore &db, int64_t id, bool json)
{
    store::SweepStore sweeps(db);
    auto row = sweeps.sweep(id);
    if (!row)
        return fail(row.error().message);
    auto points = sweeps.points(id);
    if (!points)
        return fail(points.error().message);
    // A point marked running whose process is gone is told apart: it will never finish.
    const QString goneText = QStringLiteral("running, process gone");
    std::map<QString, int> counts;
    QJsonArray list;
    QStringList failures, gone;
    int live = 0;
    for (const SweepPointRow &pt : *points) {
        const bool isGone = store::pointProcessGone(pt);
        const QString state = isGone ? goneText : QLatin1String(statusName(pt.status));
        ++counts[state];
        live += pt.status == RunStatus::Running && !isGone;
        QJsonObject o{{"index", pt.index}, {"coords", pt.coords}, {"status", QLatin1String(statusName(pt.status))},
                      {"run", pt.run ? QJsonValue(qint64(pt.run)) : QJsonValue()}, {"error", pt.error}, {"attempts", pt.attempts}};
        if (pt.owner.pid > 0)
            o["process"] = QJsonObject{{"pid", qint64(pt.owner.pid)}, {"host", pt.owner.host}, {"gone", isGone}};
        list.append(o);
        if (pt.status == RunStatus::Failed || pt.status == RunStatus::Interrupted)
            failures << QStringLiteral("  point %1 (%2): %3").arg(pt.index).arg(coordsText(pt.coords), pt.error);
        if (isGone)
            gone << QStringLiteral("  point %1 (%2): process %3 on %4 ended without finishing it (killed or crashed)")
                        .arg(pt.index).arg(coordsText(pt.coords)).arg(pt.owner.pid).arg(pt.owner.host);
    }
    // The sweep itself is running only while a point's process lives (or points are queued behind one).
    const QString sweepState = row->status == RunStatus::Running && !gone.isEmpty() && live == 0 ? goneText
                                                                                                   : QLatin1String(statusName(row->status));
    if (json) {
        QJsonObject c;
        for (const auto &[k, v] : counts)
            c[k] = v;
        printJson(QJsonObject{{"id", qint64(id)}, {"name", row->name}, {"status", QLatin1String(statusName(row->status))},
                              {"process_gone", sweepState == goneText}, {"executor", row->executor}, {"counts", c}, {"points", list}});
        return Ok;
    }
    QStringList parts;
    for (const auto &[k, v] : counts)
        parts << QStringLiteral("%1 %2").arg(v).arg(k);
    QStringList lines{QStringLiteral("sweep %1 '%2' (%3, created %4): %5; %6 points: %7")
                          .arg(id).arg(row->name, row->executor, row->created.left(19), sweepState)
                          .arg(points->size()).arg(parts.join(QStringLiteral("; ")))};
    if (!failures.isEmpty())
        lines << QStringLiteral("failed:") << failures;
    if (!gone.isEmpty())
        lines << QStringLiteral("%1:").arg(goneText) << gone
              << QStringLiteral("`metaaug sweep run %1` reclaims them (runs them again with the queued points).").arg(id);
    printOut(lines.join(QLatin1Char('\n')));
    return Ok;
}

// A folder of run bundles or a file of records (.jsonl): readable without a database.
bool isRunsPath(const QString &source)
{
    return QFileInfo(source).isDir() || sweep::isRecordsFile(source);
}

// The runs behind a matrix: a sweep's points, the run bundles of a folder or a file of records.
Result<std::vector<sweep::MatrixRun>> matrixRuns(store::RunStore *db, const QString &source)
{
    if (isRunsPath(source))
        return sweep::matrixRunsOfPath(source);
    auto id = sweepId(source);
    if (!id)
        return id.error();
    if (!db)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no run database"));
    store::SweepStore sweeps(*db);
    auto points = sweeps.points(*id);
    if (!points)
        return points.error();
    if (points->empty())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1 has no sweep %2").arg(db->path()).arg(*id));
    return sweep::matrixRunsOf(*db, *points);
}

// One record per run (core/sweep/sweeprecords.h) of a sweep or a folder of bundles.
int exportRecords(store::RunStore *db, const QString &source, const QString &out)
{
    if (out.isEmpty())
        return fail(QStringLiteral("sweep export needs --out FILE.jsonl"), Usage);
    Result<std::vector<QJsonObject>> records = std::vector<QJsonObject>{};
    if (QFileInfo(source).isDir()) {
        records = sweep::recordsOfFolder(source);
    } else {
        auto id = sweepId(source);
        if (!id)
            return fail(id.error().message, Usage);
        records = sweep::recordsOfSweep(*db, *id);
    }
    if (!records)
        return fail(records.error().message);
    if (auto r = sweep::writeRecords(*records, out); !r)
        return fail(r.error().message);
    printOut(QStringLiteral("%1 records written to %2").arg(records->size()).arg(out));
    return Ok;
}

int show(store::RunStore *db, const QString &source, const QCommandLineParser &p)
{
    auto runs = matrixRuns(db, source);
    if (!runs)
        return fail(runs.error().message);
    auto split = [&p](const char *name) {
        return p.value(QLatin1String(name)).split(QLatin1Char(','), Qt::SkipEmptyParts);
    };
    auto kept = sweep::filterRuns(*runs, split("where"));
    if (!kept)
        return fail(kept.error().message, Usage);
    runs = std::move(kept);
    const QStringList metrics = split("metric");
    if (metrics.size() > 1 && p.isSet(QStringLiteral("cols")))
        return fail(QStringLiteral("--cols and several metrics: with --metric %1 the columns are the metrics").arg(p.value(QStringLiteral("metric"))), Usage);
    auto matrix = metrics.size() > 1 ? sweep::buildMetricMatrix(*runs, split("rows"), metrics)
                                     : sweep::buildMatrix(*runs, split("rows"), split("cols"), p.value(QStringLiteral("metric")));
    if (!matrix)
        return fail(matrix.error().message, Usage);
    if (p.isSet(QStringLiteral("json")))
        printJson(matrix->toJson());
    else if (p.isSet(QStringLiteral("csv")))
        printOut(matrix->csv().chopped(1));
    else if (p.isSet(QStringLiteral("markdown")))
        printOut(matrix->markdown().chopped(1));
    else
        printOut(matrix->text().chopped(1));
    return Ok;
}

}  // namespace

int sweepCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "A grid of runs from a sweep file (a base spec, axes over any spec field or method option, and arms), each point one "
        "`metaaug quantize` process, recorded in the run database.\n"
        "  FILE                 expand the sweep file, record the sweep and run its points (--dry-run: only list them)\n"
        "  run ID               run a sweep's queued points again (after an interruption); --retry-failed: also the failed\n"
        "  status ID            the points' states and the failures with their errors\n"
        "  cancel ID            stop a running sweep (its running points are cancelled) and its queue\n"
        "  collect ID           slurm: import the finished points' run bundles (idempotent)\n"
        "  list                 every sweep\n"
        "  show ID|FOLDER|F.jsonl  the sweep matrix (rows x columns, mean ± std over seeds, best per column *) of a sweep, a\n"
        "                       folder of run bundles or a file of records\n"
        "  export ID|FOLDER --out F.jsonl  the runs as records, one JSON line each (grid point, status, spec, result,\n"
        "                       hashes, per-unit and per-layer summaries; no scalar series or images): a study's results in git"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("what"), QStringLiteral("FILE, or run, status, cancel, collect, list, show, export"));
    p.addOption({QStringLiteral("executor"), QStringLiteral("Where the points run: local (processes on this machine, default) or slurm "
                                                            "(one job array; see the README)."),
                 QStringLiteral("NAME"), QStringLiteral("local")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Points at once (local default: what the cores and memory allow; slurm: the "
                                                        "array's %K, default as Slurm allows)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("slurm-opt"), QStringLiteral("slurm: an sbatch option for every task, e.g. --slurm-opt=--partition=gpu "
                                                             "(repeatable)."),
                 QStringLiteral("OPT")});
    p.addOption({QStringLiteral("folder"), QStringLiteral("slurm: the shared folder of specs, script, logs and bundles (default: "
                                                          "sweep-ID beside the database)."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("retry-failed"), QStringLiteral("With run: also rerun failed, interrupted and cancelled points.")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Expand and list the points; run and record nothing.")});
    p.addOption({QStringLiteral("quiet"), QStringLiteral("No line per point on stderr.")});
    p.addOption({QStringLiteral("rows"), QStringLiteral("show: row axes, comma-separated (default: the varying axes but seed and the last)."), QStringLiteral("AXES")});
    p.addOption({QStringLiteral("cols"), QStringLiteral("show: column axes (default: the last varying axis)."), QStringLiteral("AXES")});
    p.addOption({QStringLiteral("metric"), QStringLiteral("show: the metric (default q_top1; also gap, kl, wall_s, ...); several, comma-separated: one column each."), QStringLiteral("KEY"),
                 QStringLiteral("q_top1")});
    p.addOption({QStringLiteral("where"), QStringLiteral("show: only the runs with AXIS=VALUE (comma-separated; a model by path or file name)."),
                 QStringLiteral("AXIS=VALUE")});
    p.addOption({QStringLiteral("csv"), QStringLiteral("show: CSV.")});
    p.addOption({QStringLiteral("markdown"), QStringLiteral("show: a Markdown table.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON (status, show, --dry-run).")});
    p.addOption({QStringLiteral("out"), QStringLiteral("export: the records file to write (.jsonl)."), QStringLiteral("FILE")});
    addDbOption(p);
    if (auto exit = parseCommandLine(p, args, CommandShape::Actions))
        return *exit;
    QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        return fail(QStringLiteral("sweep needs a sweep file or an action (run, status, cancel, collect, list, show, export)"), Usage);
    const QString what = pos.takeFirst();
    const QString executor = p.value(QStringLiteral("executor"));
    if (executor != QLatin1String("local") && executor != QLatin1String("slurm"))
        return fail(QStringLiteral("--executor '%1': the executors are: local, slurm").arg(executor), Usage);
    const bool json = p.isSet(QStringLiteral("json"));

    if (what == QLatin1String("show") && pos.size() == 1 && isRunsPath(pos.first()))
        return show(nullptr, pos.first(), p);  // a folder of bundles or records needs no database
    if (what == QLatin1String("export") && pos.size() == 1 && QFileInfo(pos.first()).isDir())
        return exportRecords(nullptr, pos.first(), p.value(QStringLiteral("out")));
    const QStringList actions{"run", "status", "cancel", "collect", "list", "show", "export"};
    if (!actions.contains(what) && !QFileInfo(what).isFile())
        return fail(QStringLiteral("'%1' is neither a sweep file nor an action (%2)").arg(what, actions.join(QStringLiteral(", "))), Usage);

    if (!actions.contains(what)) {  // a sweep file
        auto file = sweep::SweepFile::load(what);
        if (!file)
            return fail(file.error().message, Usage);
        auto points = sweep::expandSweep(*file);
        if (!points)
            return fail(points.error().message, Usage);
        if (p.isSet(QStringLiteral("dry-run"))) {
            QJsonArray list;
            QStringList lines{QStringLiteral("sweep '%1': %2 points").arg(file->name).arg(points->size())};
            for (const auto &pt : *points) {
                list.append(QJsonObject{{"index", pt.index}, {"coords", pt.coords}, {"spec", pt.spec}});
                lines << QStringLiteral("  %1: %2").arg(pt.index).arg(coordsText(pt.coords));
            }
            if (executor == QLatin1String("slurm")) {
                QStringList indices;
                int threads = 1;
                for (const auto &pt : *points) {
                    indices << QString::number(pt.index);
                    threads = std::max(threads, pt.spec.value("threads").toInt(1));
                }
                const QString folder = p.isSet(QStringLiteral("folder")) ? p.value(QStringLiteral("folder"))
                                                                        : QStringLiteral("<database folder>/sweep-ID");
                lines << QString() << QStringLiteral("batch script:") << sweep::slurmScript(QStringLiteral("ID"), folder, indices, threads, slurmOptions(p));
            }
            if (json)
                printJson(QJsonObject{{"name", file->name}, {"points", list}});
            else
                printOut(lines.join(QLatin1Char('\n')));
            return Ok;
        }
        auto opened = store::RunStore::open(dbPath(p));
        if (!opened)
            return fail(opened.error().message + QStringLiteral(" (use --db PATH)"));
        std::vector<SweepPointRow> rows;
        for (const auto &pt : *points)
            rows.push_back({0, pt.index, pt.spec, pt.coords});
        auto id = store::SweepStore(**opened).createSweep(file->name, file->toJson(), executor, QString(), rows);
        if (!id)
            return fail(id.error().message);
        printErr(QStringLiteral("sweep %1 '%2': %3 points recorded in %4").arg(*id).arg(file->name).arg(rows.size()).arg((*opened)->path()));
        return execute(**opened, *id, p);
    }

    auto opened = store::RunStore::open(dbPath(p));
    if (!opened)
        return fail(opened.error().message);
    store::RunStore &db = **opened;
    if (what == QLatin1String("list")) {
        auto rows = store::SweepStore(db).listSweeps();
        if (!rows)
            return fail(rows.error().message);
        QStringList lines{QStringLiteral("%1  %2  %3 %4 %5").arg("id", 5).arg("created", -19).arg("name", -28).arg("executor", -8).arg("status")};
        for (const auto &r : *rows)
            lines << QStringLiteral("%1  %2  %3 %4 %5").arg(r.id, 5).arg(r.created.left(19), -19).arg(r.name.left(28), -28).arg(r.executor, -8)
                         .arg(QLatin1String(statusName(r.status)));
        if (rows->empty())
            lines << QStringLiteral("(no sweeps in %1)").arg(db.path());
        printOut(lines.join(QLatin1Char('\n')));
        return Ok;
    }
    if (pos.size() != 1)
        return fail(QStringLiteral("sweep %1 takes one sweep id").arg(what), Usage);
    if (what == QLatin1String("show"))
        return show(&db, pos.first(), p);
    if (what == QLatin1String("export"))
        return exportRecords(&db, pos.first(), p.value(QStringLiteral("out")));
    auto id = sweepId(pos.first());
    if (!id)
        return fail(id.error().message, Usage);
    if (what == QLatin1String("status"))
        return status(db, *id, json);
    if (what == QLatin1String("collect"))
        return collect(db, *id);
    if (what == QLatin1String("cancel")) {
        auto row = store::SweepStore(db).sweep(*id);
        if (!row)
            return fail(row.error().message);
        if (auto r = row->executor == QLatin1String("slurm") ? sweep::cancelSlurm(db, *id) : store::SweepStore(db).setStatus(*id, RunStatus::Cancelled); !r)
            return fail(r.error().message);
        printOut(QStringLiteral("sweep %1: cancel requested (its running points stop within a second)").arg(*id));
        return Ok;
    }
    return execute(db, *id, p);  // run
}

}  // namespace metaaug::cli
