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

// Measured (docs/sandbox.md): the helper needs 886 MiB of address space for
// a 1 MB model (LibTorch, OpenCV and Qt mapped; one thread). Loading then
// holds the file, the unpacked archive, the module and the translated
// graph: 4.9 bytes per byte of file for ResNet-50 as TorchScript, 3.0 as
// ONNX. 1536 MiB + 6 per byte leaves 650-760 MiB of headroom for those.
constexpr int64_t kLoaderBaselineMiB = 1536;
constexpr int64_t kLoaderBytesPerFileByte = 6;
// CPU: 0.4 s for the bundled models, 1.0 s for ResNet-50 here; the limit is
// for a parser that loops, not for slow machines.
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
