// SPDX-License-Identifier: GPL-3.0-or-later
#include "storeclient.h"

#include "store/runstore.h"

namespace metaaug::ui {

StoreClient::StoreClient(const QString &path, QObject *parent) : QObject(parent), m_path(path), m_worker(new QObject)
{
    m_thread.setObjectName(QStringLiteral("run store"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

StoreClient::~StoreClient()
{
    m_thread.quit();
    m_thread.wait();
    m_store.reset();  // the thread has finished: nothing else touches it
    delete m_worker;
}

void StoreClient::post(std::function<void()> task)
{
    QMetaObject::invokeMethod(m_worker, std::move(task), Qt::QueuedConnection);
}

Result<store::RunStore *> StoreClient::store()
{
    if (!m_store) {
        auto opened = store::RunStore::open(m_path);
        if (!opened)
            return opened.error();
        m_store = std::move(*opened);
    }
    return m_store.get();
}

}  // namespace metaaug::ui
