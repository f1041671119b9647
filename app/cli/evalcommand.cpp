// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "options.h"
#include "model/classcheck.h"
#include "terminal.h"

#include "data/datasource.h"
#include "eval/accuracy.h"
#include "model/model.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>

namespace metaaug::cli {

int evalCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Evaluate a model's top-1 accuracy on a labelled data source, run by the engine (the graph IR the quantizers work on)."));
    p.addHelpOption();
    addModelOptions(p);
    p.addOption({QStringLiteral("data"),
                 QStringLiteral("Data source: fashion-mnist:train, fashion-mnist:test (default) or a folder with one sub-folder per class."),
                 QStringLiteral("SOURCE"), QStringLiteral("fashion-mnist:test")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("Evaluate only the first N images."), QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("batch"), QStringLiteral("Batch size (default 256)."), QStringLiteral("B"), QStringLiteral("256")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object (top1, n, correct, ...) on stdout.")});
    addThreadsOption(p);
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    QString error;
    qint64 limit = 0, batch = 0;
    if (!intOption(p, "limit", 0, std::numeric_limits<qint64>::max(), &limit, &error) ||
        !intOption(p, "batch", 1, 65536, &batch, &error))
        return fail(error, Usage);

    QElapsedTimer timer;
    timer.start();
    auto model = loadModelWithCard(p);
    if (!model)
        return fail(model.error().message);
    const ModelCard *card = &model->card();
    auto data = openDataSource(p.value(QStringLiteral("data")), card->preprocess);
    if (!data)
        return fail(data.error().message);

    {
        torch::NoGradGuard ng;
        const PreprocessSpec &pre = card->preprocess;
        const int outputs = int(model->executor().run(torch::zeros({1, pre.channels, pre.height, pre.width})).size(1));
        for (const QString &w : classMismatchWarnings({data->source, data->classNames, data->labelled(), outputs, card->classNames}))
            printErr(QStringLiteral("metaaug: warning: ") + w);
    }
    ProgressBar bar(QStringLiteral("eval"));
    AccuracyOptions opts;
    opts.limit = limit;
    opts.batch = batch;
    opts.progress = [&bar](int64_t done, int64_t total) {
        bar.update(done, total);
        return true;
    };
    auto acc = evaluateTop1([&](const torch::Tensor &x) { return model->forward(x); }, *data, opts);
    bar.finish();
    if (!acc)
        return fail(acc.error().message);
    const double seconds = timer.elapsed() / 1000.0;

    if (p.isSet(QStringLiteral("json"))) {
        printJson(QJsonObject{{QStringLiteral("model"), model->path()},
                              {QStringLiteral("model_sha256"), model->sha256()},
                              {QStringLiteral("data"), data->source},
                              {QStringLiteral("n"), qint64(acc->n)},
                              {QStringLiteral("correct"), qint64(acc->correct)},
                              {QStringLiteral("top1"), acc->top1},
                              {QStringLiteral("card_top1"), card->fpTestTop1},
                              {QStringLiteral("skipped"), int(data->skipped.size())},
                              {QStringLiteral("wall_s"), seconds}});
    } else {
        printOut(QStringLiteral("model   %1\ndata    %2 (%3 images%4)\ntop-1   %5 % (%6 / %7)%8\ntime    %9 s")
                     .arg(model->path(), data->source)
                     .arg(data->size())
                     .arg(data->skipped.empty() ? QString() : QStringLiteral(", %1 files skipped").arg(data->skipped.size()))
                     .arg(acc->top1, 0, 'f', 2).arg(acc->correct).arg(acc->n)
                     .arg(card->fpTestTop1 >= 0 ? QStringLiteral("   [card: %1 %]").arg(card->fpTestTop1, 0, 'f', 2) : QString())
                     .arg(seconds, 0, 'f', 2));
    }
    return Ok;
}

}  // namespace metaaug::cli
