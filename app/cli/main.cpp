// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug: the command-line front end of MetaAug Workbench.
#include "commands.h"
#include "terminal.h"

#include "common/runtime.h"

#include <QtCore/QCoreApplication>

#include <functional>
#include <map>

namespace {

struct Command {
    const char *summary;
    std::function<int(const QStringList &)> run;
};

const std::map<QString, Command> &commands()
{
    static const std::map<QString, Command> table{
        {QStringLiteral("eval"), {"Top-1 accuracy of a model on a data source", metaaug::cli::evalCommand}},
        {QStringLiteral("quantize"), {"Quantize a model (rtn, adaround, brecq, qdrop, geniem, metaaug), record and report", metaaug::cli::quantizeCommand}},
        {QStringLiteral("info"), {"Layers and reconstruction units of a model; --verify checks the engine", metaaug::cli::infoCommand}},
        {QStringLiteral("inspect"), {"Why a stored run lost accuracy: error propagation per layer and the diagnosis", metaaug::cli::inspectCommand}},
        {QStringLiteral("runs"), {"The run database: list, show, compare, delete, export, import", metaaug::cli::runsCommand}},
        {QStringLiteral("export"), {"Export a stored run's quantized model (torchscript, onnx-qdq, encodings, ...)", metaaug::cli::exportCommand}},
        {QStringLiteral("spec"), {"The run spec as data: --json-schema, --defaults [--preset], --check FILE", metaaug::cli::specCommand}},
        {QStringLiteral("sensitivity"), {"Per-layer RTN sensitivity of a model at candidate bit-widths (KL, agreement, SQNR)", metaaug::cli::sensitivityCommand}},
        {QStringLiteral("sweep"), {"A grid of runs from a sweep file: run, status, cancel, list, show (the sweep matrix)", metaaug::cli::sweepCommand}},
        {QStringLiteral("report"), {"One self-contained HTML report of a run, a comparison or a sweep", metaaug::cli::reportCommand}},
        {QStringLiteral("bench"), {"Time the conv/matmul kernels (runtime settings check)", metaaug::cli::benchCommand}},
        {QStringLiteral("soak"), {"Many short runs in one process: leaks, memory growth, database integrity", metaaug::cli::soakCommand}},
    };
    return table;
}

QString usage()
{
    QString s = QStringLiteral(
        "Usage: metaaug <command> [options]\n\n"
        "Post-training quantization of CNNs with MetaAug and baselines.\n\n"
        "Commands:\n");
    for (const auto &[name, cmd] : commands())
        s += QStringLiteral("  %1 %2\n").arg(name, -10).arg(QLatin1String(cmd.summary));
    s += QStringLiteral(
        "\nRun 'metaaug <command> --help' for a command's options.\n"
        "With no --model, commands use the bundled ResNet-20 and its card; with no --data, fashion-mnist:test.\n\n"
        "Options:\n  -h, --help     Show this help.\n  -v, --version  Show the version.");
    return s;
}

}  // namespace

int main(int argc, char **argv)
{
    metaaug::configureRuntime();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("metaaug"));
    QCoreApplication::setApplicationVersion(QStringLiteral(METAAUG_VERSION));

    const QStringList args = app.arguments();
    if (args.size() < 2 || args[1] == QLatin1String("-h") || args[1] == QLatin1String("--help") || args[1] == QLatin1String("help")) {
        metaaug::cli::printOut(usage());
        return args.size() < 2 ? metaaug::cli::Usage : metaaug::cli::Ok;
    }
    if (args[1] == QLatin1String("-v") || args[1] == QLatin1String("--version")) {
        metaaug::cli::printOut(QStringLiteral("metaaug " METAAUG_VERSION));
        return metaaug::cli::Ok;
    }
    const auto it = commands().find(args[1]);
    if (it == commands().end())
        return metaaug::cli::fail(QStringLiteral("unknown command '%1'\n\n%2").arg(args[1], usage()), metaaug::cli::Usage);
    QStringList rest = args;
    rest.removeAt(1);
    rest[0] = QStringLiteral("metaaug ") + args[1];
    return it->second.run(rest);
}
