// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one quantization at a time on a worker thread and turns the engine's
// events into queued signals carrying values. The GUI thread never waits on
// the engine: start() returns at once, cancel() sets a flag the engine polls
// between iterations (a meta iteration is ~0.2 s, so a run stops well within
// a second) and the run is recorded as cancelled.
#pragma once

#include "runevents.h"

#include <QtCore/QObject>
#include <QtCore/QThread>

#include <atomic>
#include <memory>

namespace metaaug::ui {

class RunWorker;

class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;  // cancels a running run and waits for its thread

    bool isRunning() const { return m_running; }

    // Starts a run of `spec` (RunSpec::toJson()'s form), recorded in the run
    // database `dbPath` (empty: not recorded). False when a run is going on.
    bool start(const QJsonObject &spec, const QString &dbPath);
    void cancel();
    bool cancelRequested() const { return m_cancel->load(); }

Q_SIGNALS:
    void started();
    void progress(const metaaug::ui::ProgressUpdate &update);
    void layerSample(const metaaug::ui::LayerSample &sample);
    void image(const metaaug::ui::ImagePair &pair);
    void logLine(const QString &line);
    void finished(const metaaug::ui::RunFinished &outcome);

private:
    QThread m_thread;
    RunWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    bool m_running = false;
};

}  // namespace metaaug::ui
