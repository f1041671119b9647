// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcontroller.h"

#include "runworker.h"

namespace metaaug::ui {

RunController::RunController(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ProgressUpdate>();
    qRegisterMetaType<LayerSample>();
    qRegisterMetaType<ImagePair>();
    qRegisterMetaType<RunFinished>();
    m_thread.setObjectName(QStringLiteral("metaaug-run"));
    m_worker = new RunWorker(m_cancel);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // Queued: the worker emits on the run's thread, these re-emit on ours.
    connect(m_worker, &RunWorker::progress, this, &RunController::progress);
    connect(m_worker, &RunWorker::layerSample, this, &RunController::layerSample);
    connect(m_worker, &RunWorker::image, this, &RunController::image);
    connect(m_worker, &RunWorker::logLine, this, &RunController::logLine);
    connect(m_worker, &RunWorker::finished, this, [this](const RunFinished &outcome) {
        m_running = false;
        Q_EMIT finished(outcome);
    });
    m_thread.start();
}

RunController::~RunController()
{
    m_cancel->store(true);
    m_thread.quit();
    m_thread.wait();
}

bool RunController::start(const QJsonObject &spec, const QString &dbPath)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel->store(false);
    // A typed call on the worker's thread: the compiler checks run()'s signature.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, spec, dbPath] { worker->run(spec, dbPath); }, Qt::QueuedConnection);
    Q_EMIT started();
    return true;
}

void RunController::cancel()
{
    if (m_running)
        m_cancel->store(true);
}

}  // namespace metaaug::ui
