// SPDX-License-Identifier: GPL-3.0-or-later
// A RunSink that records a run's events into the run store: scalar series,
// layer metrics, image grids (PNG) and the run's identity, written from the
// run's own thread in batched transactions (every 2000 rows or 250 ms, and
// at the end). Every event is also passed on to `forward`.
#pragma once

#include "events/runsink.h"
#include "runstore.h"

#include <chrono>

namespace metaaug::store {

class RunRecorder : public RunSink {
public:
    RunRecorder(RunStore &store, int64_t runId, RunSink *forward = nullptr);

    void progress(const ProgressEvent &e) override;
    void layerMetric(const LayerMetricEvent &e) override;
    void image(const ImageEvent &e) override;
    void identity(const QJsonObject &identity) override;
    void log(const QString &line) override;
    bool shouldAbort() override;

    // Writes what is buffered. The first failure (disk full, ...) is kept:
    // later events are dropped and lastError() tells; the run goes on.
    Result<void> flush();
    const std::optional<Error> &lastError() const { return m_error; }
    int64_t rowsWritten() const { return m_rows; }

private:
    void maybeFlush();

    RunStore &m_store;
    int64_t m_run;
    RunSink *m_forward;
    WriteBatch m_batch;
    std::chrono::steady_clock::time_point m_lastFlush = std::chrono::steady_clock::now();
    std::optional<Error> m_error;
    int64_t m_rows = 0;
};

}  // namespace metaaug::store
