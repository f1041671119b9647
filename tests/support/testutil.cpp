// SPDX-License-Identifier: GPL-3.0-or-later
#include "testutil.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>

#include <zlib.h>

namespace metaaug::test {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool writeGzip(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    gzFile f = gzopen(QFile::encodeName(path).constData(), "wb");
    if (!f)
        return false;
    const bool ok = gzwrite(f, bytes.constData(), unsigned(bytes.size())) == bytes.size();
    return gzclose(f) == Z_OK && ok;
}

QByteArray idxBytes(const QList<quint32> &dims, const QByteArray &payload, quint8 type)
{
    QByteArray out;
    out.append(char(0)).append(char(0)).append(char(type)).append(char(dims.size()));
    for (quint32 d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(char((d >> shift) & 0xff));
    return out + payload;
}

QByteArray pngHeaderOnly(quint32 width, quint32 height)
{
    auto be32 = [](quint32 v) {
        QByteArray b(4, 0);
        for (int i = 0; i < 4; ++i)
            b[i] = char((v >> (24 - 8 * i)) & 0xFF);
        return b;
    };
    auto chunk = [&](const char *type, const QByteArray &data) {
        const QByteArray body = QByteArray(type) + data;
        return be32(quint32(data.size())) + body +
               be32(quint32(crc32(0, reinterpret_cast<const Bytef *>(body.constData()), uInt(body.size()))));
    };
    const QByteArray ihdr = be32(width) + be32(height) + QByteArray("\x08\x00\x00\x00\x00", 5);
    const QByteArray idat("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9);  // zlib stream of one zero byte
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", {});
}

ProcessResult runProcess(const QString &program, const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAllStandardOutput()),
            QString::fromLocal8Bit(p.readAllStandardError())};
}

ProcessResult runCli(const QStringList &args, int timeoutMs)
{
    return runProcess(qEnvironmentVariable("METAAUG_CLI"), args, timeoutMs);
}

ProcessResult runCliWithFileLimit(int kib, const QStringList &args, int timeoutMs)
{
    const QString cmd = QStringLiteral("trap '' XFSZ; ulimit -f %1; exec \"$0\" \"$@\"").arg(kib);
    return runProcess(QStringLiteral("/bin/sh"), QStringList{QStringLiteral("-c"), cmd, qEnvironmentVariable("METAAUG_CLI")} + args,
                      timeoutMs);
}

}  // namespace metaaug::test
