// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptmodel.h"

#include "modelfile.h"
#include "graph/scriptarchive.h"

namespace metaaug {

Result<ScriptModel> ScriptModel::load(const QString &path, const std::optional<ModelCard> &cardOverride)
{
    auto file = openModelFile(path, cardOverride);
    if (!file)
        return file.error();
    ScriptModel m;
    m.m_path = file->path;
    m.m_sha256 = file->sha256;
    m.m_card = file->card;
    auto module = graph::loadScriptArchive(path);
    if (!module)
        return module.error();
    m.m_module = std::move(*module);
    return m;
}

Result<torch::Tensor> ScriptModel::forward(const torch::Tensor &input)
{
    try {
        torch::NoGradGuard ng;
        torch::jit::IValue out = m_module.forward({input});
        if (!out.isTensor())
            return makeError(ErrorCode::Unsupported, QStringLiteral("model %1 does not return a tensor").arg(m_path));
        return out.toTensor();
    } catch (const std::exception &e) {
        QString what = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 1);
        return makeError(ErrorCode::BadFile, QStringLiteral("model %1 failed on an input of shape %2: %3")
                                                 .arg(m_path).arg(QString::fromStdString(c10::str(input.sizes()))).arg(what));
    }
}

}  // namespace metaaug
