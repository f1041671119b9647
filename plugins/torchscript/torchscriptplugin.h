// SPDX-License-Identifier: GPL-3.0-or-later
// "torchscript": the quantized model as a TorchScript module (scriptwriter.h),
// with the run's metadata as an extra file (metaaug.json) in the archive.
#pragma once

#include "plugin/exporter.h"

namespace metaaug::plugins {

class TorchScriptPlugin : public QObject, public exporting::Exporter {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID METAAUG_EXPORTER_IID FILE "torchscript.json")
    Q_INTERFACES(metaaug::exporting::Exporter)
public:
    QString id() const override { return QStringLiteral("torchscript"); }
    QString title() const override { return QStringLiteral("TorchScript (.pt)"); }
    QString fileSuffix() const override { return QStringLiteral("pt"); }
    Result<void> write(const exporting::ExportInput &in, const QString &path, exporting::OutputFiles &files) const override;
};

}  // namespace metaaug::plugins
