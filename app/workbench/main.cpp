// metaaug-workbench: the desktop application.
#include "common/runtime.h"
#include "mainwindow.h"

#include <QtWidgets/QApplication>

int main(int argc, char **argv)
{
    metaaug::configureRuntime();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("MetaAug Workbench"));
    QApplication::setOrganizationName(QStringLiteral("metaaug-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(METAAUG_VERSION));
    metaaug::ui::MainWindow window;
    window.show();
    return app.exec();
}
