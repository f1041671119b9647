// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug-workbench: the desktop application (option parsing and main()).
#include "common/runtime.h"
#include "mainwindow.h"
#include "screenshotdemo.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtWidgets/QApplication>

#include <cstdio>
#include <memory>

int main(int argc, char **argv)
{
    metaaug::configureRuntime();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("MetaAug Workbench"));
    QApplication::setOrganizationName(QStringLiteral("metaaug-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(METAAUG_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Quantize CNNs after training with MetaAug and baselines, watch runs live, "
                                               "browse and compare stored runs."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Run database (default $METAAUG_DB, else the user's data folder)."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("model"), QStringLiteral("Model to open, TorchScript (.pt) or ONNX (.onnx) (default: the last one, else the bundled ResNet-20)."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("calib"), QStringLiteral("Calibration data: fashion-mnist:train|test or a folder."), QStringLiteral("SOURCE")});
    p.addOption({QStringLiteral("eval"), QStringLiteral("Evaluation data: fashion-mnist:train|test or a folder."), QStringLiteral("SOURCE")});
    p.addOption({QStringLiteral("no-settings"), QStringLiteral("Start from the defaults; do not read or write remembered settings.")});
    p.addOption({QStringLiteral("screenshots"), QStringLiteral("Run a short MetaAug and a geniem run, save screenshots in DIR, print the event-loop lateness, quit."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("screenshot-spec"),
                 QStringLiteral("With --screenshots: run this one run spec (JSON) on the model and data given instead, and name the shots "
                                "after the model."),
                 QStringLiteral("FILE")});
    p.addPositionalArgument(QStringLiteral("model"), QStringLiteral("A model file to open (same as --model)."), QStringLiteral("[model]"));
    p.process(app);

    metaaug::ui::WorkbenchOptions o;
    o.dbPath = p.value(QStringLiteral("db"));
    o.modelPath = p.positionalArguments().isEmpty() ? p.value(QStringLiteral("model")) : p.positionalArguments().first();
    o.calibSource = p.value(QStringLiteral("calib"));
    o.evalSource = p.value(QStringLiteral("eval"));
    o.useSettings = !p.isSet(QStringLiteral("no-settings")) && !p.isSet(QStringLiteral("screenshots"));
    metaaug::ui::MainWindow window(o);
    window.show();
    std::unique_ptr<ScreenshotDemo> demo;
    if (p.isSet(QStringLiteral("screenshots"))) {
        QJsonObject spec;
        QString prefix = QStringLiteral("workbench");
        if (p.isSet(QStringLiteral("screenshot-spec"))) {
            QFile f(p.value(QStringLiteral("screenshot-spec")));
            QJsonParseError error;
            spec = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll(), &error).object() : QJsonObject();
            if (spec.isEmpty()) {
                std::fprintf(stderr, "metaaug-workbench: %s is not a JSON run spec\n", qPrintable(f.fileName()));
                return 2;
            }
            prefix = QFileInfo(o.modelPath).completeBaseName();
        }
        demo = std::make_unique<ScreenshotDemo>(window, p.value(QStringLiteral("screenshots")), spec, prefix);
        demo->begin();
    }
    return app.exec();
}
