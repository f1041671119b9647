// SPDX-License-Identifier: GPL-3.0-or-later
#include "runstatus.h"

#include <iterator>

namespace metaaug {

namespace {
const char *const kStatusNames[] = {"queued", "running", "succeeded", "failed", "cancelled", "interrupted"};
}

const char *statusName(RunStatus s)
{
    return kStatusNames[int(s)];
}

std::optional<RunStatus> statusFromName(const QString &name)
{
    for (int i = 0; i < int(std::size(kStatusNames)); ++i)
        if (name == QLatin1String(kStatusNames[i]))
            return RunStatus(i);
    return std::nullopt;
}

}  // namespace metaaug
