// SPDX-License-Identifier: GPL-3.0-or-later
// The object living on RunController's thread: executes one run per call
// of run() through core's runJob() and emits the events (internal to ui/).
#pragma once

#include "runevents.h"

#include <QtCore/QObject>

#include <atomic>
#include <memory>

namespace metaaug::ui {

class RunWorker : public QObject {
    Q_OBJECT
public:
    explicit RunWorker(std::shared_ptr<std::atomic<bool>> cancel) : m_cancel(std::move(cancel)) {}

public Q_SLOTS:
    void run(const QJsonObject &spec, const QString &dbPath);

Q_SIGNALS:
    void progress(const metaaug::ui::ProgressUpdate &update);
    void layerSample(const metaaug::ui::LayerSample &sample);
    void image(const metaaug::ui::ImagePair &pair);
    void logLine(const QString &line);
    void finished(const metaaug::ui::RunFinished &outcome);

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace metaaug::ui
