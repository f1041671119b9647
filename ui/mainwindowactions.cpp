// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow's named actions, menus, toolbar and recent-files menu.
#include "mainwindow.h"

#include "aboutbox.h"
#include "exportactions.h"
#include "workbenchstate.h"

#include <QtCore/QFileInfo>
#include <QtGui/QAction>
#include <QtGui/QKeySequence>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolBar>

namespace metaaug::ui {

void MainWindow::createActions()
{
    auto add = [this](const char *name, const QString &text, const QKeySequence &keys, QStyle::StandardPixmap icon,
                      const QString &tip) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(keys);
        a->setStatusTip(tip);
        a->setToolTip(tip);
        return a;
    };
    connect(add("openModel", tr("Open &Model…"), QKeySequence::Open, QStyle::SP_DialogOpenButton,
                tr("Open a model: TorchScript (.pt) or ONNX (.onnx); a card (.json) beside it, or one you describe")),
            &QAction::triggered, this, [this] {
                const QString f = QFileDialog::getOpenFileName(this, tr("Open model"), QFileInfo(m_state->modelPath()).absolutePath(),
                                                               tr("Models (*.pt *.pth *.onnx);;TorchScript (*.pt *.pth);;ONNX (*.onnx);;All files (*)"));
                if (!f.isEmpty())
                    openModel(f);
            });
    connect(add("openCalibration", tr("Open &Calibration Data…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                QStyle::SP_DirOpenIcon, tr("Choose a folder of images (class sub-folders or flat) as calibration data")),
            &QAction::triggered, this, [this] {
                const QString d = QFileDialog::getExistingDirectory(this, tr("Calibration images"));
                if (!d.isEmpty())
                    openCalibration(d);
            });
    connect(add("openEvaluation", tr("Open &Evaluation Data…"), QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_DirIcon,
                tr("Choose a folder of labelled images for the held-out evaluation")),
            &QAction::triggered, this, [this] {
                const QString d = QFileDialog::getExistingDirectory(this, tr("Evaluation images"));
                if (!d.isEmpty())
                    openEvaluation(d);
            });
    // The built-in data (Debian's Fashion-MNIST): always a way back to it
    // once a folder was chosen.
    connect(add("useBuiltinCalibration", tr("Built-in Fashion-MNIST &training set (calibration)"), {}, QStyle::SP_DriveHDIcon,
                tr("Calibrate on the built-in data, %1").arg(QStringLiteral("fashion-mnist:train"))),
            &QAction::triggered, this, [this] { openCalibration(QStringLiteral("fashion-mnist:train")); });
    connect(add("useBuiltinEvaluation", tr("Built-in Fashion-MNIST &test set (evaluation)"), {}, QStyle::SP_DriveHDIcon,
                tr("Evaluate on the built-in data, %1").arg(QStringLiteral("fashion-mnist:test"))),
            &QAction::triggered, this, [this] { openEvaluation(QStringLiteral("fashion-mnist:test")); });
    connect(add("quit", tr("&Quit"), QKeySequence::Quit, QStyle::SP_DialogCloseButton, tr("Quit the workbench")),
            &QAction::triggered, this, &QWidget::close);
    connect(add("startRun", tr("&Start"), QKeySequence(Qt::CTRL | Qt::Key_R), QStyle::SP_MediaPlay,
                tr("Quantize the model with the current settings")),
            &QAction::triggered, this, &MainWindow::startRun);
    connect(add("cancelRun", tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period), QStyle::SP_MediaStop,
                tr("Stop the run (within a second); it is kept as cancelled")),
            &QAction::triggered, this, &MainWindow::cancelRun);
    connect(add("about", tr("&About MetaAug Workbench"), {}, QStyle::SP_MessageBoxInformation, tr("Versions and licence")),
            &QAction::triggered, this, [this] { showAboutBox(this, m_dbPath); });
    // One action per tab, Ctrl+1.. in tab order, for every tab there is.
    for (int i = 0; i < m_tabs->count() && i < 9; ++i)
        connect(add(tabActionName(i).toLatin1().constData(), m_tabs->tabText(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)),
                    QStyle::SP_FileDialogDetailedView, tr("Show the %1 tab").arg(m_tabs->tabText(i))),
                &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
}

// The tab actions' object names: the first four keep the names tests and
// settings know; later tabs are named by position.
QString MainWindow::tabActionName(int tab)
{
    static const char *const known[] = {"showLive", "showRuns", "showStored", "showCompare", "showSweeps", "showAnalysis"};
    return tab < int(std::size(known)) ? QLatin1String(known[tab]) : QStringLiteral("showTab%1").arg(tab + 1);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(QStringLiteral("openModel")));
    file->addAction(action(QStringLiteral("openCalibration")));
    file->addAction(action(QStringLiteral("openEvaluation")));
    QMenu *builtin = file->addMenu(tr("&Built-in Data"));
    builtin->setObjectName(QStringLiteral("builtinDataMenu"));
    builtin->addAction(action(QStringLiteral("useBuiltinCalibration")));
    builtin->addAction(action(QStringLiteral("useBuiltinEvaluation")));
    m_recentMenu = file->addMenu(tr("&Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    m_exportMenu = file->addMenu(tr("&Export"));
    m_exportMenu->setObjectName(QStringLiteral("exportMenu"));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quit")));
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(action(QStringLiteral("startRun")));
    run->addAction(action(QStringLiteral("cancelRun")));
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    for (int i = 0; i < m_tabs->count() && i < 9; ++i)
        view->addAction(action(tabActionName(i)));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(QStringLiteral("about")));

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->addAction(action(QStringLiteral("openModel")));
    tb->addAction(action(QStringLiteral("openCalibration")));
    tb->addSeparator();
    tb->addAction(action(QStringLiteral("startRun")));
    tb->addAction(action(QStringLiteral("cancelRun")));
    view->addAction(tb->toggleViewAction());
    m_exports->fillMenu(m_exportMenu);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &m : m_state->recent(QStringLiteral("models")))
        connect(m_recentMenu->addAction(tr("Model: %1").arg(m)), &QAction::triggered, this, [this, m] { openModel(m); });
    m_recentMenu->addSeparator();
    for (const QString &d : m_state->recent(QStringLiteral("data")))
        connect(m_recentMenu->addAction(tr("Calibration: %1").arg(d)), &QAction::triggered, this, [this, d] { openCalibration(d); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

}  // namespace metaaug::ui
