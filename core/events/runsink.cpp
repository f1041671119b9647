// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsink.h"

namespace metaaug {

const char *runPhaseName(RunPhase p)
{
    switch (p) {
    case RunPhase::Setup: return "setup";
    case RunPhase::Calibration: return "calibration";
    case RunPhase::Warmup: return "warmup";
    case RunPhase::MetaLearning: return "meta";
    case RunPhase::Reconstruction: return "reconstruction";
    case RunPhase::Evaluation: return "evaluation";
    case RunPhase::Done: return "done";
    }
    return "?";
}

std::optional<RunPhase> runPhaseFromName(const QString &name)
{
    for (RunPhase p : {RunPhase::Setup, RunPhase::Calibration, RunPhase::Warmup, RunPhase::MetaLearning, RunPhase::Reconstruction,
                       RunPhase::Evaluation, RunPhase::Done})
        if (name == QLatin1String(runPhaseName(p)))
            return p;
    return std::nullopt;
}

}  // namespace metaaug
