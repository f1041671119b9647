// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelloader.h"

#include "graphwire.h"
#include "loaderlimits.h"

#include "common/paths.h"
#include "plugin/importer.h"
#include "plugin/pluginregistry.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryFile>

#include <sys/prctl.h>
#include <sys/resource.h>

#include <atomic>
#include <optional>
#include <csignal>
#include <cstring>

namespace metaaug::sandbox {

namespace {

constexpr int kStartTimeoutMs = 10000;
constexpr rlim_t kMaxDiagnosticsBytes = 1 << 20;  // the helper's stderr file (RLIMIT_FSIZE)

// Runs in the forked child before exec: async-signal-safe calls only.
void applyLimits(const LoaderLimits &l)
{
    auto set = [](int resource, rlim_t soft, rlim_t hard) {
        const struct rlimit r{soft, hard};
        ::setrlimit(resource, &r);
    };
    set(RLIMIT_CORE, 0, 0);
    if (l.addressSpaceBytes > 0)
        set(RLIMIT_AS, rlim_t(l.addressSpaceBytes), rlim_t(l.addressSpaceBytes));
    // SIGXCPU at the soft limit, SIGKILL a second later.
    set(RLIMIT_CPU, rlim_t(l.cpuSeconds), rlim_t(l.cpuSeconds + 1));
    set(RLIMIT_FSIZE, kMaxDiagnosticsBytes, kMaxDiagnosticsBytes);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
}

QString signalText(int sig)
{
    const char *abbrev = ::sigabbrev_np(sig);
    return abbrev ? QStringLiteral("signal %1, SIG%2").arg(sig).arg(QLatin1String(abbrev)) : QStringLiteral("signal %1").arg(sig);
}

// The last line the helper wrote to stderr (e.g. glibc's "free(): invalid
// pointer"), to say more about a crash.
QString lastDiagnostic(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    f.seek(std::max<qint64>(0, f.size() - 4096));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.isEmpty() ? QString() : lines.last().trimmed().left(200);
}

// The helper's stdout, read as it arrives, until the deadline.
class ProcessSource final : public WireSource {
public:
    ProcessSource(QProcess &process, const QDeadlineTimer &deadline) : m_process(process), m_deadline(deadline) {}

    bool read(void *dst, size_t size) override
    {
        char *out = static_cast<char *>(dst);
        while (size > 0) {
            if (m_process.bytesAvailable() == 0) {
                if (m_deadline.hasExpired()) {
                    m_timedOut = true;
                    return false;
                }
                const int slice = int(std::min<qint64>(m_deadline.remainingTime(), 1000));
                if (!m_process.waitForReadyRead(slice)) {
                    // After end of output waitForReadyRead returns at once, without
                    // noticing the exit: wait for that (reading whatever comes).
                    if (m_process.state() != QProcess::NotRunning)
                        m_process.waitForFinished(slice);
                    if (m_process.state() == QProcess::NotRunning && m_process.bytesAvailable() == 0)
                        return false;
                    continue;
                }
            }
            const qint64 n = m_process.read(out, qint64(std::min<size_t>(size, size_t(1) << 30)));
            if (n < 0)
                return false;
            out += n;
            size -= size_t(n);
        }
        return true;
    }
    QString failure() const override
    {
        return m_timedOut ? QStringLiteral("the loader took too long") : QStringLiteral("the reply ended early");
    }
    bool timedOut() const { return m_timedOut; }

private:
    QProcess &m_process;
    QDeadlineTimer m_deadline;
    bool m_timedOut = false;
};

template <typename T>
using ReplyReader = Result<T> (*)(WireSource &, const WireLimits &);

std::atomic<LoadIsolation> g_isolation{LoadIsolation::Helper};

}  // namespace

// One request to the helper: started in the constructor (so that the caller
// can do its own work meanwhile), its reply collected by finish(); every way
// it can fail becomes an error naming the file.
class LoaderRun {
public:
    LoaderRun(const QString &path, const QStringList &arguments, const QByteArray &input)
        : m_path(path), m_limits(loaderLimits(QFileInfo(path).size()))
    {
        const QString program = loaderProgram();
        if (!QFileInfo(program).isExecutable()) {
            m_startError = makeError(ErrorCode::NotFound, QStringLiteral("the model loader %1 is missing; it is installed with the "
                                                                         "programs (or set METAAUG_LOADER to its path)").arg(program));
            return;
        }
        m_haveDiagnostics = m_diagnostics.open();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // One thread: the filter allows no new ones (docs/sandbox.md).
        for (const char *v : {"OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"})
            env.insert(QLatin1String(v), QStringLiteral("1"));
        // The helper loads the same importer plugins as this program, when a
        // plugin reads this file.
        const auto &registry = exporting::PluginRegistry::instance();
        const bool builtin = registry.importerFor(path) == registry.importers().front();
        env.insert(QStringLiteral("METAAUG_PLUGIN_DIR"), builtin ? QString() : registry.directories().join(QLatin1Char(':')));
        m_process.setProcessEnvironment(env);
        m_process.setStandardErrorFile(m_haveDiagnostics ? m_diagnostics.fileName() : QProcess::nullDevice());
        const LoaderLimits limits = m_limits;
        m_process.setChildProcessModifier([limits] { applyLimits(limits); });
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(kStartTimeoutMs)) {
            m_startError = makeError(ErrorCode::Internal, QStringLiteral("the model loader %1 could not be started: %2")
                                                              .arg(program, m_process.errorString()));
            return;
        }
        m_deadline = QDeadlineTimer(m_limits.wallSeconds * 1000);
        if (!input.isEmpty())
            m_process.write(input);
        m_process.closeWriteChannel();
    }

    ~LoaderRun()
    {
        if (m_process.state() != QProcess::NotRunning) {  // abandoned: the caller failed first
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    template <typename T>
    Result<T> finish(ReplyReader<T> readReply)
    {
        if (m_startError)
            return *m_startError;
        QProcess &p = m_process;
        ProcessSource source(p, m_deadline);
        WireLimits wireLimits;
        wireLimits.maxTensorBytes = m_limits.replyTensorBytes;
        Result<T> reply = readReply(source, wireLimits);
        bool killed = false;
        if (!reply || source.timedOut()) {
            // Nothing more to read: stop a helper that is still going.
            killed = p.state() != QProcess::NotRunning;
            p.kill();
        }
        bool timedOut = source.timedOut();
        // (waitForFinished is false for a process that already ended: ask the state.)
        if (p.state() != QProcess::NotRunning && !p.waitForFinished(int(std::max<qint64>(m_deadline.remainingTime(), 1000)))) {
            p.kill();
            p.waitForFinished(5000);
            killed = timedOut = true;
        }

        const QString unsafe = QStringLiteral("model file %1 could not be parsed safely: ").arg(m_path);
        const QString diagnostic = m_haveDiagnostics ? lastDiagnostic(m_diagnostics.fileName()) : QString();
        const bool crashed = p.exitStatus() == QProcess::CrashExit;
        const int sig = crashed ? p.exitCode() : 0;
        if (timedOut)
            return makeError(ErrorCode::BadFile, unsafe + QStringLiteral("the parser took over %1 s (the loader's time limit)").arg(m_limits.wallSeconds));
        if (crashed && !(killed && sig == SIGKILL)) {
            QString why;
            if (sig == SIGXCPU || sig == SIGKILL)
                why = QStringLiteral("the parser used over %1 s of CPU time (%2)").arg(m_limits.cpuSeconds).arg(signalText(sig));
            else if (sig == SIGSYS)
                why = QStringLiteral("the parser made a system call the sandbox does not allow (%1)").arg(signalText(sig));
            else
                why = QStringLiteral("the parser crashed (%1)").arg(signalText(sig)) + (diagnostic.isEmpty() ? QString() : QStringLiteral(": ") + diagnostic);
            return makeError(ErrorCode::BadFile, unsafe + why);
        }
        if (!crashed && p.exitCode() == kLoaderExitForbiddenSyscall)
            return makeError(ErrorCode::BadFile, unsafe + QStringLiteral("the parser made a system call the sandbox does not allow (%1)")
                                                     .arg(diagnostic.isEmpty() ? QStringLiteral("exit status %1").arg(p.exitCode()) : diagnostic));
        if (!reply) {
            const Error &e = reply.error();
            if (e.code == ErrorCode::OutOfResources)
                return makeError(ErrorCode::BadFile, unsafe + QStringLiteral("the parser exceeded its memory limit of %1 MB (%2)")
                                                         .arg(m_limits.addressSpaceBytes >> 20).arg(e.message));
            if (e.message.startsWith(QLatin1String("malformed reply")))
                return makeError(ErrorCode::BadFile, unsafe + QStringLiteral("the loader's %1").arg(e.message) +
                                                         (p.exitCode() != 0 ? QStringLiteral(" (it exited with status %1%2)").arg(p.exitCode())
                                                                                  .arg(diagnostic.isEmpty() ? QString() : QStringLiteral(": ") + diagnostic)
                                                                            : QString()));
            return e;  // the importer's own refusal (an unsupported op, a damaged record): as in-process
        }
        return reply;
    }

private:
    QString m_path;
    LoaderLimits m_limits;
    QTemporaryFile m_diagnostics;
    bool m_haveDiagnostics = false;
    QProcess m_process;
    QDeadlineTimer m_deadline;
    std::optional<Error> m_startError;
};

void setDefaultIsolation(LoadIsolation isolation) { g_isolation = isolation; }
LoadIsolation defaultIsolation() { return g_isolation; }

Result<graph::Graph> importModelBytes(const QByteArray &bytes, const QString &path, const graph::ImportOptions &options)
{
    try {
        return exporting::PluginRegistry::instance().importerFor(path)->importBytes(bytes, path, options);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("model file %1 could not be read: %2")
                                                 .arg(path, exceptionSummary(e)));
    }
}

Result<graph::Graph> importModelFile(const QString &path, const graph::ImportOptions &options, LoadIsolation isolation)
{
    if (isolation == LoadIsolation::InProcess) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::NotFound, QStringLiteral("cannot read model file %1: %2").arg(path, file.errorString()));
        return importModelBytes(file.readAll(), path, options);
    }
    return PendingImport(path, options).result();
}

PendingImport::PendingImport(const QString &path, const graph::ImportOptions &options)
{
    QStringList arguments{QStringLiteral("graph")};
    if (!options.foldBatchNorm)
        arguments << QStringLiteral("--keep-batchnorm");
    arguments << QStringLiteral("--") << path;
    m_run = std::make_unique<LoaderRun>(path, arguments, QByteArray());
}

PendingImport::~PendingImport() = default;

Result<graph::Graph> PendingImport::result()
{
    return m_run->finish<graph::Graph>(&readGraphReply);
}

Result<torch::Tensor> referenceLogits(const QString &path, const torch::Tensor &input)
{
    QByteArray request;
    {
        WireWriter out(&request);
        writeTensorReply(out, input);
    }
    return LoaderRun(path, {QStringLiteral("reference"), QStringLiteral("--"), path}, request).finish<torch::Tensor>(&readTensorReply);
}

}  // namespace metaaug::sandbox
