// SPDX-License-Identifier: GPL-3.0-or-later
// TorchScript importer: bytes -> torch::jit::load -> graph IR -> partition,
// through Model::load with a card given (so no card file is needed).
#include "model/model.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    torch::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    ModelLoadOptions options;
    options.card = ModelCard{};
    const auto model = Model::load(fuzz::writeInput(data, size, QStringLiteral("input.pt")), options);
    if (!model && model.error().message.isEmpty())
        std::abort();
    return 0;
}
