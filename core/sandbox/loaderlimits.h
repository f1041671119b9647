// SPDX-License-Identifier: GPL-3.0-or-later
// The limits the model loader helper runs under, sized from the model
// file's size (docs/sandbox.md has the measurements behind the constants).
#pragma once

#include <cstdint>

namespace metaaug::sandbox {

struct LoaderLimits {
    // RLIMIT_AS in bytes; 0 = none (sanitizer builds reserve terabytes of
    // shadow memory, so they skip it).
    int64_t addressSpaceBytes = 0;
    int64_t cpuSeconds = 0;       // RLIMIT_CPU
    int64_t wallSeconds = 0;      // the parent's timeout
    int64_t replyTensorBytes = 0;  // all tensor data in the reply together
};

// Measured: the helper maps about 0.9 GB of address space before it reads a
// byte (LibTorch, OpenCV, Qt; one thread). Loading then holds the file, the
// unpacked archive, the module and the translated graph: about 4 bytes per
// byte of file at most (ResNet-50: docs/sandbox.md), 6 leaves headroom.
constexpr int64_t kLoaderBaselineMiB = 1536;
constexpr int64_t kLoaderBytesPerFileByte = 6;
// CPU: a few seconds for the bundled models, ~5 s for ResNet-50 here.
constexpr int64_t kLoaderBaseCpuSeconds = 30;
constexpr int64_t kLoaderFileMiBPerCpuSecond = 4;
// Reply: weights at most float32 where the file stored float16, plus slack.
constexpr int64_t kReplyBytesPerFileByte = 4;
constexpr int64_t kReplySlackMiB = 64;

// The limits for a file of `fileBytes`. $METAAUG_LOADER_MEMORY_MB and
// $METAAUG_LOADER_SECONDS override the address-space and CPU limits (the
// wall-clock timeout follows the CPU limit).
LoaderLimits loaderLimits(int64_t fileBytes);

}  // namespace metaaug::sandbox
