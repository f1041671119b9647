// SPDX-License-Identifier: GPL-3.0-or-later
#include "localexecutor.h"

#include "common/runtime.h"
#include "recon/unitcache.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>

#include <algorithm>
#include <memory>

namespace metaaug::sweep {

namespace {

constexpr int kPollMs = 100;
constexpr int kCancelledExit = 3;  // the CLI's exit code of a cancelled run (app/cli/commands.h)

struct Running {
    store::SweepPointRow point;
    std::unique_ptr<QProcess> process;
};

bool pending(const store::SweepPointRow &p, bool retryFailed)
{
    // A point left running by a process that is gone never ends by itself.
    return p.status == RunStatus::Queued || store::pointProcessGone(p) ||
           (retryFailed && (p.status == RunStatus::Failed || p.status == RunStatus::Interrupted || p.status == RunStatus::Cancelled));
}

// What the point's process said when it failed: its last stderr line.
QString failure(QProcess &p)
{
    const QStringList lines = QString::fromUtf8(p.readAllStandardError()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (p.exitStatus() == QProcess::CrashExit)
        return QStringLiteral("the point's process crashed (signal %1)%2")
            .arg(p.exitCode()).arg(lines.isEmpty() ? QString() : QStringLiteral(": ") + lines.last());
    return lines.isEmpty() ? QStringLiteral("exit code %1").arg(p.exitCode()) : lines.last();
}

// The largest thread count a sweep file names for its points (in its base,
// an axis or an arm); 0 where it names none and the executor chooses.
int threadsNamedBy(const QJsonObject &file)
{
    const QLatin1String key("threads");
    int named = file.value(QLatin1String("base")).toObject().value(key).toInt(0);
    for (const QJsonValue &v : file.value(QLatin1String("axes")).toObject().value(key).toArray())
        named = std::max(named, v.toInt(0));
    for (const QJsonValue &arm : file.value(QLatin1String("arms")).toArray())
        named = std::max(named, arm.toObject().value(key).toInt(0));
    return named;
}

}  // namespace

int defaultJobs(int points, int cores, int64_t availableBytes, int64_t pointPeakBytes)
{
    int jobs = std::max(1, std::min(points, cores));
    if (availableBytes > 0 && pointPeakBytes > 0) {
        const int64_t fit = int64_t(0.8 * double(availableBytes)) / (pointPeakBytes + kProcessBaselineBytes);
        jobs = std::min<int64_t>(jobs, std::max<int64_t>(1, fit));
    }
    return jobs;
}

Result<LocalOutcome> runLocal(store::RunStore &db, int64_t sweep, const LocalOptions &options)
{
    store::SweepStore sweeps(db);
    auto all = sweeps.points(sweep);
    if (!all)
        return all.error();
    std::vector<store::SweepPointRow> queue;
    for (const auto &p : *all)
        if (pending(p, options.retryFailed))
            queue.push_back(p);
    LocalOutcome out;
    const int cores = physicalCores();
    // Threads the sweep file sets are part of its points' specs (results can
    // depend on them) and are kept; then only as many points run at once as
    // leave each its threads.
    auto row = sweeps.sweep(sweep);
    if (!row)
        return row.error();
    const int named = options.threads > 0 ? 0 : threadsNamedBy(row->file);
    out.jobs = options.jobs > 0 ? options.jobs
                                : defaultJobs(int(queue.size()), named > 0 ? std::max(1, cores / named) : cores,
                                              recon::availableMemoryBytes(), options.pointPeakBytes);
    out.threads = options.threads > 0 ? options.threads : named > 0 ? named : std::max(1, cores / std::max(1, out.jobs));
    QTemporaryDir specs;
    if (!specs.isValid())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot make a temporary folder for the points' specs: %1").arg(specs.errorString()));
    const int abortPoint = qEnvironmentVariableIsSet("METAAUG_TEST_ABORT_POINT") ? qEnvironmentVariableIntValue("METAAUG_TEST_ABORT_POINT") : -1;
    if (auto r = sweeps.setStatus(sweep, RunStatus::Running); !r)
        return r.error();

    QElapsedTimer timer;
    timer.start();
    std::vector<Running> running;
    size_t next = 0;
    bool cancelled = false;
    auto report = [&](const store::SweepPointRow &p) {
        if (options.changed)
            options.changed(p);
    };
    while ((!cancelled && next < queue.size()) || !running.empty()) {
        // Cancelled from elsewhere (`sweep cancel`): stop starting, stop the running.
        if (!cancelled) {
            auto row = sweeps.sweep(sweep);
            if (row && row->status == RunStatus::Cancelled) {
                cancelled = true;
                for (Running &r : running)
                    r.process->terminate();
            }
        }
        while (!cancelled && next < queue.size() && int(running.size()) < out.jobs) {
            store::SweepPointRow p = queue[next++];
            QJsonObject spec = p.spec;
            if (named == 0)
                spec[QStringLiteral("threads")] = out.threads;
            const QString file = specs.filePath(QStringLiteral("point-%1.json").arg(p.index));
            QFile f(file);
            if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(spec).toJson()) < 0)
                return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write %1: %2").arg(file, f.errorString()));
            f.close();
            auto process = std::make_unique<QProcess>();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("METAAUG_TEST_ABORT_POINT"));
            if (p.index == abortPoint)
                env.insert(QStringLiteral("METAAUG_TEST_ABORT"), QStringLiteral("1"));
            process->setProcessEnvironment(env);
            process->start(options.program, {QStringLiteral("quantize"), QStringLiteral("--spec"), file, QStringLiteral("--db"), db.path(),
                                             QStringLiteral("--quiet"), QStringLiteral("--json")});
            p.status = RunStatus::Running;
            p.error.clear();
            // The point's process, so that `sweep status` tells a killed one from a live one.
            p.owner = process->waitForStarted() ? store::processOnThisHost(process->processId()) : store::ProcessIdentity{};
            if (auto r = sweeps.setPoint(sweep, p.index, RunStatus::Running, 0, {}, true, p.owner); !r)
                return r.error();
            report(p);
            running.push_back({p, std::move(process)});
        }
        for (auto it = running.begin(); it != running.end();) {
            QProcess &proc = *it->process;
            if (proc.state() != QProcess::NotRunning && !proc.waitForFinished(kPollMs / int(running.size()) + 1)) {
                ++it;
                continue;
            }
            store::SweepPointRow &p = it->point;
            if (proc.error() == QProcess::FailedToStart) {
                p.status = RunStatus::Failed;
                p.error = QStringLiteral("cannot start %1: %2").arg(options.program, proc.errorString());
            } else if (proc.exitStatus() == QProcess::NormalExit && proc.exitCode() == 0) {
                const QJsonObject result = QJsonDocument::fromJson(proc.readAllStandardOutput()).object();
                p.status = RunStatus::Succeeded;
                p.run = result.value(QLatin1String("run_id")).toInteger();
            } else if (proc.exitStatus() == QProcess::NormalExit && proc.exitCode() == kCancelledExit) {
                p.status = RunStatus::Cancelled;
                p.error = failure(proc);
            } else {
                p.status = RunStatus::Failed;
                p.error = failure(proc);
            }
            ++(p.status == RunStatus::Succeeded ? out.succeeded : p.status == RunStatus::Cancelled ? out.cancelled : out.failed);
            if (auto r = sweeps.setPoint(sweep, p.index, p.status, p.run, p.error); !r)
                return r.error();
            report(p);
            it = running.erase(it);
        }
    }
    for (size_t i = next; i < queue.size(); ++i) {  // never started: cancelled
        if (auto r = sweeps.setPoint(sweep, queue[i].index, RunStatus::Cancelled, 0, QStringLiteral("the sweep was cancelled")); !r)
            return r.error();
        ++out.cancelled;
    }
    out.seconds = timer.elapsed() / 1000.0;
    const RunStatus status = cancelled ? RunStatus::Cancelled : out.failed ? RunStatus::Failed : RunStatus::Succeeded;
    if (auto r = sweeps.setStatus(sweep, status); !r)
        return r.error();
    return out;
}

}  // namespace metaaug::sweep
