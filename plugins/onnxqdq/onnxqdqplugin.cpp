// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnxqdqplugin.h"

#include "model/model.h"
#include "onnxwriter.h"

#include <onnx/checker.h>

#include <fstream>

namespace metaaug::plugins {

Result<void> OnnxQdqPlugin::write(const exporting::ExportInput &in, const QString &path, exporting::OutputFiles &files) const
{
    const PreprocessSpec &pre = in.model.card().preprocess;
    auto model = writeOnnx(in.model.graph(), in.state, torch::zeros({1, pre.channels, pre.height, pre.width}));
    if (!model)
        return model.error();
    auto meta = [&](const char *key, const QString &value) {
        auto *p = model->add_metadata_props();
        p->set_key(key);
        p->set_value(value.toStdString());
    };
    meta("metaaug.run", QString::fromUtf8(QJsonDocument(in.run).toJson(QJsonDocument::Compact)));
    meta("metaaug.card", QString::fromUtf8(QJsonDocument(in.model.card().json).toJson(QJsonDocument::Compact)));
    meta("metaaug.model_sha256", in.model.sha256());
    try {
        onnx::checker::check_model(*model);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("the ONNX model for %1 fails ONNX's checker: %2")
                                                  .arg(path, exceptionSummary(e)));
    }
    const QString temp = files.create(path);
    std::ofstream out(temp.toStdString(), std::ios::binary);
    if (!model->SerializeToOstream(&out) || !out.flush())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("could not write %1 (disk full?)").arg(path));
    return {};
}

}  // namespace metaaug::plugins
