// SPDX-License-Identifier: GPL-3.0-or-later
// IDX reader (raw and gzip): any bytes give an array or an error, and an
// array's payload always matches its header.
#include "data/idxreader.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    const auto array = readIdx(fuzz::writeInput(data, size, QStringLiteral("input.idx")));
    if (array) {
        int64_t n = 1;
        for (int64_t d : array->dims)
            n *= d;
        if (array->dims.empty() || n != array->data.size())
            std::abort();
    } else if (array.error().message.isEmpty()) {
        std::abort();
    }
    return 0;
}
