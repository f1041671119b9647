// SPDX-License-Identifier: GPL-3.0-or-later
// What the sandboxed loader costs (issue 22): Model::load of one file
// through the helper and in this process, timed alternately, and the peak
// memory of this process and of the helpers it ran.
#pragma once

#include "common/result.h"
#include "model/modelcard.h"
#include "sandbox/modelloader.h"

#include <optional>

namespace metaaug {

struct LoadBenchResult {
    double helperMs = 0, inProcessMs = 0;  // medians; 0 for a mode not run
    int repetitions = 0;
    int64_t peakBytes = 0;        // this process (VmHWM)
    int64_t helperPeakBytes = 0;  // the largest helper's peak RSS (getrusage of children)
};

// `only`: time one mode alone (for its peak memory); otherwise both, in turn.
Result<LoadBenchResult> benchModelLoad(const QString &path, const std::optional<ModelCard> &card, int repetitions,
                                       std::optional<sandbox::LoadIsolation> only = std::nullopt);

}  // namespace metaaug
