// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "jobs/exportjob.h"
#include "plugin/pluginregistry.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>

namespace metaaug::cli {

QString formatList()
{
    QStringList lines;
    for (const exporting::Exporter *e : exporting::PluginRegistry::instance().exporters())
        lines << QStringLiteral("  %1  %2").arg(e->id(), -12).arg(e->title());
    for (const exporting::PluginFailure &f : exporting::PluginRegistry::instance().failures())
        lines << QStringLiteral("  (plugin %1 was not loaded: %2)").arg(f.file, f.reason);
    return lines.join(QLatin1Char('\n'));
}

QJsonObject artefactJson(const store::ArtefactRow &a)
{
    return QJsonObject{{"kind", a.kind}, {"path", a.path}, {"size", qint64(a.size)}, {"sha256", a.sha256}, {"created", a.created}};
}

int exportCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Export the quantized model of a stored run. Formats (plugins):\n") + formatList());
    p.addHelpOption();
    p.addOption({QStringLiteral("run"), QStringLiteral("Run id (see metaaug runs list)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("format"), QStringLiteral("Export format: %1.").arg(exporting::PluginRegistry::instance().exporterIds().join(QStringLiteral(", "))),
                 QStringLiteral("FORMAT")});
    p.addOption({QStringLiteral("out"), QStringLiteral("File to write (its folder must exist)."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("list"), QStringLiteral("List the formats and any plugin that failed to load.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the written files as JSON.")});
    addDbOption(p);
    addThreadsOption(p);
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    if (p.isSet(QStringLiteral("list"))) {
        printOut(formatList());
        return Ok;
    }
    for (const char *required : {"run", "format", "out"})
        if (!p.isSet(QLatin1String(required)))
            return fail(QStringLiteral("--%1 is required (metaaug export --run ID --format FORMAT --out PATH)").arg(QLatin1String(required)), Usage);
    QString error;
    qint64 run = 0;
    if (!intOption(p, "run", 1, std::numeric_limits<qint64>::max(), &run, &error))
        return fail(error, Usage);
    const QString format = p.value(QStringLiteral("format"));
    if (auto e = exporting::findExporter(format); !e)
        return fail(QStringLiteral("--format: ") + e.error().message, Usage);
    auto db = store::RunStore::open(dbPath(p));
    if (!db)
        return fail(db.error().message);
    auto rows = exporting::exportStoredRun(**db, run, format, p.value(QStringLiteral("out")));
    if (!rows)
        return fail(rows.error().message);
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray files;
        for (const store::ArtefactRow &a : *rows)
            files.append(artefactJson(a));
        printJson(QJsonObject{{"run_id", run}, {"format", format}, {"files", files}});
    } else {
        for (const store::ArtefactRow &a : *rows)
            printOut(QStringLiteral("wrote %1 (%2 bytes, sha256 %3)").arg(a.path).arg(a.size).arg(a.sha256.left(16)));
    }
    return Ok;
}

}  // namespace metaaug::cli
