// SPDX-License-Identifier: GPL-3.0-or-later
#include "slurmexecutor.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QSaveFile>

#include <set>

namespace metaaug::sweep {

namespace {

constexpr int kSlurmTimeoutMs = 30000;

QString quoted(const QString &s)
{
    return QStringLiteral("'%1'").arg(QString(s).replace(QLatin1Char('\''), QStringLiteral("'\\''")));
}

Result<void> writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

// A Slurm command's stdout; its stderr names the failure. `workingDir`:
// where it runs (sbatch's default output and the job's working folder).
Result<QString> slurm(const QString &program, const QStringList &args, const QString &workingDir = QString())
{
    QProcess p;
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(program, args);
    if (!p.waitForStarted(kSlurmTimeoutMs))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot run %1 (is Slurm installed and on PATH?): %2").arg(program, p.errorString()));
    if (!p.waitForFinished(kSlurmTimeoutMs)) {
        p.kill();
        return makeError(ErrorCode::OutOfResources, QStringLiteral("%1 did not answer within %2 s").arg(program).arg(kSlurmTimeoutMs / 1000));
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 %2 failed: %3")
                                                         .arg(program, args.join(QLatin1Char(' ')),
                                                              QString::fromUtf8(p.readAllStandardError()).trimmed()));
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QString bundlePath(const QString &folder, int index)
{
    return QStringLiteral("%1/bundles/point-%2.sqlite").arg(folder).arg(index);
}

}  // namespace

QString slurmScript(const QString &sweep, const QString &folder, const QStringList &indices, int threads, const SlurmOptions &options)
{
    QStringList lines{QStringLiteral("#!/bin/bash"),
                      QStringLiteral("# metaaug sweep %1: one `metaaug quantize` per array task; `metaaug sweep collect %1` imports the bundles.").arg(sweep),
                      QStringLiteral("#SBATCH --job-name=metaaug-sweep-%1").arg(sweep),
                      QStringLiteral("#SBATCH --array=%1%2").arg(indices.join(QLatin1Char(','))).arg(options.parallel > 0 ? QStringLiteral("%%1").arg(options.parallel) : QString()),
                      QStringLiteral("#SBATCH --cpus-per-task=%1").arg(threads),
                      QStringLiteral("#SBATCH --output=%1/logs/point-%a.out").arg(folder),
                      // The job runs in the sweep's folder, never where `metaaug sweep` was started (a checkout).
                      QStringLiteral("#SBATCH --chdir=%1").arg(folder)};
    for (const QString &o : options.slurmOptions)
        lines << QStringLiteral("#SBATCH %1").arg(o);
    lines << QStringLiteral("set -eu")
          << QStringLiteral("i=$SLURM_ARRAY_TASK_ID")
          << QStringLiteral("rm -f %1/bundles/point-$i.sqlite %1/bundles/point-$i.sqlite-wal %1/bundles/point-$i.sqlite-shm").arg(quoted(folder))
          << QStringLiteral("exec %1 quantize --spec %2/points/point-$i.json --db %2/bundles/point-$i.sqlite --quiet --json")
                 .arg(quoted(options.program), quoted(folder));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

Result<SlurmSubmission> submitSlurm(store::RunStore &db, int64_t sweep, const SlurmOptions &options)
{
    store::SweepStore sweeps(db);
    auto points = sweeps.points(sweep);
    if (!points)
        return points.error();
    SlurmSubmission out;
    out.folder = options.folder.isEmpty() ? QFileInfo(db.path()).absoluteDir().filePath(QStringLiteral("sweep-%1").arg(sweep))
                                          : QFileInfo(options.folder).absoluteFilePath();
    QStringList indices;
    int threads = 1;
    for (const store::SweepPointRow &p : *points) {
        const bool pending = p.status == RunStatus::Queued ||
                             (options.retryFailed && (p.status == RunStatus::Failed || p.status == RunStatus::Cancelled ||
                                                      p.status == RunStatus::Interrupted));
        if (!pending)
            continue;
        indices << QString::number(p.index);
        threads = std::max(threads, p.spec.value(QLatin1String("threads")).toInt(1));
    }
    if (indices.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("sweep %1 has no point to run%2").arg(sweep)
                                                         .arg(options.retryFailed ? QString() : QStringLiteral(" (--retry-failed reruns failed ones)")));
    out.tasks = int(indices.size());
    out.script = slurmScript(QString::number(sweep), out.folder, indices, threads, options);
    if (options.dryRun)
        return out;

    for (const char *sub : {"points", "logs", "bundles"})
        if (!QDir().mkpath(QStringLiteral("%1/%2").arg(out.folder, QLatin1String(sub))))
            return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot make the sweep folder %1/%2").arg(out.folder, QLatin1String(sub)));
    for (const store::SweepPointRow &p : *points)
        if (indices.contains(QString::number(p.index)))
            if (auto r = writeFile(QStringLiteral("%1/points/point-%2.json").arg(out.folder).arg(p.index), QJsonDocument(p.spec).toJson()); !r)
                return r.error();
    const QString scriptPath = out.folder + QStringLiteral("/sweep.sbatch");
    if (auto r = writeFile(scriptPath, out.script.toUtf8()); !r)
        return r.error();
    // --chdir and the working folder: whatever the job writes by default
    // (slurm-%A_%a.out) lands in the sweep's folder, not the caller's.
    auto job = slurm(QStringLiteral("sbatch"), {QStringLiteral("--parsable"), QStringLiteral("--chdir=") + out.folder, scriptPath}, out.folder);
    if (!job)
        return job.error();
    out.job = job->section(QLatin1Char(';'), 0, 0);
    if (auto r = sweeps.setJob(sweep, out.folder, out.job); !r)
        return r.error();
    for (const QString &i : indices)
        if (auto r = sweeps.setPoint(sweep, i.toInt(), RunStatus::Running, 0, {}, true); !r)
            return r.error();
    if (auto r = sweeps.setStatus(sweep, RunStatus::Running); !r)
        return r.error();
    return out;
}

Result<CollectOutcome> collectSlurm(store::RunStore &db, int64_t sweep)
{
    store::SweepStore sweeps(db);
    auto row = sweeps.sweep(sweep);
    if (!row)
        return row.error();
    if (row->executor != QLatin1String("slurm") || row->folder.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("sweep %1 ran %2, not on Slurm: there are no bundles to collect")
                                                         .arg(sweep).arg(row->executor));
    auto points = sweeps.points(sweep);
    if (!points)
        return points.error();
    // Tasks Slurm still lists (queued or running): not collected yet.
    std::set<int> live;
    if (!row->job.isEmpty()) {
        auto q = slurm(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-r"), QStringLiteral("-j"), row->job, QStringLiteral("-o"), QStringLiteral("%K")});
        if (!q)
            return q.error();
        for (const QString &t : q->split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            live.insert(t.trimmed().toInt());
    }
    CollectOutcome out;
    for (const store::SweepPointRow &p : *points) {
        if (p.run > 0) {
            ++out.already;
            continue;
        }
        if (p.status != RunStatus::Running)
            continue;  // not submitted, or already known failed
        if (live.count(p.index)) {
            ++out.pending;
            continue;
        }
        const QString bundle = bundlePath(row->folder, p.index);
        const QString log = QStringLiteral("%1/logs/point-%2.out").arg(row->folder).arg(p.index);
        std::optional<store::RunRow> run;
        if (QFileInfo::exists(bundle)) {
            auto b = store::RunStore::open(bundle);
            if (!b)
                return b.error();
            auto rows = (*b)->listRuns();
            if (!rows)
                return rows.error();
            if (!rows->empty())
                run = rows->front();
        }
        if (run && run->status == RunStatus::Succeeded) {
            auto id = db.importRun(bundle);
            if (!id)
                return id.error();
            if (auto r = sweeps.setPoint(sweep, p.index, RunStatus::Succeeded, *id, {}); !r)
                return r.error();
            ++out.imported;
        } else {
            const QString why = run ? QStringLiteral("the run %1: %2 (log %3)").arg(QLatin1String(statusName(run->status)), run->error, log)
                                    : QStringLiteral("the task ended without a run bundle (log %1)").arg(log);
            if (auto r = sweeps.setPoint(sweep, p.index, RunStatus::Failed, 0, why); !r)
                return r.error();
            ++out.failed;
        }
    }
    if (out.pending == 0) {
        auto again = sweeps.points(sweep);
        if (!again)
            return again.error();
        bool failed = false, cancelled = row->status == RunStatus::Cancelled;
        for (const store::SweepPointRow &p : *again)
            failed = failed || p.status == RunStatus::Failed;
        if (!cancelled)
            if (auto r = sweeps.setStatus(sweep, failed ? RunStatus::Failed : RunStatus::Succeeded); !r)
                return r.error();
    }
    return out;
}

Result<void> cancelSlurm(store::RunStore &db, int64_t sweep)
{
    store::SweepStore sweeps(db);
    auto row = sweeps.sweep(sweep);
    if (!row)
        return row.error();
    if (!row->job.isEmpty())
        if (auto r = slurm(QStringLiteral("scancel"), {row->job}); !r)
            return r.error();
    return sweeps.setStatus(sweep, RunStatus::Cancelled);
}

}  // namespace metaaug::sweep
