// The workbench's main window. For now the menu skeleton; the panels, the
// live run view and the runs browser come with the GUI issue.
#pragma once

#include <QtWidgets/QMainWindow>

class QAction;
class QMenu;

namespace metaaug::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Named actions, for tests and shortcuts.
    QAction *action(const QString &objectName) const;

private:
    void createMenus();
    void showAbout();

    QMenu *m_fileMenu = nullptr;
    QMenu *m_runMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
};

}  // namespace metaaug::ui
