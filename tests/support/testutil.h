// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the test suites.
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace metaaug::test {

// Writes bytes to path (creating folders); QFAIL-style false on error.
bool writeFile(const QString &path, const QByteArray &bytes);

// Writes bytes gzip-compressed.
bool writeGzip(const QString &path, const QByteArray &bytes);

// A big-endian IDX header + payload of unsigned bytes.
QByteArray idxBytes(const QList<quint32> &dims, const QByteArray &payload, quint8 type = 0x08);

// A PNG of only a signature, an IHDR declaring width x height (8-bit gray)
// and a tiny IDAT: what a decoder would allocate for, without the pixels.
QByteArray pngHeaderOnly(quint32 width, quint32 height);

// A finished child process: exit code (-1 when it crashed, was killed or
// timed out) and its output.
struct ProcessResult {
    int exitCode = -1;
    QString out, err;
};

// Runs program with args; killed after timeoutMs.
ProcessResult runProcess(const QString &program, const QStringList &args, int timeoutMs = 120000);
// The metaaug CLI ($METAAUG_CLI).
ProcessResult runCli(const QStringList &args, int timeoutMs = 120000);
// The CLI under a file-size limit (KiB) with SIGXFSZ ignored, so writes past
// it fail with EFBIG as on a full disk.
ProcessResult runCliWithFileLimit(int kib, const QStringList &args, int timeoutMs = 300000);

}  // namespace metaaug::test
