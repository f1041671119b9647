#include "runtime.h"

#include <torch/torch.h>

#include <QtCore/QFile>

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace metaaug {

namespace {
bool g_mallocTuned = false;
}

void configureRuntime(const RuntimeOptions &options)
{
    const char *off = std::getenv("METAAUG_NO_MALLOC_TUNING");
    if (options.tuneMalloc && !(off && std::strcmp(off, "0") != 0 && *off)) {
        // Keep freed blocks up to 32 MiB in the heap instead of returning them
        // with munmap, and never trim: oneDNN reallocates the same buffers on
        // every call.
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
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

}  // namespace metaaug
