// SPDX-License-Identifier: GPL-3.0-or-later
// Translates a TorchScript CNN (traced or scripted) into core's graph IR.
#pragma once

#include "common/result.h"
#include "graph.h"

#include <QtCore/QString>

namespace torch::jit {
struct Module;
}

namespace metaaug::graph {

struct ImportOptions {
    // Fold a BatchNorm into the conv it directly follows (the conv's output
    // feeding nothing else). Off keeps BN as its own FP node.
    bool foldBatchNorm = true;
};

// Loads `path` (loadScriptArchive, scriptarchive.h), freezes and inlines it, and translates
// the forward graph. An op outside the supported set gives ErrorCode::
// Unsupported naming the op, the module path and source line when known, and
// listing the supported ops. Library exceptions are caught and returned.
Result<Graph> importTorchScriptFile(const QString &path, const ImportOptions &options = {});
Result<Graph> importTorchScriptModule(const torch::jit::Module &module, const QString &what,
                                      const ImportOptions &options = {});

// The ops the importer accepts, for messages and --help.
QString supportedTorchScriptOps();

}  // namespace metaaug::graph
