// SPDX-License-Identifier: GPL-3.0-or-later
// The quantization run's lifecycle in the window: start a spec, rerun a
// stored run's spec (read on the store's thread) and say whether it
// reproduced the stored quantized weights, cancel, and the end of a run
// (live view, GUI-responsiveness summary, errors). The run itself goes on
// RunController's thread and feeds the live view.
#pragma once

#include "runevents.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>

#include <optional>

namespace metaaug::ui {

class RunController;
class RunView;
class StallMonitor;
class StoreClient;

class RunSession : public QObject {
    Q_OBJECT
public:
    // `dbPath`: the database the run records itself in (RunWorker's own connection).
    RunSession(RunController *controller, StallMonitor *stall, RunView *live, StoreClient *store, const QString &dbPath,
               QObject *parent = nullptr);

    bool isRunning() const;
    bool cancelRequested() const;
    // For the status bar: "running rtn W4A8", "cancelling…", "run 3 succeeded"; empty before the first run.
    const QString &stateText() const { return m_stateText; }

    // Starts `spec` unless a run is in progress.
    void start(const QJsonObject &spec);
    // Runs stored run runId's spec again; rerunCompared() says whether it reproduced it.
    void rerun(qint64 runId);
    void cancel();

Q_SIGNALS:
    void started();
    void stateChanged();
    // The run has ended and everything about it was said (after rerunCompared and errors).
    void finished(const metaaug::ui::RunFinished &outcome);
    void rerunCompared(qint64 runId, bool identical);
    void errorOccurred(const QString &title, const QString &message);
    void statusMessage(const QString &text, int timeoutMs);

private:
    void begin(const QJsonObject &spec);
    void onFinished(const RunFinished &f);

    struct RerunOf {
        qint64 runId = 0;
        QString qweightsSha256;  // the stored run's; empty when it had no result
    };
    RunController *m_controller;
    StallMonitor *m_stall;
    RunView *m_live;
    StoreClient *m_store;
    QString m_dbPath, m_stateText;
    std::optional<RerunOf> m_rerunOf;  // the run in progress reruns this one
};

}  // namespace metaaug::ui
