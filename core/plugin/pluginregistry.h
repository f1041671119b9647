// SPDX-License-Identifier: GPL-3.0-or-later
// One registry of the exporters and model importers: built-ins registered in
// code (the TorchScript importer) and plugins loaded from the plugin
// directories. The CLI's --format
// list, the GUI's File ▸ Export menu and Model::load's choice of importer
// (by file suffix; TorchScript otherwise) come from it.
//
// Plugin directories, in order: $METAAUG_PLUGIN_DIR (':'-separated), then
// <program>/../<libdir>/metaaug-workbench/plugins, which is the build tree's
// build/lib/... and the installed /usr/lib/<triplet>/metaaug-workbench/plugins.
// A plugin's metadata (id, interface version) is read before it is loaded;
// one that fails (not a plugin, wrong interface version, missing library,
// an id already taken) is recorded with the reason and skipped.
#pragma once

#include "exporter.h"

#include <vector>

namespace metaaug::exporting {

class ModelImporter;  // importer.h (LibTorch: kept out of this header, which the GUI includes)

struct PluginFailure {
    QString file;
    QString reason;
};

class PluginRegistry {
public:
    // The process-wide registry; plugins are loaded on first use.
    static PluginRegistry &instance();

    void registerBuiltin(std::shared_ptr<Exporter> exporter);
    std::vector<const Exporter *> exporters() const;   // sorted by id
    const Exporter *exporter(const QString &id) const;
    QStringList exporterIds() const;
    std::vector<const ModelImporter *> importers() const { return m_importers; }
    // The importer whose suffixes include the file's; else the built-in
    // TorchScript importer (first in importers()). Never null.
    const ModelImporter *importerFor(const QString &path) const;
    const std::vector<PluginFailure> &failures() const { return m_failures; }
    QStringList directories() const { return m_dirs; }

    // Loads the plugins of `dir` (also used by tests for a scratch folder).
    void loadDirectory(const QString &dir);

private:
    PluginRegistry();
    std::vector<std::shared_ptr<Exporter>> m_builtins;
    std::vector<const Exporter *> m_exporters;
    std::vector<const ModelImporter *> m_importers;
    std::vector<PluginFailure> m_failures;
    QStringList m_dirs;
};

}  // namespace metaaug::exporting
