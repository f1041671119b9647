// The main window skeleton under the offscreen platform.
#include "mainwindow.h"

#include <QtGui/QAction>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void menusAndShortcuts();
};

void TestMainWindow::menusAndShortcuts()
{
    metaaug::ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QStringList menus;
    for (QAction *a : w.menuBar()->actions())
        menus << a->text().remove('&');
    QCOMPARE(menus, (QStringList{"File", "Run", "View", "Help"}));
    for (const char *name : {"openModel", "openCalibration", "openEvaluation", "quit", "startRun", "cancelRun", "about"})
        QVERIFY2(w.action(name), name);
    QCOMPARE(w.action("openModel")->shortcut(), QKeySequence(QKeySequence::Open));
    QVERIFY(w.findChild<QMenu *>("exportMenu"));
    QVERIFY(w.findChild<QMenu *>("recentMenu"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
