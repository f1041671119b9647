// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "options.h"
#include "specflags.h"
#include "terminal.h"

#include "common/runtime.h"
#include "events/runprogress.h"
#include "jobs/exportjob.h"
#include "quant/layerbits.h"
#include "run/presets.h"
#include "jobs/runjob.h"
#include "run/runspec.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonArray>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <csignal>
#include <unistd.h>

namespace metaaug::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void onSignal(int) { g_stop = true; }

// Seconds between two lines within one step off a terminal
// ($METAAUG_PROGRESS_EVERY_S overrides it, for tests).
double progressLineSeconds()
{
    bool ok = false;
    const double s = qEnvironmentVariable("METAAUG_PROGRESS_EVERY_S").toDouble(&ok);
    return ok && s >= 0 ? s : 15.0;
}

// Progress and cancel on SIGINT/SIGTERM. Where the run is comes from
// core's RunProgress: "warm-up step 12/300 · ETA ~1:20 (at most)". On a
// terminal, one line per step, redrawn in place (a bar of the step);
// elsewhere (a log file, CI, a pipe) a line when a step starts and every
// 15 s within it, so a long step never looks hung. The run's plan is
// printed first. --quiet: none of it.
class CliSink : public RunSink {
public:
    explicit CliSink(bool quiet) : m_quiet(quiet), m_tty(isatty(STDERR_FILENO) == 1), m_every(progressLineSeconds()) {}
    void plan(const QStringList &lines) override
    {
        if (m_quiet)
            return;
        finish();  // not after a step's bar on the same line
        for (const QString &l : lines)
            printErr(l);
    }
    void progress(const ProgressEvent &e) override
    {
        if (m_quiet)
            return;
        const bool started = m_progress.add(e);
        if (e.phase == RunPhase::Done) {
            finish();
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (m_tty) {
            if (started)
                finish();  // the previous step's line stays as it ended
            else if (now - m_lastDraw < std::chrono::milliseconds(100))
                return;
            m_lastDraw = now;
            std::fputs(("\r" + barLine() + QStringLiteral("\x1b[K")).toLocal8Bit().constData(), stderr);
            std::fflush(stderr);
            m_drawn = true;
            return;
        }
        if (!started && std::chrono::duration<double>(now - m_lastLine).count() < m_every)
            return;
        m_lastLine = now;
        const double gib = double(1ll << 30);
        printErr(QStringLiteral("[%1 s] %2 · RSS %3 GiB, peak %4")
                     .arg(e.elapsedSeconds, 6, 'f', 1).arg(m_progress.text())
                     .arg(double(residentBytes()) / gib, 0, 'f', 2).arg(double(peakResidentBytes()) / gib, 0, 'f', 2));
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
            finish();
            printErr(QStringLiteral("warning: %1 %2 files skipped, first: %3")
                         .arg(id.value(key + QStringLiteral("_count")).toInteger())
                         .arg(source, files.first().toString()));
        }
    }
    bool shouldAbort() override { return g_stop.load(); }
    void finish()
    {
        if (m_drawn)
            std::fputc('\n', stderr);
        m_drawn = false;
    }

private:
    // "[  12.3 s] [#####.........] warm-up step 12/300 · ETA ~1:20 (at most)"
    QString barLine() const
    {
        const double f = m_progress.stepFraction();
        constexpr int width = 20;
        const QString bar = f < 0 ? QString(width, QLatin1Char('~'))  // a step without a count
                                  : QString(int(f * width), QLatin1Char('#')) + QString(width - int(f * width), QLatin1Char('.'));
        return QStringLiteral("[%1 s] [%2] %3").arg(m_progress.last().elapsedSeconds, 6, 'f', 1).arg(bar, m_progress.text());
    }

    RunProgress m_progress;
    bool m_quiet, m_tty;
    double m_every;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_lastLine, m_lastDraw;
};

QString metric(const RunResult &r, const char *key)
{
    return findResultMetric(QLatin1String(key))->format(r);
}

// The result as a terminal summary; labels, units and precision from resultMetrics().
void printSummary(const RunResult &r, const QJsonArray &exports)
{
    QStringList out;
    out << QStringLiteral("method %1  W%2A%3  seed %4  calib hash %5").arg(r.method).arg(r.wbits).arg(r.abits).arg(r.seed, r.calibHash.left(16));
    out << QStringLiteral("top-1 test        FP %1   quantized %2").arg(metric(r, "fp_top1"), metric(r, "q_top1"));
    out << QStringLiteral("top-1 calibration FP %1   quantized %2   gap %3").arg(metric(r, "fp_calib_top1"), metric(r, "q_calib_top1"), metric(r, "gap"));
    out << QStringLiteral("agreement %1   KL(FP||Q) %2   wall %3").arg(metric(r, "agreement"), metric(r, "kl"), metric(r, "wall_s"));
    // A method's own per-unit metrics (MetaAug: t_change, t_mse, class_kept) get a column each.
    QStringList extra;
    for (const UnitResult &u : r.units)
        for (const auto &[k, v] : u.metrics)
            if (!extra.contains(k))
                extra << k;
    QString header = QStringLiteral("%1 %2 %3 %4").arg(QStringLiteral("unit"), -16).arg(QStringLiteral("first loss"), 12)
                         .arg(QStringLiteral("final loss"), 12).arg(QStringLiteral("seconds"), 9);
    for (const QString &k : extra)
        header += QStringLiteral(" %1").arg(k, 11);
    out << QString() << header;
    for (const UnitResult &u : r.units) {
        QString line = QStringLiteral("%1 %2 %3 %4").arg(u.name, -16).arg(u.firstLoss, 12, 'g', 4).arg(u.finalLoss, 12, 'g', 4).arg(u.seconds, 9, 'f', 1);
        for (const QString &k : extra) {
            auto it = u.metrics.find(k);
            line += it != u.metrics.end() ? QStringLiteral(" %1").arg(it->second, 11, 'g', 4) : QStringLiteral(" %1").arg(QStringLiteral("-"), 11);
        }
        out << line;
    }
    if (!r.methodSummary.isEmpty()) {
        QStringList parts;
        for (auto it = r.methodSummary.begin(); it != r.methodSummary.end(); ++it)
            parts << QStringLiteral("%1 %2").arg(it.key(), it->isDouble() ? QString::number(it->toDouble(), 'g', 4) : it->toVariant().toString());
        out << QString() << QStringLiteral("method: ") + parts.join(QStringLiteral(", "));
    }
    out << QString() << QStringLiteral("%1 %2 %3 %4").arg(QStringLiteral("layer"), -24).arg(QStringLiteral("W/A"), 6)
                              .arg(QStringLiteral("weight dB"), 10).arg(QStringLiteral("output dB"), 10);
    auto db = [](const std::optional<double> &v) { return v ? QString::number(*v, 'f', 2) : QStringLiteral("inf"); };
    for (const LayerResult &l : r.layers)
        out << QStringLiteral("%1 %2 %3 %4").arg(l.name, -24)
                   .arg(QStringLiteral("%1/%2").arg(l.wbits).arg(l.abits ? QString::number(l.abits) : QStringLiteral("fp")), 6)
                   .arg(db(l.weightSqnrDb), 10).arg(db(l.outputSqnrDb), 10);
    for (const QJsonValue &e : exports)
        out << QStringLiteral("exported %1: %2").arg(e.toObject().value("format").toString(), e.toObject().value("path").toString());
    if (r.runId)
        out << QString() << QStringLiteral("recorded as run %1 (metaaug runs show %1)").arg(r.runId);
    printOut(out.join(QLatin1Char('\n')));
}

// A bits file: the JSON object of quant::layerBitsFromJson; errors name the file.
Result<quant::LayerBitsMap> readBitsFile(const QString &path)
{
    QFile f(path);
    if (QFileInfo(path).isDir())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--bits-file %1 is a folder, not a JSON file").arg(path));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("--bits-file %1 cannot be read: %2").arg(path, f.errorString()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--bits-file %1 is not a JSON object: %2")
                                                         .arg(path, pe.error != QJsonParseError::NoError ? pe.errorString() : QStringLiteral("not an object")));
    auto bits = quant::layerBitsFromJson(doc.object());
    if (!bits)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--bits-file %1: %2").arg(path, bits.error().message));
    return *bits;
}

}  // namespace

namespace {

Result<QJsonObject> readSpecFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("--spec: cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--spec: %1 is not a JSON object: %2").arg(path, error.errorString()));
    return doc.object();
}

// The stored run that --rerun names: a quantization run of the database.
Result<store::RunRow> storedRunForRerun(const QCommandLineParser &p)
{
    bool ok = false;
    const qint64 id = p.value(QStringLiteral("rerun")).toLongLong(&ok);
    if (!ok || id < 1)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--rerun '%1' must be a run id (a whole number from 1)").arg(p.value(QStringLiteral("rerun"))));
    auto db = store::RunStore::open(dbPath(p));
    if (!db)
        return db.error();
    auto row = (*db)->run(id);
    if (!row)
        return row.error();
    if (row->kind != QLatin1String(store::kQuantizeRun))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("run %1 is a %2 run; --rerun takes quantization runs").arg(id).arg(row->kind));
    return *row;  // its record keys (engine_version, allocation) are accepted by RunSpec::fromJson
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
    p.addOption({QStringLiteral("spec"),
                 QStringLiteral("A whole run spec from a JSON file (the keys of `metaaug spec --defaults`; what a sweep's points "
                                "run); flags given as well win."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("rerun"),
                 QStringLiteral("Run stored run ID's spec again (its card values, seed and options) and say whether the quantized "
                                "weights are identical (qweights_sha256); flags given as well win."),
                 QStringLiteral("ID")});
    p.addOption({QStringLiteral("bits-file"),
                 QStringLiteral("Per-layer bits from a JSON file: {\"layer\": W, \"layer\": {\"w\": W, \"a\": A}, ...} (names as "
                                "`metaaug info` prints them); sets --layer-bits."),
                 QStringLiteral("FILE")});
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
    p.addOption({QStringLiteral("quiet"), QStringLiteral("No plan and no progress on stderr (errors and warnings still go there).")});
    p.addOption({QStringLiteral("export"), QStringLiteral("After the run, export the quantized model as FORMAT to PATH (repeatable). Formats:\n%1").arg(formatList()),
                 QStringLiteral("FORMAT:PATH")});
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    const RunPreset *preset = nullptr;
    QString error;
    if (!presetOption(p, &preset, &error))
        return fail(error, Usage);
    auto given = specFromFlags(p);
    if (!given)
        return fail(given.error().message, Usage);
    QJsonObject fromFile;
    std::optional<store::RunRow> rerunOf;
    if (p.isSet(QStringLiteral("rerun"))) {
        if (p.isSet(QStringLiteral("spec")))
            return fail(QStringLiteral("give --spec or --rerun, not both"), Usage);
        auto stored = storedRunForRerun(p);
        if (!stored)
            return fail(stored.error().message, Usage);
        rerunOf = *stored;
        fromFile = stored->spec;
    } else if (p.isSet(QStringLiteral("spec"))) {
        auto read = readSpecFile(p.value(QStringLiteral("spec")));
        if (!read)
            return fail(read.error().message, Usage);
        fromFile = *read;
    }
    QJsonObject specJson = applyPreset(preset, mergeSpecJson(fromFile, *given));
    if (p.isSet(QStringLiteral("model")) || !specJson.value(QLatin1String("model")).isString())
        specJson[QStringLiteral("model")] = modelPath(p);
    if (p.isSet(QStringLiteral("bits-file"))) {
        if (p.isSet(QStringLiteral("layer-bits")))
            return fail(QStringLiteral("give per-layer bits by --bits-file or by --layer-bits, not both"), Usage);
        auto bits = readBitsFile(p.value(QStringLiteral("bits-file")));
        if (!bits)
            return fail(bits.error().message, Usage);
        specJson[QStringLiteral("layer_bits")] = quant::formatLayerBits(*bits);
    }
    auto parsed = RunSpec::fromJson(specJson);  // the one validation every entry point runs
    if (!parsed)
        return fail(withFlagNames(parsed.error().message), Usage);
    RunSpec spec = *parsed;
    // A spec file's (or a rerun's) model keeps its own card (the file's "card",
    // else the one beside the model) unless flags name the model or the card.
    if ((!p.isSet(QStringLiteral("spec")) && !rerunOf) || p.isSet(QStringLiteral("model")) || p.isSet(QStringLiteral("card")) ||
        p.isSet(QStringLiteral("input-shape"))) {
        auto card = resolveCard(p, &error);
        if (!card)
            return fail(error);
        spec.card = card;
    }

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

    // Test-only (the local sweep executor's crash-isolation test): die as a crashing run would.
    if (qEnvironmentVariableIsSet("METAAUG_TEST_ABORT"))
        std::abort();
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    CliSink sink(p.isSet(QStringLiteral("quiet")));
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
    QJsonArray written;
    for (const auto &[format, path] : exports) {
        const QJsonObject runInfo{{"run_id", qint64(job.runId)}, {"spec", spec.toJson()}, {"result", job.result.toJson()}};
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
    // A rerun says whether it reproduced the stored run bit for bit.
    QJsonObject rerun;
    if (rerunOf) {
        const std::optional<RunResult> before = rerunOf->typedResult();
        const QString was = before ? before->qweightsSha256 : QString();
        rerun = QJsonObject{{"of", qint64(rerunOf->id)},
                            {"qweights_sha256_before", was.isEmpty() ? QJsonValue() : QJsonValue(was)},
                            {"identical", !was.isEmpty() && was == job.result.qweightsSha256}};
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject result = job.result.toJson();
        if (!written.isEmpty())
            result[QStringLiteral("exports")] = written;
        if (rerunOf)
            result[QStringLiteral("rerun")] = rerun;
        printJson(result);
    } else {
        printSummary(job.result, written);
        if (rerunOf)
            printOut(rerun.value(QLatin1String("qweights_sha256_before")).isNull()
                         ? QStringLiteral("rerun of run %1: it has no stored result (%2) to compare with").arg(rerunOf->id).arg(QLatin1String(statusName(rerunOf->status)))
                     : rerun.value(QLatin1String("identical")).toBool()
                         ? QStringLiteral("rerun of run %1: quantized weights identical (qweights_sha256 %2)").arg(rerunOf->id).arg(job.result.qweightsSha256)
                         : QStringLiteral("rerun of run %1: quantized weights DIFFER (qweights_sha256 was %2, now %3)")
                               .arg(rerunOf->id).arg(rerun.value(QLatin1String("qweights_sha256_before")).toString(), job.result.qweightsSha256));
    }
    return Ok;
}

}  // namespace metaaug::cli
