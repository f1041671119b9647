// SPDX-License-Identifier: GPL-3.0-or-later
#include "exporter.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace metaaug::exporting {

OutputFiles::~OutputFiles()
{
    if (!m_committed)
        for (const QString &t : m_temp)
            QFile::remove(t);
}

QString OutputFiles::create(const QString &finalPath)
{
    const QString temp = QStringLiteral("%1.partial-%2").arg(finalPath).arg(QCoreApplication::applicationPid());
    m_final << finalPath;
    m_temp << temp;
    return temp;
}

Result<void> OutputFiles::commit()
{
    for (int i = 0; i < m_temp.size(); ++i) {
        if (!QFileInfo::exists(m_temp[i]))
            return makeError(ErrorCode::Internal, QStringLiteral("the exporter did not write %1").arg(m_final[i]));
    }
    for (int i = 0; i < m_temp.size(); ++i) {
        // rename(2) replaces the target atomically; QFile::rename refuses an existing one.
        if (std::rename(QFile::encodeName(m_temp[i]).constData(), QFile::encodeName(m_final[i]).constData()) != 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            for (int k = 0; k < i; ++k)
                QFile::remove(m_final[k]);
            return makeError(ErrorCode::OutOfResources, QStringLiteral("could not move %1 into place: %2").arg(m_final[i], why));
        }
    }
    m_committed = true;
    return {};
}

}  // namespace metaaug::exporting
