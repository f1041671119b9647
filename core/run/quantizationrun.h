// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's entry point: one synchronous quantization run. Reports
// through the sink; catches every library exception.
#pragma once

#include "common/result.h"
#include "export/quantizedstate.h"
#include "model/model.h"
#include "events/runsink.h"
#include "runresult.h"
#include "runspec.h"

#include <QtCore/QJsonObject>

namespace metaaug {

struct RunOutcome {
    RunResult result;
    std::shared_ptr<const Model> model;                     // as the run loaded it
    std::shared_ptr<const exporting::QuantizedState> state;  // the quantized model, for exports
    std::map<QString, QByteArray> blobs;  // the method's artefacts by kind (MetaAug: "transform", its T)
};

// ErrorCode::Aborted when the sink asked to stop.
Result<RunOutcome> runQuantization(const RunSpec &spec, RunSink &sink);

}  // namespace metaaug
