// SPDX-License-Identifier: GPL-3.0-or-later
// What identifies a model file in a run: its absolute path, content hash and
// card. Shared by the engine's Model and the TorchScript reference model.
#pragma once

#include "modelcard.h"

namespace metaaug {

struct ModelFile {
    QString path;    // absolute
    QString sha256;
    ModelCard card;
};

// Checks the file exists and is a regular file, reads its card (or takes
// `cardOverride`) and hashes it. Errors name the file.
Result<ModelFile> openModelFile(const QString &path, const std::optional<ModelCard> &cardOverride);

}  // namespace metaaug
