// SPDX-License-Identifier: GPL-3.0-or-later
// A TorchScript model file with its card, run by the TorchScript interpreter.
// Used for evaluation and as the reference the graph engine is checked
// against.
#pragma once

#include "common/result.h"
#include "modelcard.h"

#include <torch/script.h>

namespace metaaug {

class ScriptModel {
public:
    // Loads `path` (torch::jit::load) in eval mode and its card (cardPathFor).
    // A missing card is an error unless `cardOverride` is given.
    static Result<ScriptModel> load(const QString &path, const std::optional<ModelCard> &cardOverride = {});

    const QString &path() const { return m_path; }
    const QString &sha256() const { return m_sha256; }
    const ModelCard &card() const { return m_card; }
    torch::jit::Module &module() { return m_module; }

    // Forward under NoGradGuard; returns the logits [B, classes].
    Result<torch::Tensor> forward(const torch::Tensor &input);

private:
    QString m_path, m_sha256;
    ModelCard m_card;
    torch::jit::Module m_module;
};

}  // namespace metaaug
