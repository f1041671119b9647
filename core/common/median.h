// SPDX-License-Identifier: GPL-3.0-or-later
// The median of timing samples (upper median for an even count), as every
// benchmark and iteration report here quotes it.
#pragma once

#include <algorithm>
#include <vector>

namespace metaaug {

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

}  // namespace metaaug
