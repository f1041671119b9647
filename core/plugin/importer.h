// SPDX-License-Identifier: GPL-3.0-or-later
// The model importer plugin interface (versioned Qt plugin IID): reads a
// model file of another format into the graph IR, which Model::load then
// partitions and runs like a TorchScript import. Chosen by file suffix
// through PluginRegistry::importerFor().
#pragma once

#include "common/result.h"
#include "graph/graph.h"
#include "graph/torchscriptimporter.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

namespace metaaug::exporting {

class ModelImporter {
public:
    virtual ~ModelImporter() = default;
    virtual QString id() const = 0;             // "onnx"
    virtual QStringList suffixes() const = 0;   // {"onnx"}, lower case
    // Reads the model from the file's bytes (read before the loader helper's
    // system-call filter goes on: an importer opens no file); `path` names
    // it in messages. Ops outside the supported set give ErrorCode::
    // Unsupported naming the op and node, with the supported list; library
    // exceptions are caught.
    virtual Result<graph::Graph> importBytes(const QByteArray &bytes, const QString &path,
                                             const graph::ImportOptions &options) const = 0;
};

}  // namespace metaaug::exporting

// 2.0: importFile(path) became importBytes(bytes, path) for the sandboxed loader.
#define METAAUG_IMPORTER_IID "org.metaaug.workbench.Importer/2.0"
Q_DECLARE_INTERFACE(metaaug::exporting::ModelImporter, METAAUG_IMPORTER_IID)
