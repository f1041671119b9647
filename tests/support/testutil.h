// Helpers shared by the test suites.
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace metaaug::test {

// Writes bytes to path (creating folders); QFAIL-style false on error.
bool writeFile(const QString &path, const QByteArray &bytes);

// Writes bytes gzip-compressed.
bool writeGzip(const QString &path, const QByteArray &bytes);

// A big-endian IDX header + payload of unsigned bytes.
QByteArray idxBytes(const QList<quint32> &dims, const QByteArray &payload, quint8 type = 0x08);

}  // namespace metaaug::test
