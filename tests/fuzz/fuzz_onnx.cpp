// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX importer (the onnximport plugin's reader): bytes -> protobuf ->
// graph IR.
#include "onnxreader.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    torch::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    const auto graph = plugins::readOnnx(fuzz::writeInput(data, size, QStringLiteral("input.onnx")), {});
    if (!graph && graph.error().message.isEmpty())
        std::abort();
    return 0;
}
