// SPDX-License-Identifier: GPL-3.0-or-later
// The exporter plugin interface (versioned Qt plugin IID). An exporter
// writes a quantized model in one format; the caller gives it the final
// path and an OutputFiles that hands out temporary paths, so a failure or a
// crash never leaves a half-written file under a final name.
//
// A plugin is a Qt plugin (QObject + Exporter, Q_PLUGIN_METADATA with this
// IID and a JSON file: id, title, suffix, description, interface_version)
// in a folder of plugins/; see PluginRegistry.
#pragma once

#include "common/result.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <memory>

namespace metaaug {
class Model;
}

namespace metaaug::exporting {

struct QuantizedState;

// Hands out temporary paths beside the final ones; commit() renames them all
// into place, and the destructor removes whatever was not committed.
class OutputFiles {
public:
    OutputFiles() = default;
    OutputFiles(const OutputFiles &) = delete;
    OutputFiles &operator=(const OutputFiles &) = delete;
    ~OutputFiles();

    // A temporary path for `finalPath` ("<final>.partial-<pid>").
    QString create(const QString &finalPath);
    // Renames every file into place; on failure removes them all.
    Result<void> commit();
    const QStringList &finalPaths() const { return m_final; }

private:
    QStringList m_final, m_temp;
    bool m_committed = false;
};

struct ExportInput {
    const Model &model;            // graph (BN folded as in the run), executor, card, file and hash
    const QuantizedState &state;
    QJsonObject run;               // run_id, spec, result of the run (metadata for the file)
};

class Exporter {
public:
    virtual ~Exporter() = default;
    virtual QString id() const = 0;          // "torchscript", used by --format
    virtual QString title() const = 0;       // for menus: "TorchScript (.pt)"
    virtual QString fileSuffix() const = 0;  // "pt"
    // Writes the files of `path` through `files`. Errors name the layer or
    // op the format cannot express.
    virtual Result<void> write(const ExportInput &input, const QString &path, OutputFiles &files) const = 0;
};

}  // namespace metaaug::exporting

#define METAAUG_EXPORTER_IID "org.metaaug.workbench.Exporter/1.0"
Q_DECLARE_INTERFACE(metaaug::exporting::Exporter, METAAUG_EXPORTER_IID)
