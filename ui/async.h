// SPDX-License-Identifier: GPL-3.0-or-later
// Work on the thread pool with its result handed back to the GUI thread.
#pragma once

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QFutureWatcher>

#include <memory>

namespace metaaug::ui {

// Runs `work` on the thread pool and hands its result to `done` on `owner`'s
// thread; nothing is delivered once `owner` is destroyed.
template <typename T, typename Work, typename Done>
void runAsync(QObject *owner, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<std::shared_ptr<T>>(owner);
    QObject::connect(watcher, &QFutureWatcher<std::shared_ptr<T>>::finished, owner, [watcher, done] {
        done(*watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([work] { return std::make_shared<T>(work()); }));
}

}  // namespace metaaug::ui
