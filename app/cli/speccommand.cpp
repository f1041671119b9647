// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "options.h"
#include "terminal.h"

#include "common/paths.h"
#include "run/presets.h"
#include "run/runspec.h"
#include "run/specschema.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>

namespace metaaug::cli {

// `metaaug spec`: the run contract for scripts and sweep files.
int specCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The run spec (what `metaaug quantize` runs) as data: its JSON Schema, a preset's complete spec, or a check of a spec file."));
    p.addHelpOption();
    p.addOption({QStringLiteral("json-schema"), QStringLiteral("Print the run spec's JSON Schema (draft 2020-12): every field and each method's options.")});
    p.addOption({QStringLiteral("defaults"), QStringLiteral("Print the spec a run gets from the defaults (and --preset).")});
    p.addOption({QStringLiteral("preset"), QStringLiteral("With --defaults: one of %1.").arg(runPresetIds().join(QStringLiteral(", "))), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("check"), QStringLiteral("Validate a spec file (JSON) as the engine would, without running it."), QStringLiteral("FILE")});
    addThreadsOption(p);
    if (auto exit = parseCommandLine(p, args))
        return *exit;
    if (p.isSet(QStringLiteral("json-schema"))) {
        printJson(runSpecSchema());
        return Ok;
    }
    if (p.isSet(QStringLiteral("defaults"))) {
        const RunPreset *preset = nullptr;
        QString error;
        if (!presetOption(p, &preset, &error))
            return fail(error, Usage);
        QJsonObject spec = applyPreset(preset, {});
        spec[QStringLiteral("model")] = defaultModelPath();
        auto checked = RunSpec::fromJson(spec);
        if (!checked)
            return fail(checked.error().message);
        auto options = checked->validate();
        spec = checked->toJson();
        if (options)
            spec[QStringLiteral("method_options")] = *options;
        printJson(spec);
        return Ok;
    }
    if (p.isSet(QStringLiteral("check"))) {
        const QString path = p.value(QStringLiteral("check"));
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("%1: %2").arg(path, f.errorString()));
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &e);
        if (e.error != QJsonParseError::NoError || !doc.isObject())
            return fail(QStringLiteral("%1 is not a JSON object (%2 at offset %3)").arg(path, e.errorString()).arg(e.offset));
        auto spec = RunSpec::fromJson(doc.object());
        if (!spec)
            return fail(QStringLiteral("%1: %2").arg(path, spec.error().message));
        printOut(QStringLiteral("%1: a valid run spec (method %2)").arg(path, spec->method));
        return Ok;
    }
    return fail(QStringLiteral("give --json-schema, --defaults or --check FILE (see --help)"), Usage);
}

}  // namespace metaaug::cli
