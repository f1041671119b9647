// SPDX-License-Identifier: GPL-3.0-or-later
#include "encodingsplugin.h"

#include "common/hashing.h"
#include "export/quantizedstate.h"
#include "model/model.h"

#include <QtCore/QFileInfo>
#include <QtCore/QFile>

namespace metaaug::plugins {

QString codesPathFor(const QString &jsonPath)
{
    const QFileInfo f(jsonPath);
    return f.dir().filePath(f.completeBaseName() + QStringLiteral(".bin"));
}

namespace {
// Writes `bytes` to `temp`; messages name `path`, the file the user asked for.
Result<void> writeAll(const QString &temp, const QString &path, const QByteArray &bytes)
{
    QFile f(temp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size() || !f.flush()) {
        const QString why = f.errorString();
        f.close();
        return makeError(ErrorCode::OutOfResources, QStringLiteral("could not write %1 (%2 bytes; disk full?): %3")
                                                        .arg(path).arg(bytes.size()).arg(why));
    }
    return {};
}
}  // namespace

Result<void> EncodingsPlugin::write(const exporting::ExportInput &in, const QString &path, exporting::OutputFiles &files) const
{
    exporting::Encodings enc = exporting::toEncodings(in.state, in.model.graph());
    const QString bin = codesPathFor(path);
    enc.json[QStringLiteral("codes_file")] = QFileInfo(bin).fileName();
    enc.json[QStringLiteral("codes_sha256")] = sha256Hex(enc.codes);
    enc.json[QStringLiteral("model")] = QFileInfo(in.model.path()).fileName();
    enc.json[QStringLiteral("model_sha256")] = in.model.sha256();
    enc.json[QStringLiteral("run")] = in.run;
    if (auto r = writeAll(files.create(path), path, QJsonDocument(enc.json).toJson(QJsonDocument::Indented)); !r)
        return r;
    return writeAll(files.create(bin), bin, enc.codes);
}

}  // namespace metaaug::plugins
