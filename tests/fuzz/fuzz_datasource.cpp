// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI's data-source string: parse, print, parse again gives the same.
#include "data/datasource.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    const QString text = QString::fromUtf8(fuzz::bytesOf(data, size));
    const auto source = DataSource::parse(text);
    if (!source)
        return source.error().message.isEmpty() ? (std::abort(), 0) : 0;
    const auto again = DataSource::parse(source->toString());
    if (!again || again->kind != source->kind || again->split != source->split || again->path != source->path)
        std::abort();
    return 0;
}
