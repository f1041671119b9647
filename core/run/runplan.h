// SPDX-License-Identifier: GPL-3.0-or-later
// What a run of a spec will need in memory, planned without its data (the
// model loaded, one blank image of its card's shape): how sweeps size their
// worker count before starting points. The run itself plans again on its
// real images (memoryplan.h). No LibTorch in this header.
#pragma once

#include "common/result.h"

namespace metaaug {

struct RunSpec;

// The plan's resident estimate of one run (bytes), for `evalImages` images evaluated.
Result<int64_t> plannedPeakBytes(const RunSpec &spec, int64_t evalImages = 10000);

}  // namespace metaaug
