// SPDX-License-Identifier: GPL-3.0-or-later
// The widgets' one way to the run store: a connection owned by a thread of
// its own, so a locked or slow database never freezes the window. Opening
// the store writes (the WAL switch, marking runs of dead processes
// interrupted) and may wait for another process's write lock up to the
// store's busy timeout; every read and write of the GUI goes through call().
// Two jobs record themselves on their own threads and connections instead:
// the run worker's recorder (runworker.cpp) and the sensitivity analysis
// (analysispanel.cpp), so that their writes never queue behind the browser's
// reads; scripts/check_layers.py allows RunStore::open in ui/ there only.
#pragma once

#include "common/result.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QThread>

#include <functional>
#include <memory>

namespace metaaug::store {
class RunStore;
}

namespace metaaug::ui {

class StoreClient : public QObject {
    Q_OBJECT
public:
    explicit StoreClient(const QString &path, QObject *parent = nullptr);
    // Waits for the call in progress (at most the busy timeout), then closes.
    ~StoreClient() override;

    const QString &path() const { return m_path; }

    // Runs `work` with the store on the store's thread (opened there on first
    // use; a failed open is retried by the next call) and hands its result to
    // `done` on `context`'s thread, unless `context` has been destroyed by then.
    // Calls run one at a time, in order.
    template <typename T>
    void call(QObject *context, std::function<Result<T>(store::RunStore &)> work, std::function<void(const Result<T> &)> done)
    {
        post([this, ctx = QPointer<QObject>(context), work = std::move(work), done = std::move(done)] {
            auto r = std::make_shared<Result<T>>(withStore<T>(work));
            if (ctx)
                QMetaObject::invokeMethod(ctx.data(), [ctx, r, done] { if (ctx) done(*r); }, Qt::QueuedConnection);
        });
    }

private:
    void post(std::function<void()> task);
    // On the store's thread: the open store, or why it could not be opened.
    Result<store::RunStore *> store();
    template <typename T>
    Result<T> withStore(const std::function<Result<T>(store::RunStore &)> &work)
    {
        auto s = store();
        if (!s)
            return s.error();
        return work(**s);
    }

    QString m_path;
    QThread m_thread;
    QObject *m_worker;                       // lives on m_thread; runs the posted tasks
    std::unique_ptr<store::RunStore> m_store;  // touched on m_thread only
};

}  // namespace metaaug::ui
