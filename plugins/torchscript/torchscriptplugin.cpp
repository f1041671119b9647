// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchscriptplugin.h"

#include "export/quantizedstate.h"
#include "model/model.h"
#include "scriptwriter.h"

#include <torch/script.h>

#include <QtCore/QFile>

#include <sstream>

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
    // Saved to memory first: LibTorch's archive writer throws from its
    // destructor when the disk fills, which would end the process.
    std::ostringstream bytes;
    module.save(bytes, extra);
    const std::string data = bytes.str();
    QFile out(files.create(path));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(data.data(), qint64(data.size())) != qint64(data.size())
        || !out.flush())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("could not write %1 (%2 bytes): %3")
                                                        .arg(path).arg(data.size()).arg(out.errorString()));
    return {};
}

}  // namespace metaaug::plugins
