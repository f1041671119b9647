// SPDX-License-Identifier: GPL-3.0-or-later
#include "loaderlimits.h"

#include <QtCore/QtGlobal>

namespace metaaug::sandbox {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

int64_t envInt(const char *name)
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable(name).toLongLong(&ok);
    return ok && v > 0 ? v : 0;
}

}  // namespace

LoaderLimits loaderLimits(int64_t fileBytes)
{
    constexpr int64_t MiB = int64_t(1) << 20;
    LoaderLimits l;
    const int64_t memoryMb = envInt("METAAUG_LOADER_MEMORY_MB");
    l.addressSpaceBytes = kSanitized ? 0 : memoryMb > 0 ? memoryMb * MiB
                                                       : kLoaderBaselineMiB * MiB + kLoaderBytesPerFileByte * fileBytes;
    const int64_t seconds = envInt("METAAUG_LOADER_SECONDS");
    l.cpuSeconds = seconds > 0 ? seconds : kLoaderBaseCpuSeconds + fileBytes / (kLoaderFileMiBPerCpuSecond * MiB);
    // Waiting on the disk or a busy machine is not CPU time: twice, plus a start.
    l.wallSeconds = 2 * l.cpuSeconds + 10;
    l.replyTensorBytes = kReplyBytesPerFileByte * fileBytes + kReplySlackMiB * MiB;
    return l;
}

}  // namespace metaaug::sandbox
