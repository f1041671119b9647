#include "torchscriptplugin.h"

#include "export/quantizedstate.h"
#include "model/model.h"
#include "scriptwriter.h"

#include <torch/script.h>

namespace metaaug::plugins {

Result<void> TorchScriptPlugin::write(const exporting::ExportInput &in, const QString &path, exporting::OutputFiles &files) const
{
    const PreprocessSpec &pre = in.model.card().preprocess;
    auto script = writeScript(in.model.graph(), in.state, torch::zeros({1, pre.channels, pre.height, pre.width}));
    if (!script)
        return script.error();
    torch::jit::Module module("MetaAugQuantized");
    for (const auto &[name, tensor] : script->buffers)
        module.register_buffer(name, tensor);
    module.define(script->source);
    module.eval();
    QJsonObject meta = in.run;
    meta[QStringLiteral("model")] = in.model.path();
    meta[QStringLiteral("model_sha256")] = in.model.sha256();
    meta[QStringLiteral("card")] = in.model.card().json;
    const QByteArray metaJson = QJsonDocument(meta).toJson(QJsonDocument::Indented);
    torch::jit::ExtraFilesMap extra{{"metaaug.json", metaJson.toStdString()}};
    const QString temp = files.create(path);
    try {
        module.save(temp.toStdString(), extra);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::OutOfResources, QStringLiteral("could not write %1: %2")
                                                        .arg(path, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
    return {};
}

}  // namespace metaaug::plugins
