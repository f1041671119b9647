// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug report: one self-contained HTML file of a run, a comparison of
// runs, or a sweep (core/report).
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "report/htmlreport.h"

#include <QtCore/QCommandLineParser>

namespace metaaug::cli {

int reportCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "A report to share: one self-contained HTML file (no network, no scripts; charts as inline SVG) with the spec, the "
        "identity (model and calibration hashes, versions), the headline metrics, per-unit loss curves, per-layer SQNR and "
        "MetaAug's image strips; for a sweep, its matrix. Readable when printed."));
    p.addHelpOption();
    p.addOption({QStringLiteral("run"), QStringLiteral("The run to report."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("compare"), QStringLiteral("Runs side by side."), QStringLiteral("ID,ID,...")});
    p.addOption({QStringLiteral("sweep"), QStringLiteral("The sweep to report."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("out"), QStringLiteral("The HTML file to write."), QStringLiteral("FILE")});
    addDbOption(p);
    if (auto exit = parseCommandLine(p, args, CommandShape::Actions))
        return *exit;
    const int given = int(p.isSet(QStringLiteral("run"))) + int(p.isSet(QStringLiteral("compare"))) + int(p.isSet(QStringLiteral("sweep")));
    if (given != 1)
        return fail(QStringLiteral("give exactly one of --run ID, --compare ID,ID,... or --sweep ID"), Usage);
    if (!p.isSet(QStringLiteral("out")))
        return fail(QStringLiteral("--out FILE.html is missing"), Usage);
    std::vector<int64_t> ids;
    const QString list = p.value(p.isSet(QStringLiteral("run")) ? QStringLiteral("run") : p.isSet(QStringLiteral("sweep")) ? QStringLiteral("sweep") : QStringLiteral("compare"));
    for (const QString &part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.trimmed().toLongLong(&ok);
        if (!ok || id <= 0)
            return fail(QStringLiteral("'%1' is not an id (a positive whole number)").arg(part), Usage);
        ids.push_back(id);
    }
    auto opened = store::RunStore::open(dbPath(p));
    if (!opened)
        return fail(opened.error().message);
    auto html = p.isSet(QStringLiteral("run"))     ? report::runReport(**opened, ids.front())
                : p.isSet(QStringLiteral("sweep")) ? report::sweepReport(**opened, ids.front())
                                                   : report::compareReport(**opened, ids);
    if (!html)
        return fail(html.error().message);
    if (auto r = report::writeReport(*html, p.value(QStringLiteral("out"))); !r)
        return fail(r.error().message);
    printOut(QStringLiteral("report written to %1 (%2 KiB)").arg(p.value(QStringLiteral("out"))).arg(html->toUtf8().size() / 1024));
    return Ok;
}

}  // namespace metaaug::cli
