// SPDX-License-Identifier: GPL-3.0-or-later
// Model-card JSON: a card or an error; a card's preprocessing always
// validates (the card parser checks what it reads).
#include "model/modelcard.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    const auto card = ModelCard::fromJson(fuzz::bytesOf(data, size), QStringLiteral("fuzz.json"));
    if (card ? !card->preprocess.validate().ok() : card.error().message.isEmpty())
        std::abort();
    return 0;
}
