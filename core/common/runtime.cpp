#include "runtime.h"

#include <torch/torch.h>

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

}  // namespace metaaug
