// SPDX-License-Identifier: GPL-3.0-or-later
// "onnx-qdq": the quantized model as ONNX with QDQ pairs (onnxwriter.h),
// checked by ONNX's own checker before it is written.
#pragma once

#include "plugin/exporter.h"

namespace metaaug::plugins {

class OnnxQdqPlugin : public QObject, public exporting::Exporter {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID METAAUG_EXPORTER_IID FILE "onnx.json")
    Q_INTERFACES(metaaug::exporting::Exporter)
public:
    QString id() const override { return QStringLiteral("onnx-qdq"); }
    QString title() const override { return QStringLiteral("ONNX QDQ (.onnx)"); }
    QString fileSuffix() const override { return QStringLiteral("onnx"); }
    Result<void> write(const exporting::ExportInput &in, const QString &path, exporting::OutputFiles &files) const override;
};

}  // namespace metaaug::plugins
