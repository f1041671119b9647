// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the fuzz targets: readers that take a path get the fuzzer's
// bytes as a file in a per-process scratch folder (tmpfs when available).
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QString>

#include <cstdint>
#include <cstdlib>
#include <unistd.h>

namespace metaaug::fuzz {

inline QString scratchDir()
{
    static const QString dir = [] {
        const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
        const QString d = QStringLiteral("%1/metaaug-fuzz-%2").arg(base).arg(::getpid());
        QDir().mkpath(d);
        return d;
    }();
    return dir;
}

// Writes the input to <scratch>/<name> and returns the path; aborts when the
// scratch folder is unusable (a broken harness, not a finding).
inline QString writeInput(const uint8_t *data, size_t size, const QString &name)
{
    const QString path = scratchDir() + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(reinterpret_cast<const char *>(data), qint64(size)) != qint64(size))
        std::abort();
    return path;
}

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

}  // namespace metaaug::fuzz
