// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelfile.h"

#include "common/hashing.h"

#include <QtCore/QFileInfo>

namespace metaaug {

Result<ModelFile> openModelFile(const QString &path, const std::optional<ModelCard> &cardOverride)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("model file %1 does not exist").arg(path));
    if (fi.isDir())
        return makeError(ErrorCode::BadFile, QStringLiteral("model %1 is a folder, not a model file (TorchScript .pt or ONNX .onnx)").arg(path));
    if (!fi.isFile())
        return makeError(ErrorCode::BadFile, QStringLiteral("model file %1 is not a regular file").arg(path));
    auto card = cardForModel(path, cardOverride);
    if (!card)
        return card.error();
    auto hash = sha256File(path);
    if (!hash)
        return hash.error();
    return ModelFile{fi.absoluteFilePath(), *hash, *card};
}

}  // namespace metaaug
