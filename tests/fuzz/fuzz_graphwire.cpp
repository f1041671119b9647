// SPDX-License-Identifier: GPL-3.0-or-later
// The parent's reader of the loader helper's replies (core/sandbox/graphwire):
// a compromised helper controls every byte, so whatever it sends must end in
// a graph that passed the checks or an error with a message, never an
// out-of-bounds read or a graph the executor would index past.
#include "sandbox/graphwire.h"

#include <QtCore/QByteArray>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug::sandbox;
    BytesSource in(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    WireLimits limits;
    limits.maxTensorBytes = 64 << 20;  // keeps an input from making the fuzzer allocate gigabytes
    const auto graph = readGraphReply(in, limits);
    if (!graph && graph.error().message.isEmpty())
        std::abort();
    if (graph && !graphInconsistency(*graph).isEmpty())
        std::abort();  // the reader let through what its own check refuses
    return 0;
}
