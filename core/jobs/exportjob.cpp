// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportjob.h"

#include "common/hashing.h"
#include "plugin/exporter.h"
#include "model/model.h"
#include "plugin/pluginregistry.h"
#include "export/quantizedstate.h"
#include "run/runspec.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace metaaug::exporting {

Result<const Exporter *> findExporter(const QString &format)
{
    if (const Exporter *e = PluginRegistry::instance().exporter(format))
        return e;
    return makeError(ErrorCode::NotFound, QStringLiteral("unknown export format '%1' (available: %2)")
                                              .arg(format, PluginRegistry::instance().exporterIds().join(QStringLiteral(", "))));
}

Result<void> checkExportTarget(const QString &path)
{
    const QFileInfo f(path);
    const QFileInfo dir(f.absolutePath());
    if (!dir.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot export to %1: the folder %2 does not exist").arg(path, dir.filePath()));
    if (!dir.isWritable())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot export to %1: the folder %2 is not writable").arg(path, dir.filePath()));
    if (f.isDir())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("cannot export to %1: it is a folder").arg(path));
    return {};
}

Result<std::vector<store::ArtefactRow>> exportModel(const Model &model, const QuantizedState &state, const QJsonObject &run,
                                                    const QString &format, const QString &path)
{
    auto e = findExporter(format);
    if (!e)
        return e.error();
    if (auto r = checkExportTarget(path); !r)
        return r.error();
    OutputFiles files;
    try {
        if (auto r = (*e)->write(ExportInput{model, state, run}, path, files); !r)
            return r.error();
    } catch (const std::exception &ex) {
        return makeError(ErrorCode::Internal, QStringLiteral("the %1 export to %2 failed: %3")
                                                  .arg(format, path, exceptionSummary(ex)));
    }
    if (auto r = files.commit(); !r)
        return r.error();
    std::vector<store::ArtefactRow> rows;
    for (const QString &f : files.finalPaths()) {
        auto hash = sha256File(f);
        if (!hash)
            return hash.error();
        rows.push_back({QStringLiteral("export:") + format, QFileInfo(f).absoluteFilePath(), *hash,
                        QDateTime::currentDateTimeUtc().toString(Qt::ISODate), QFileInfo(f).size()});
    }
    return rows;
}

Result<std::vector<store::ArtefactRow>> exportStoredRun(store::RunStore &db, int64_t runId, const QString &format,
                                                        const QString &path)
{
    // Checked before the model is loaded.
    if (auto e = findExporter(format); !e)
        return e.error();
    if (auto r = checkExportTarget(path); !r)
        return r.error();
    auto row = db.run(runId);
    if (!row)
        return row.error();
    if (row->kind != QLatin1String(store::kQuantizeRun))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("run %1 is a %2 run: it has no quantized model to export").arg(runId).arg(row->kind));
    if (row->status != store::RunStatus::Succeeded)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("run %1 %2; only a succeeded run has a quantized model to export")
                                                         .arg(runId).arg(QLatin1String(store::statusName(row->status))));
    auto spec = RunSpec::fromJson(row->spec);
    if (!spec)
        return spec.error();
    auto stored = db.state(runId);
    if (!stored)
        return stored.error();
    auto model = loadSpecModel(*spec);
    if (!model)
        return model.error();
    const QString expected = row->identity.value(QLatin1String("model_sha256")).toString();
    if (!expected.isEmpty() && expected != model->sha256())
        return makeError(ErrorCode::BadFile, QStringLiteral("model %1 has changed since run %2 (SHA-256 %3, the run used %4)")
                                                 .arg(model->path()).arg(runId).arg(model->sha256().left(16), expected.left(16)));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(stored->encodingsJson, &pe);
    if (!doc.isObject())
        return makeError(ErrorCode::BadFile, QStringLiteral("run %1's stored encodings do not parse: %2").arg(runId).arg(pe.errorString()));
    auto state = fromEncodings(Encodings{doc.object(), stored->codes}, model->graph(), model->executor());
    if (!state)
        return state.error();
    const QJsonObject run{{"run_id", qint64(runId)}, {"spec", row->spec}, {"result", row->result}};
    auto rows = exportModel(*model, *state, run, format, path);
    if (!rows)
        return rows;
    for (const store::ArtefactRow &a : *rows)
        if (auto r = db.addArtefact(runId, a); !r)
            return r.error();
    return rows;
}

}  // namespace metaaug::exporting
