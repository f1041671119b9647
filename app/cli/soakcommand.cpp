// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug soak`: many short runs back to back in one process against one
// database, as a workbench session left open for a day would do them: mixed
// methods, some cancelled through the engine's cancel flag, some run by a
// child `metaaug quantize` that is SIGKILLed mid-run. Afterwards the database
// must pass integrity_check with every run in a final status, and this
// process must hold no more file descriptors, threads or child processes
// than after its first run; RSS after the first and the last run is printed.
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "methods/methodcatalog.h"
#include "jobs/runjob.h"
#include "run/runspec.h"
#include "store/runstore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QProcess>

#include <map>

namespace metaaug::cli {

namespace {

// Figures of this process from /proc/self.
struct ProcessFigures {
    qint64 rssKiB = 0, fds = 0, threads = 0, children = 0;
};

ProcessFigures processFigures()
{
    ProcessFigures f;
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                f.rssKiB = line.mid(6).trimmed().split(' ').front().toLongLong();
            else if (line.startsWith("Threads:"))
                f.threads = line.mid(8).trimmed().toLongLong();
        }
    f.fds = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size();
    const QByteArray self = QByteArray::number(QCoreApplication::applicationPid());
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!pid.front().isDigit() || !stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": comm may hold spaces, so read after ')'.
        const QByteArray text = stat.readAll();
        const QList<QByteArray> rest = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest[1] == self)
            ++f.children;
    }
    return f;
}

// Cancels through the engine's flag after `cancelAfter` progress events
// (never when negative), like the GUI's Cancel button.
class SoakSink : public RunSink {
public:
    explicit SoakSink(int cancelAfter) : m_cancelAfter(cancelAfter) {}
    void progress(const ProgressEvent &) override { ++m_events; }
    bool shouldAbort() override { return m_cancelAfter >= 0 && m_events >= m_cancelAfter; }

private:
    int m_cancelAfter;
    int m_events = 0;
};

enum class Fate { Normal, Cancelled, Killed };

// Every 10 runs: 8 run to the end, the 5th is cancelled, the 9th killed.
Fate fateOf(int run)
{
    return run % 10 == 4 ? Fate::Cancelled : run % 10 == 8 ? Fate::Killed : Fate::Normal;
}

QJsonObject specFor(const QString &model, const QString &method, int iters, int64_t seed)
{
    QJsonObject spec{{QStringLiteral("model"), model},          {QStringLiteral("method"), method},
                     {QStringLiteral("calib_size"), 64},        {QStringLiteral("eval_limit"), 200},
                     {QStringLiteral("iters"), method == QLatin1String("rtn") ? 0 : iters},
                     {QStringLiteral("seed"), qint64(seed)},    {QStringLiteral("probe_every"), 10}};
    if (method == QLatin1String("metaaug"))
        spec[QStringLiteral("method_options")] = QJsonObject{{QStringLiteral("meta_iters"), 3}};
    return spec;
}

// A child CLI run, SIGKILLed once it has recorded progress. Returns its pid;
// *killed is false when it ended before it could be killed.
qint64 killedRun(store::RunStore &db, const QString &model, const QString &method, int64_t seed, bool *killed,
                 QString *error)
{
    const auto before = db.listRuns();
    const int64_t last = before && !before->empty() ? before->back().id : 0;
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("quantize"), QStringLiteral("--db"), db.path(), QStringLiteral("--model"), model,
                 QStringLiteral("--method"), method, QStringLiteral("--calib-size"), QStringLiteral("64"),
                 QStringLiteral("--iters"), QStringLiteral("2000"), QStringLiteral("--seed"), QString::number(seed)});
    if (!child.waitForStarted()) {
        *error = child.errorString();
        return 0;
    }
    const qint64 pid = child.processId();
    QElapsedTimer t;
    t.start();
    *killed = true;
    while (t.elapsed() < 120000) {
        if (child.waitForFinished(100)) {
            *killed = false;  // ended by itself: nothing left to kill
            break;
        }
        const auto runs = db.listRuns();
        if (runs && !runs->empty() && runs->back().id > last) {
            const auto counts = db.rowCounts(runs->back().id);
            if (counts && counts->scalars > 0)
                break;
        }
    }
    child.kill();
    child.waitForFinished();
    return pid;
}

}  // namespace

int soakCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Soak test: RUNS short runs back to back in this process against one database (methods in turn: %1; every 10 "
        "runs the 5th is cancelled through the engine's flag and the 9th is a child `metaaug quantize` killed with "
        "SIGKILL mid-run). Prints this process's RSS, open file descriptors, threads and child processes after each "
        "run, then checks the database (integrity_check, every run in a final status). Exit 1 when a check fails.")
                                        .arg(methods::methodIds().join(QStringLiteral(", "))));
    p.addHelpOption();
    p.addOption({QStringLiteral("runs"), QStringLiteral("Number of runs (default 50)."), QStringLiteral("N"), QStringLiteral("50")});
    p.addOption({QStringLiteral("iters"), QStringLiteral("Iterations per unit of the learned methods (default 20)."),
                 QStringLiteral("R"), QStringLiteral("20")});
    p.addOption({QStringLiteral("db"), QStringLiteral("Run database (default: a new one in a temporary folder)."), QStringLiteral("FILE")});
    addModelOptions(p);
    addThreadsOption(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the summary as one JSON object.")});
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    QString error;
    qint64 runs = 0, iters = 0;
    if (!intOption(p, "runs", 1, 100000, &runs, &error) || !intOption(p, "iters", 1, 100000, &iters, &error))
        return fail(error, Usage);
    const QString model = modelPath(p);
    const QString dbPath = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db"))
                                                          : QDir::temp().filePath(QStringLiteral("metaaug-soak-%1.sqlite")
                                                                                      .arg(QCoreApplication::applicationPid()));
    const QStringList methodList = methods::methodIds();
    const bool json = p.isSet(QStringLiteral("json"));
    if (!json)
        printOut(QStringLiteral("soak: %1 runs on %2, database %3\n  run  method    fate       status        wall s   RSS MiB  fds  threads  children")
                     .arg(runs).arg(model, dbPath));

    std::vector<ProcessFigures> figures;
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < runs; ++i) {
        const QString method = methodList[i % methodList.size()];
        const Fate fate = fateOf(i);
        QElapsedTimer t;
        t.start();
        QString status;
        {
            // One connection per run, as the workbench's run worker opens it.
            auto db = store::RunStore::open(dbPath);
            if (!db)
                return fail(db.error().message);
            if (fate == Fate::Killed) {
                // RTN records no progress rows to wait for and ends in seconds: kill a learned method instead.
                const QString victim = method == QLatin1String("rtn") ? QStringLiteral("adaround") : method;
                bool killed = false;
                if (!killedRun(**db, model, victim, i, &killed, &error))
                    return fail(QStringLiteral("run %1: %2").arg(i + 1).arg(error));
                status = killed ? QStringLiteral("killed") : QStringLiteral("ended itself");
            } else {
                SoakSink sink(fate == Fate::Cancelled ? 5 : -1);
                const JobOutcome out = runJob(specFor(model, method, int(iters), i), db->get(), sink);
                status = QLatin1String(store::statusName(out.status));
                if (out.status == store::RunStatus::Failed)
                    return fail(QStringLiteral("run %1 (%2) failed: %3").arg(i + 1).arg(method, out.error->message));
            }
        }
        figures.push_back(processFigures());
        const ProcessFigures &f = figures.back();
        if (!json)
            printOut(QStringLiteral("  %1  %2 %3 %4 %5 %6 %7 %8 %9")
                         .arg(i + 1, 3).arg(method, -9)
                         .arg(fate == Fate::Normal ? QStringLiteral("normal") : fate == Fate::Cancelled ? QStringLiteral("cancel") : QStringLiteral("kill"), -10)
                         .arg(status, -12).arg(t.elapsed() / 1000.0, 7, 'f', 1).arg(f.rssKiB / 1024.0, 9, 'f', 1)
                         .arg(f.fds, 4).arg(f.threads, 8).arg(f.children, 9));
    }

    // The database as the next program sees it: killed runs marked interrupted.
    auto db = store::RunStore::open(dbPath);
    if (!db)
        return fail(db.error().message);
    const auto integrity = (*db)->integrityCheck();
    const auto rows = (*db)->listRuns();
    if (!integrity || !rows)
        return fail(!integrity ? integrity.error().message : rows.error().message);
    std::map<QString, int> statuses;
    int unfinished = 0;
    for (const store::RunRow &r : *rows) {
        ++statuses[QLatin1String(store::statusName(r.status))];
        if (r.status == store::RunStatus::Running || r.status == store::RunStatus::Queued || r.finished.isEmpty())
            ++unfinished;
    }
    // Leaks are judged against the state after one run of every method (the
    // first of each starts its library's pools), RSS is shown from run 1 too.
    const ProcessFigures &first = figures.front(), &last = figures.back();
    const ProcessFigures &ref = figures[std::min<size_t>(methodList.size(), figures.size()) - 1];
    QJsonObject statusJson;
    for (const auto &[name, count] : statuses)
        statusJson[name] = count;
    const bool ok = *integrity == QLatin1String("ok") && unfinished == 0 && int64_t(rows->size()) >= runs &&
                    last.fds <= ref.fds && last.children == 0 && last.threads <= ref.threads;
    const QJsonObject summary{{QStringLiteral("runs"), runs},
                              {QStringLiteral("database"), dbPath},
                              {QStringLiteral("integrity_check"), *integrity},
                              {QStringLiteral("statuses"), statusJson},
                              {QStringLiteral("runs_not_final"), unfinished},
                              {QStringLiteral("rss_mib_first"), first.rssKiB / 1024.0},
                              {QStringLiteral("rss_mib_last"), last.rssKiB / 1024.0},
                              {QStringLiteral("rss_mib_after_each_method"), ref.rssKiB / 1024.0},
                              {QStringLiteral("fds_first"), first.fds},
                              {QStringLiteral("fds_after_each_method"), ref.fds},
                              {QStringLiteral("fds_last"), last.fds},
                              {QStringLiteral("threads_first"), first.threads},
                              {QStringLiteral("threads_after_each_method"), ref.threads},
                              {QStringLiteral("threads_last"), last.threads},
                              {QStringLiteral("children_last"), last.children},
                              {QStringLiteral("wall_s"), total.elapsed() / 1000.0},
                              {QStringLiteral("ok"), ok}};
    if (json) {
        printJson(summary);
    } else {
        QStringList st;
        for (const auto &[name, count] : statuses)
            st << QStringLiteral("%1 %2").arg(count).arg(name);
        printOut(QStringLiteral("\nintegrity_check %1; %2 runs: %3; not final: %4\n"
                                "RSS run 1 %5 MiB, after one run of each method %15 MiB, run %6 %7 MiB; fds %8 -> %16 -> %9; "
                                "threads %10 -> %17 -> %11; child processes left %12\n%13 in %14 s")
                     .arg(*integrity).arg(rows->size()).arg(st.join(QStringLiteral(", "))).arg(unfinished)
                     .arg(first.rssKiB / 1024.0, 0, 'f', 1).arg(runs).arg(last.rssKiB / 1024.0, 0, 'f', 1)
                     .arg(first.fds).arg(last.fds).arg(first.threads).arg(last.threads).arg(last.children)
                     .arg(ok ? QStringLiteral("PASS") : QStringLiteral("FAIL")).arg(total.elapsed() / 1000.0, 0, 'f', 0)
                     .arg(ref.rssKiB / 1024.0, 0, 'f', 1).arg(ref.fds).arg(ref.threads));
    }
    return ok ? Ok : Failed;
}

}  // namespace metaaug::cli
