// SPDX-License-Identifier: GPL-3.0-or-later
#include "runjob.h"

#include "run/quantizationrun.h"
#include "export/quantizedstate.h"
#include "store/runrecorder.h"

namespace metaaug {

JobOutcome runJob(const RunSpec &given, store::RunStore *store, RunSink &sink)
{
    // The run records the card it uses as values (a card beside the model
    // included), so that its stored spec reproduces the preprocessing even
    // when that file changes or vanishes. A missing card stays missing: the
    // run then fails with the message that says how to give one.
    RunSpec spec = given;
    if (!spec.card)
        if (auto card = cardForModel(spec.modelPath, std::nullopt))
            spec.card = *card;
    JobOutcome out;
    if (store) {
        auto id = store->createRun(spec.toJson());
        if (!id) {
            out.error = id.error();
            return out;
        }
        out.runId = *id;
    }
    std::optional<store::RunRecorder> recorder;
    if (store)
        recorder.emplace(*store, out.runId, &sink);
    auto outcome = runQuantization(spec, recorder ? static_cast<RunSink &>(*recorder) : sink);
    out.status = outcome ? RunStatus::Succeeded : outcome.error().code == ErrorCode::Aborted ? RunStatus::Cancelled : RunStatus::Failed;
    if (outcome) {
        out.result = outcome->result;
        out.model = outcome->model;
        out.state = outcome->state;
    } else {
        out.error = outcome.error();
    }
    if (store) {
        (void)recorder->flush();
        if (out.state) {
            const exporting::Encodings enc = exporting::toEncodings(*out.state, out.model->graph());
            if (auto r = store->saveState(out.runId, QJsonDocument(enc.json).toJson(QJsonDocument::Compact), enc.codes); !r)
                out.warnings << QStringLiteral("run %1: its quantized model could not be stored (no later export): %2")
                                    .arg(out.runId).arg(r.error().message);
        }
        for (const auto &[kind, data] : outcome ? outcome->blobs : std::map<QString, QByteArray>{})
            if (auto r = store->saveBlob(out.runId, kind, data); !r)
                out.warnings << QStringLiteral("run %1: its %2 could not be stored: %3").arg(out.runId).arg(kind, r.error().message);
        if (recorder->lastError())
            out.warnings << QStringLiteral("run %1: some of its events could not be recorded: %2")
                                .arg(out.runId).arg(recorder->lastError()->message);
        if (auto r = store->finishRun(out.runId, out.status, outcome ? &out.result : nullptr, out.error ? out.error->message : QString()); !r)
            out.warnings << QStringLiteral("run %1 could not be marked finished: %2").arg(out.runId).arg(r.error().message);
        if (auto preserved = store->preserveIfDeleted(); !preserved)
            out.warnings << QStringLiteral("run %1: the run database was deleted during the run and could not be restored: %2")
                                .arg(out.runId).arg(preserved.error().message);
        else if (!preserved->isEmpty())
            out.warnings << QStringLiteral("run %1: %2").arg(out.runId).arg(*preserved);
        if (outcome)
            out.result.runId = out.runId;
    }
    return out;
}

JobOutcome runJob(const QJsonObject &specJson, store::RunStore *store, RunSink &sink)
{
    auto spec = RunSpec::fromJson(specJson);
    if (!spec) {
        JobOutcome out;
        out.error = spec.error();
        return out;
    }
    return runJob(*spec, store, sink);
}

}  // namespace metaaug
