#include "commands.h"
#include "options.h"
#include "specflags.h"
#include "terminal.h"

#include "jobs/exportjob.h"
#include "run/presets.h"
#include "jobs/runjob.h"
#include "run/runspec.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>

#include <atomic>
#include <csignal>

namespace metaaug::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void onSignal(int) { g_stop = true; }

// Terminal progress (unit k/n, iteration, loss, ETA) and cancel on SIGINT/SIGTERM.
class CliSink : public RunSink {
public:
    CliSink() : m_bar(QStringLiteral("quantize")) {}
    void progress(const ProgressEvent &e) override
    {
        if (e.iterations <= 0)
            return;
        auto it = e.values.find(QStringLiteral("rec"));
        if (it == e.values.end())
            it = e.values.find(QStringLiteral("outer"));  // meta phase
        const QString extra = QStringLiteral("unit %1/%2 %3 %4 loss %5")
                                  .arg(e.unit + 1).arg(e.unitCount).arg(e.unitName)
                                  .arg(QLatin1String(runPhaseName(e.phase)))
                                  .arg(it == e.values.end() ? 0.0 : it->second, 0, 'g', 4);
        // Overall progress in iterations, assuming units take equal iteration counts.
        m_bar.update(qint64(e.unit) * e.iterations + e.iteration, qint64(e.unitCount) * e.iterations, extra);
    }
    void log(const QString &) override {}
    // Before any progress: files the data sources left out.
    void identity(const QJsonObject &id) override
    {
        for (const QString source : {QStringLiteral("calib"), QStringLiteral("eval")}) {
            const QString key = source + QStringLiteral("_skipped");
            const QJsonArray files = id.value(key).toArray();
            if (files.isEmpty())
                continue;
            printErr(QStringLiteral("warning: %1 %2 files skipped, first: %3")
                         .arg(id.value(key + QStringLiteral("_count")).toInteger())
                         .arg(source, files.first().toString()));
        }
    }
    bool shouldAbort() override { return g_stop.load(); }
    void finish() { m_bar.finish(); }

private:
    ProgressBar m_bar;
};

void printSummary(const QJsonObject &r)
{
    auto pct = [&](const char *k) {
        const QJsonValue v = r.value(QLatin1String(k));
        return v.isDouble() ? QString::number(v.toDouble(), 'f', 2) : QStringLiteral("-");
    };
    QStringList out;
    out << QStringLiteral("method %1  W%2A%3  seed %4  calib hash %5")
               .arg(r.value("method").toString()).arg(r.value("wbits").toInt()).arg(r.value("abits").toInt())
               .arg(r.value("seed").toString(), r.value("calib_hash").toString().left(16));
    out << QStringLiteral("top-1 test        FP %1 %   quantized %2 %").arg(pct("fp_top1"), pct("q_top1"));
    out << QStringLiteral("top-1 calibration FP %1 %   quantized %2 %   gap %3 pt").arg(pct("fp_calib_top1"), pct("q_calib_top1"), pct("gap"));
    out << QStringLiteral("agreement %1 %   KL(FP||Q) %2   wall %3 s").arg(pct("agreement"))
               .arg(r.value("kl").toDouble(), 0, 'g', 4).arg(r.value("wall_s").toDouble(), 0, 'f', 1);
    // A method's own per-unit metrics (MetaAug: t_change, t_mse, class_kept) get a column each.
    const QStringList standard{"name", "first_loss", "final_loss", "seconds", "median_iteration_ms"};
    QStringList extra;
    for (const QJsonValue &u : r.value("units").toArray())
        for (const QString &k : u.toObject().keys())
            if (!standard.contains(k) && !extra.contains(k))
                extra << k;
    QString header = QStringLiteral("%1 %2 %3 %4").arg(QStringLiteral("unit"), -16).arg(QStringLiteral("first loss"), 12)
                         .arg(QStringLiteral("final loss"), 12).arg(QStringLiteral("seconds"), 9);
    for (const QString &k : extra)
        header += QStringLiteral(" %1").arg(k, 11);
    out << QString() << header;
    for (const QJsonValue &u : r.value("units").toArray()) {
        const QJsonObject o = u.toObject();
        QString line = QStringLiteral("%1 %2 %3 %4").arg(o.value("name").toString(), -16)
                           .arg(o.value("first_loss").toDouble(), 12, 'g', 4).arg(o.value("final_loss").toDouble(), 12, 'g', 4)
                           .arg(o.value("seconds").toDouble(), 9, 'f', 1);
        for (const QString &k : extra)
            line += o.contains(k) ? QStringLiteral(" %1").arg(o.value(k).toDouble(), 11, 'g', 4) : QStringLiteral(" %1").arg(QStringLiteral("-"), 11);
        out << line;
    }
    const QJsonObject summary = r.value("method_summary").toObject();
    if (!summary.isEmpty()) {
        QStringList parts;
        for (auto it = summary.begin(); it != summary.end(); ++it)
            parts << QStringLiteral("%1 %2").arg(it.key(), it->isDouble() ? QString::number(it->toDouble(), 'g', 4) : it->toVariant().toString());
        out << QString() << QStringLiteral("method: ") + parts.join(QStringLiteral(", "));
    }
    out << QString() << QStringLiteral("%1 %2 %3 %4").arg(QStringLiteral("layer"), -24).arg(QStringLiteral("W/A"), 6)
                              .arg(QStringLiteral("weight dB"), 10).arg(QStringLiteral("output dB"), 10);
    for (const QJsonValue &l : r.value("layers").toArray()) {
        const QJsonObject o = l.toObject();
        out << QStringLiteral("%1 %2 %3 %4").arg(o.value("name").toString(), -24)
                   .arg(QStringLiteral("%1/%2").arg(o.value("wbits").toInt()).arg(o.value("abits").toInt() ? QString::number(o.value("abits").toInt()) : QStringLiteral("fp")), 6)
                   .arg(o.value("weight_sqnr_db").toDouble(), 10, 'f', 2).arg(o.value("output_sqnr_db").toDouble(), 10, 'f', 2);
    }
    for (const QJsonValue &e : r.value("exports").toArray())
        out << QStringLiteral("exported %1: %2").arg(e.toObject().value("format").toString(), e.toObject().value("path").toString());
    if (r.contains(QLatin1String("run_id")))
        out << QString() << QStringLiteral("recorded as run %1 (metaaug runs show %1)").arg(r.value("run_id").toInteger());
    printOut(out.join(QLatin1Char('\n')));
}

}  // namespace

int quantizeCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Quantize a model after training (PTQ) and report FP vs quantized accuracy, the calibration/test gap, "
        "agreement, KL and per-layer SQNR. Without --model: the bundled ResNet-20. Each flag shows its default; "
        "they keep the default run within a few minutes on a 2-core machine (the public code uses 20000 iterations). "
        "`metaaug spec --json-schema` publishes the same options as JSON Schema."));
    p.addHelpOption();
    addModelOptions(p);
    addSpecFlags(p);  // --method, --wbits, ... and every method's options, from core's tables
    p.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object with the results.")});
    {
        QStringList presets;
        for (const RunPreset &r : runPresets())
            presets << QStringLiteral("%1 (%2)").arg(r.id, r.description);
        p.addOption({QStringLiteral("preset"), QStringLiteral("Sets --calib-size, --iters, --eval-limit and method options together; "
                                                              "flags given as well win. One of: %1.").arg(presets.join(QStringLiteral("; "))),
                     QStringLiteral("NAME")});
    }
    addDbOption(p);
    p.addOption({QStringLiteral("no-store"), QStringLiteral("Do not record the run in the run database.")});
    p.addOption({QStringLiteral("export"), QStringLiteral("After the run, export the quantized model as FORMAT to PATH (repeatable). Formats:\n%1").arg(formatList()),
                 QStringLiteral("FORMAT:PATH")});
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    const RunPreset *preset = nullptr;
    if (p.isSet(QStringLiteral("preset")) && !(preset = findRunPreset(p.value(QStringLiteral("preset")))))
        return fail(QStringLiteral("--preset '%1' is not one of %2").arg(p.value(QStringLiteral("preset")), runPresetIds().join(QStringLiteral(", "))), Usage);
    auto given = specFromFlags(p);
    if (!given)
        return fail(given.error().message, Usage);
    QJsonObject specJson = applyPreset(preset, *given);
    specJson[QStringLiteral("model")] = modelPath(p);
    auto parsed = RunSpec::fromJson(specJson);  // the one validation every entry point runs
    if (!parsed)
        return fail(withFlagNames(parsed.error().message), Usage);
    RunSpec spec = *parsed;
    QString error;
    auto card = resolveCard(p, &error);
    if (!card)
        return fail(error);
    spec.card = card;

    std::vector<std::pair<QString, QString>> exports;
    for (const QString &e : p.values(QStringLiteral("export"))) {
        const qsizetype colon = e.indexOf(QLatin1Char(':'));
        const QString format = e.left(colon), path = colon < 0 ? QString() : e.mid(colon + 1);
        if (colon <= 0 || path.isEmpty())
            return fail(QStringLiteral("--export '%1' must be FORMAT:PATH").arg(e), Usage);
        // Refused before the run spends minutes, with exit code 2.
        if (auto r = exporting::findExporter(format); !r)
            return fail(QStringLiteral("--export: ") + r.error().message, Usage);
        if (auto r = exporting::checkExportTarget(path); !r)
            return fail(QStringLiteral("--export: ") + r.error().message, Usage);
        exports.emplace_back(format, path);
    }

    // Every run is recorded (also failed and cancelled ones) unless --no-store.
    std::unique_ptr<store::RunStore> db;
    if (!p.isSet(QStringLiteral("no-store"))) {
        auto opened = store::RunStore::open(dbPath(p));
        if (!opened)
            return fail(opened.error().message + QStringLiteral(" (use --db PATH or --no-store)"));
        db = std::move(*opened);
    }

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    CliSink sink;
    JobOutcome job = runJob(spec, db.get(), sink);
    sink.finish();
    for (const QString &w : job.warnings)
        printErr(QStringLiteral("metaaug: warning: ") + w);
    if (job.error) {
        const QString where = job.runId ? QStringLiteral(" (run %1)").arg(job.runId) : QString();
        if (job.error->code == ErrorCode::Aborted)
            return fail(QStringLiteral("run cancelled%1: %2").arg(where, job.error->message), Cancelled);
        return fail(job.error->message + where);
    }
    QJsonObject result = job.result;
    QJsonArray written;
    for (const auto &[format, path] : exports) {
        const QJsonObject runInfo{{"run_id", qint64(job.runId)}, {"spec", spec.toJson()}, {"result", job.result}};
        auto rows = exporting::exportModel(*job.model, *job.state, runInfo, format, path);
        if (!rows)
            return fail(QStringLiteral("the run succeeded%1 but its %2 export failed: %3")
                            .arg(job.runId ? QStringLiteral(" (run %1)").arg(job.runId) : QString(), format, rows.error().message));
        for (const store::ArtefactRow &a : *rows) {
            if (db)
                if (auto r = db->addArtefact(job.runId, a); !r)
                    printErr(QStringLiteral("metaaug: warning: ") + r.error().message);
            QJsonObject file = artefactJson(a);
            file[QStringLiteral("format")] = format;
            written.append(file);
        }
    }
    if (!written.isEmpty())
        result[QStringLiteral("exports")] = written;
    if (p.isSet(QStringLiteral("json")))
        printJson(result);
    else
        printSummary(result);
    return Ok;
}

}  // namespace metaaug::cli
