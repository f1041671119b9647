// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime.h"

#include "tensorcache.h"

#include <torch/torch.h>

#include <QtCore/QFile>
#include <QtCore/QSet>
#include <QtCore/QThread>

#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace metaaug {

namespace {
bool g_mallocTuned = false;

QByteArray readSmallFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

// "max 100000" or "200000 100000" (quota, period): the CPUs the quota allows,
// rounded up; 0 without a quota.
int cgroupCpuLimit()
{
    const QList<QByteArray> parts = readSmallFile(QStringLiteral("/sys/fs/cgroup/cpu.max")).split(' ');
    if (parts.size() != 2 || parts[0] == "max")
        return 0;
    const double quota = parts[0].toDouble(), period = parts[1].toDouble();
    return period > 0 && quota > 0 ? int(std::ceil(quota / period)) : 0;
}
}  // namespace

int physicalCores()
{
    static const int cores = [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        int n = 0;
        if (sched_getaffinity(0, sizeof set, &set) == 0) {
            QSet<QByteArray> seen;
            for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
                if (!CPU_ISSET(cpu, &set))
                    continue;
                const QString dir = QStringLiteral("/sys/devices/system/cpu/cpu%1/topology/").arg(cpu);
                const QByteArray core = readSmallFile(dir + QStringLiteral("core_id"));
                // Without topology (some containers) every CPU counts as a core.
                seen.insert(core.isEmpty() ? QByteArray::number(cpu) + "cpu"
                                           : readSmallFile(dir + QStringLiteral("physical_package_id")) + ':' + core);
            }
            n = int(seen.size());
        }
        if (n <= 0)
            n = QThread::idealThreadCount();
        if (const int limit = cgroupCpuLimit(); limit > 0)
            n = std::min(n, limit);
        return std::max(1, n);
    }();
    return cores;
}

void configureRuntime(const RuntimeOptions &options)
{
    const char *off = std::getenv("METAAUG_NO_MALLOC_TUNING");
    if (options.tuneMalloc && !(off && std::strcmp(off, "0") != 0 && *off)) {
        // Keep freed blocks in the heap instead of returning them with
        // munmap, and never trim: oneDNN and the reconstruction loop
        // reallocate the same buffers on every call, and memory fresh from
        // mmap is faulted in page by page each time.
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
        // Blocks over 32 MiB (glibc's largest mmap threshold) are still
        // mmapped: at 224x224 most activations are. The tensor cache keeps
        // those LibTorch frees for reuse within a unit (tensorcache.cpp).
        installTensorCache();
        g_mallocTuned = true;
    }
    setThreads(options.threads);
}

void setThreads(int threads)
{
    torch::set_num_threads(std::max(1, threads));
}

bool mallocTuned() { return g_mallocTuned; }

namespace {
int64_t statusKiB(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(int(std::strlen(key))).trimmed().split(' ').first().toLongLong();
    return -1;
}
}  // namespace

int64_t residentBytes()
{
    const int64_t k = statusKiB("VmRSS:");
    return k < 0 ? -1 : k * 1024;
}

int64_t peakResidentBytes()
{
    const int64_t k = statusKiB("VmHWM:");
    return k < 0 ? -1 : k * 1024;
}

int64_t heapInUseBytes()
{
    const struct mallinfo2 m = mallinfo2();
    return int64_t(m.uordblks + m.hblkhd) - tensorCacheBytes();
}

}  // namespace metaaug
