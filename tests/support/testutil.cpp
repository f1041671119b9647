#include "testutil.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

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

}  // namespace metaaug::test
