// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug inspect --run ID [--layer NAME] [--json]: why a stored run lost
// accuracy (docs/inspector.md): the error-propagation table, ranked by the
// error each layer injects, and the diagnosis.
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "store/runstore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonObject>

#include <cmath>

namespace metaaug::cli {

namespace {

QString dbText(const std::optional<double> &v) { return v ? QString::number(*v, 'f', 2) : QStringLiteral("exact"); }

}  // namespace

int inspectCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Why a stored run lost accuracy: for every quantized layer the local error (this layer alone on FP input, "
        "weights and input apart), the error that reaches it and leaves it, and the error it injects (dB), ranked; "
        "then the diagnosis (outlier channels, scale mismatches, signed data in unsigned quantizers, dead channels, "
        "low-bit ends, calibration data unlike the evaluation data)."));
    p.addHelpOption();
    p.addOption({QStringLiteral("run"), QStringLiteral("The stored run."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("layer"), QStringLiteral("Only this layer's row and the findings that name it."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object: run_id, propagation (ranked), diagnosis.")});
    addDbOption(p);
    addThreadsOption(p);
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    bool ok = false;
    const qint64 id = p.value(QStringLiteral("run")).toLongLong(&ok);
    if (!p.isSet(QStringLiteral("run")) || !ok || id <= 0)
        return fail(QStringLiteral("inspect needs --run ID (a positive run id, see `metaaug runs list`)"), Usage);
    auto opened = store::RunStore::open(dbPath(p));
    if (!opened)
        return fail(opened.error().message);
    auto run = (*opened)->run(id);
    if (!run)
        return fail(run.error().message);
    const std::optional<RunResult> r = run->typedResult();
    if (!r)
        return fail(QStringLiteral("run %1 has no quantization result (%2, %3)")
                        .arg(id).arg(run->kind, QLatin1String(store::statusName(run->status))));
    if (r->propagation.empty())
        return fail(QStringLiteral("run %1 has no error-propagation table: it was stored by a version before it; "
                                   "rerun it with `metaaug quantize --rerun %1`").arg(id));
    std::vector<analysis::LayerPropagation> rows = analysis::rankedByInjected(r->propagation);
    std::vector<analysis::Finding> findings = r->findings;
    const QString layer = p.value(QStringLiteral("layer"));
    if (!layer.isEmpty()) {
        std::vector<analysis::LayerPropagation> one;
        for (const auto &row : rows)
            if (row.layer == layer)
                one.push_back(row);
        if (one.empty()) {
            QStringList names;
            for (const auto &row : r->propagation)
                names << row.layer;
            return fail(QStringLiteral("run %1 has no quantized layer '%2'; its layers: %3").arg(id).arg(layer, names.join(", ")));
        }
        rows = one;
        findings.erase(std::remove_if(findings.begin(), findings.end(), [&](const auto &f) { return f.layer != layer; }),
                       findings.end());
    }
    if (p.isSet(QStringLiteral("json"))) {
        printJson(QJsonObject{{"run_id", id}, {"propagation", analysis::propagationJson(rows)},
                              {"diagnosis", analysis::findingsJson(findings)}});
        return Ok;
    }
    QStringList lines;
    lines << QStringLiteral("run %1 on its calibration images, ranked by the error each layer injects (noise it adds over the "
                            "signal, dB; 0 dB: as strong as the signal); the others are SQNR in dB").arg(id)
          << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
                 .arg("layer", -24).arg("injected", 9).arg("input", 8).arg("output", 8).arg("drop", 7).arg("local", 8).arg("weights", 8)
                 .arg("input q", 8).arg("cosine", 8);
    auto opt = [](const std::optional<double> &v, int w) { return QStringLiteral("%1").arg(v ? QString::number(*v, 'f', 2) : QStringLiteral("-"), w); };
    for (const auto &row : rows)
        lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9")
                     .arg(row.layer, -24).arg(opt(row.injectedDb, 9))
                     .arg(dbText(row.inputDb), 8).arg(dbText(row.outputDb), 8).arg(opt(row.dropDb, 7)).arg(dbText(row.localDb), 8)
                     .arg(dbText(row.localWeightDb), 8).arg(dbText(row.localActivationDb), 8).arg(row.outputCosine, 8, 'f', 4);
    lines << QString();
    if (findings.empty())
        lines << QStringLiteral("diagnosis: nothing found");
    for (const auto &f : findings)
        lines << QStringLiteral("diagnosis [%1]: %2 → try: %3").arg(f.check, f.detail, f.experiment);
    printOut(lines.join('\n'));
    return Ok;
}

}  // namespace metaaug::cli
