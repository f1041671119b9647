// SPDX-License-Identifier: GPL-3.0-or-later
// "onnx": imports ONNX CNNs (onnxreader.h).
#pragma once

#include "plugin/importer.h"

namespace metaaug::plugins {

class OnnxImportPlugin : public QObject, public exporting::ModelImporter {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID METAAUG_IMPORTER_IID FILE "onnximport.json")
    Q_INTERFACES(metaaug::exporting::ModelImporter)
public:
    QString id() const override { return QStringLiteral("onnx"); }
    QStringList suffixes() const override { return {QStringLiteral("onnx")}; }
    Result<graph::Graph> importBytes(const QByteArray &bytes, const QString &path,
                                     const graph::ImportOptions &options) const override;
};

}  // namespace metaaug::plugins
