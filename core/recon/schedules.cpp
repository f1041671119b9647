// SPDX-License-Identifier: GPL-3.0-or-later
#include "schedules.h"

#include <algorithm>
#include <cmath>

namespace metaaug::recon {

std::optional<double> roundingBeta(int iteration, int total, double warmup, double start, double end)
{
    const double warm = warmup * total;
    if (iteration < warm)
        return std::nullopt;
    const double rel = total > warm ? (iteration - warm) / (total - warm) : 1.0;
    return end + (start - end) * std::max(0.0, 1.0 - rel);
}

double cosineLr(double lr0, int iteration, int total)
{
    if (total <= 0)
        return lr0;
    return lr0 * 0.5 * (1.0 + std::cos(M_PI * double(iteration) / double(total)));
}

}  // namespace metaaug::recon
