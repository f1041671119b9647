#include "scriptmodel.h"

#include "common/hashing.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

namespace metaaug {

Result<ScriptModel> ScriptModel::load(const QString &path, const std::optional<ModelCard> &cardOverride)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("model file %1 does not exist").arg(path));
    if (!fi.isFile())
        return makeError(ErrorCode::BadFile, QStringLiteral("model file %1 is not a regular file").arg(path));

    ScriptModel m;
    m.m_path = fi.absoluteFilePath();
    auto card = cardForModel(path, cardOverride);
    if (!card)
        return card.error();
    m.m_card = *card;
    auto hash = sha256File(path);
    if (!hash)
        return hash.error();
    m.m_sha256 = *hash;
    try {
        m.m_module = torch::jit::load(QFile::encodeName(path).toStdString());
        m.m_module.eval();
    } catch (const std::exception &e) {
        QString what = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
        return makeError(ErrorCode::BadFile, QStringLiteral("model file %1 is not a loadable TorchScript file: %2").arg(path, what));
    }
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
