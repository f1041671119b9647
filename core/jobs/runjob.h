// SPDX-License-Identifier: GPL-3.0-or-later
// One recorded quantization run, shared by the CLI and the GUI: creates the
// run's row (status running), records every event through a RunRecorder
// while forwarding it to the caller's sink, runs the engine and marks the
// run succeeded, failed or cancelled; a succeeded run's quantized model is
// stored with it (encodings), so any format can be exported later. No
// LibTorch in this header.
#pragma once

#include "common/result.h"
#include "events/runsink.h"
#include "run/runresult.h"
#include "store/runstore.h"

#include <QtCore/QStringList>

namespace metaaug {

struct RunSpec;
class Model;
namespace exporting {
struct QuantizedState;
}

struct JobOutcome {
    int64_t runId = 0;  // 0 when the run was not recorded
    RunStatus status = RunStatus::Failed;
    RunResult result;             // the engine's result when succeeded (runId set when recorded)
    std::optional<Error> error;   // failed, or cancelled (ErrorCode::Aborted)
    QStringList warnings;         // recording problems; the run itself went on
    // Succeeded: the model as loaded and its quantized state (for exports).
    std::shared_ptr<const Model> model;
    std::shared_ptr<const exporting::QuantizedState> state;
};

// `store` may be null (not recorded); it must belong to the calling thread.
// Errors of the spec, the engine and the store come back in the outcome.
JobOutcome runJob(const RunSpec &spec, store::RunStore *store, RunSink &sink);
// The same from a spec in RunSpec::toJson()'s form; a spec that does not
// parse fails before any row is written.
JobOutcome runJob(const QJsonObject &spec, store::RunStore *store, RunSink &sink);

}  // namespace metaaug
