// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the GUI suites: a shown MainWindow on a given run database,
// without remembered settings, once its model and data have loaded.
#pragma once

#include "mainwindow.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QtTest>

#include <memory>

namespace metaaug::test {

inline std::unique_ptr<ui::MainWindow> openWorkbench(const QString &db, int loadTimeoutMs)
{
    ui::WorkbenchOptions o;
    o.dbPath = db;
    o.useSettings = false;
    auto w = std::make_unique<ui::MainWindow>(o);
    w->show();
    if (!QTest::qWaitForWindowExposed(w.get()))
        return nullptr;
    QElapsedTimer t;
    t.start();
    while ((w->isLoading() || !w->modelReady()) && t.elapsed() < loadTimeoutMs)
        QTest::qWait(50);
    return w;
}

}  // namespace metaaug::test
