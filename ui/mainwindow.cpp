#include "mainwindow.h"

#include "common/versions.h"

#include <QtGui/QAction>
#include <QtGui/QKeySequence>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStatusBar>

namespace metaaug::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("MetaAug Workbench"));
    resize(1200, 800);
    auto *placeholder = new QLabel(tr("Open a model and calibration data, then start a run."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    createMenus();
    statusBar()->showMessage(tr("Ready"));
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::createMenus()
{
    auto add = [this](QMenu *menu, const QString &name, const QString &text, const QKeySequence &keys = {}) {
        QAction *a = menu->addAction(text);
        a->setObjectName(name);
        a->setShortcut(keys);
        return a;
    };
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    add(m_fileMenu, QStringLiteral("openModel"), tr("Open &Model…"), QKeySequence::Open);
    add(m_fileMenu, QStringLiteral("openCalibration"), tr("Open &Calibration Data…"));
    add(m_fileMenu, QStringLiteral("openEvaluation"), tr("Open &Evaluation Data…"));
    m_fileMenu->addMenu(tr("&Recent"))->setObjectName(QStringLiteral("recentMenu"));
    m_fileMenu->addMenu(tr("&Export"))->setObjectName(QStringLiteral("exportMenu"));
    m_fileMenu->addSeparator();
    connect(add(m_fileMenu, QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit), &QAction::triggered,
            this, &QWidget::close);

    m_runMenu = menuBar()->addMenu(tr("&Run"));
    add(m_runMenu, QStringLiteral("startRun"), tr("&Start"), QKeySequence(Qt::CTRL | Qt::Key_R))->setEnabled(false);
    add(m_runMenu, QStringLiteral("cancelRun"), tr("&Cancel"), QKeySequence(Qt::Key_Escape))->setEnabled(false);

    m_viewMenu = menuBar()->addMenu(tr("&View"));

    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    connect(add(m_helpMenu, QStringLiteral("about"), tr("&About MetaAug Workbench")), &QAction::triggered,
            this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QString rows;
    for (const auto &[name, version] : libraryVersions())
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(name.toHtmlEscaped(), version.toHtmlEscaped());
    QMessageBox::about(this, tr("About MetaAug Workbench"),
                       tr("<h3>MetaAug Workbench</h3><p>Post-training quantization of CNNs with MetaAug and "
                          "baselines.</p><table>%1</table>").arg(rows));
}

}  // namespace metaaug::ui
