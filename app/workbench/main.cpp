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
#include <cstring>
#include <memory>

namespace {

void nameApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("MetaAug Workbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("metaaug-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(METAAUG_VERSION));
}

void addOptions(QCommandLineParser &p)
{
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
}

// --help and --version answer without a display: no QApplication (which
// aborts when no display can be opened) is made for them.
bool asksForHelpOrVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char *flag : {"--help", "-h", "-?", "--help-all", "--version", "-v"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

}  // namespace

int main(int argc, char **argv)
{
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication core(argc, argv);
        nameApplication();
        QCommandLineParser p;
        addOptions(p);
        p.process(core);  // prints the help or version and exits
        return 0;
    }
    metaaug::configureRuntime();
    QApplication app(argc, argv);
    nameApplication();
    QCommandLineParser p;
    addOptions(p);
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
