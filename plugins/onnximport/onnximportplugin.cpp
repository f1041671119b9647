// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnximportplugin.h"

#include "onnxreader.h"

namespace metaaug::plugins {

Result<graph::Graph> OnnxImportPlugin::importBytes(const QByteArray &bytes, const QString &path,
                                                   const graph::ImportOptions &options) const
{
    try {
        return readOnnxBytes(bytes, path, options);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("ONNX model %1 could not be read: %2")
                                                 .arg(path, exceptionSummary(e)));
    }
}

}  // namespace metaaug::plugins
