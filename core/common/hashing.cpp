// SPDX-License-Identifier: GPL-3.0-or-later
#include "hashing.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>

namespace metaaug {

Result<QString> sha256File(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f))
        return makeError(ErrorCode::BadFile, QStringLiteral("cannot read %1").arg(path));
    return QString::fromLatin1(h.result().toHex());
}

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

}  // namespace metaaug
