// SPDX-License-Identifier: GPL-3.0-or-later
// "encodings": the quantized model's parameters as JSON beside a binary
// file of integer weight codes (core's exporting::toEncodings format).
#pragma once

#include "plugin/exporter.h"

namespace metaaug::plugins {

class EncodingsPlugin : public QObject, public exporting::Exporter {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID METAAUG_EXPORTER_IID FILE "encodings.json")
    Q_INTERFACES(metaaug::exporting::Exporter)
public:
    QString id() const override { return QStringLiteral("encodings"); }
    QString title() const override { return QStringLiteral("Encodings (.json + .bin)"); }
    QString fileSuffix() const override { return QStringLiteral("json"); }
    // Writes `path` (JSON) and the codes to the same name with .bin.
    Result<void> write(const exporting::ExportInput &in, const QString &path, exporting::OutputFiles &files) const override;
};

// <dir>/<name>.bin for <dir>/<name>.json
QString codesPathFor(const QString &jsonPath);

}  // namespace metaaug::plugins
