// SPDX-License-Identifier: GPL-3.0-or-later
#include "idxreader.h"

#include <QtCore/QFile>

#include <zlib.h>

#include <memory>

namespace metaaug {

namespace {

constexpr int64_t kMaxPayload = int64_t(1) << 32;  // 4 GiB: far above any IDX data set

struct GzCloser {
    void operator()(gzFile_s *f) const { gzclose(f); }
};

// Reads up to n bytes; returns how many were read, or -1 on a zlib error.
int64_t readBytes(gzFile f, char *dst, int64_t n)
{
    int64_t done = 0;
    while (done < n) {
        const unsigned chunk = unsigned(std::min<int64_t>(n - done, 1 << 30));
        const int got = gzread(f, dst + done, chunk);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        done += got;
    }
    return done;
}

uint32_t bigEndian32(const unsigned char *p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

}  // namespace

Result<IdxArray> readIdx(const QString &path)
{
    if (!QFile::exists(path))
        return makeError(ErrorCode::NotFound, QStringLiteral("IDX file %1 does not exist").arg(path));
    std::unique_ptr<gzFile_s, GzCloser> f(gzopen(QFile::encodeName(path).constData(), "rb"));
    if (!f)
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot open IDX file %1").arg(path));

    auto bad = [&](QString what) {
        return makeError(ErrorCode::BadFile, QStringLiteral("IDX file %1: %2").arg(path, what));
    };
    unsigned char magic[4];
    const int64_t gotMagic = readBytes(f.get(), reinterpret_cast<char *>(magic), 4);
    if (gotMagic < 0)
        return bad(QStringLiteral("not a valid gzip stream"));
    if (gotMagic < 4)
        return bad(QStringLiteral("truncated at byte offset %1: the 4-byte magic number is incomplete").arg(gotMagic));
    if (magic[0] != 0 || magic[1] != 0)
        return bad(QStringLiteral("wrong magic number 0x%1 at byte offset 0 (expected 0x0000TTNN)")
                       .arg(bigEndian32(magic), 8, 16, QLatin1Char('0')));
    if (magic[2] != 0x08)
        return bad(QStringLiteral("data type 0x%1 at byte offset 2 is not supported (only unsigned byte, 0x08)")
                       .arg(magic[2], 2, 16, QLatin1Char('0')));
    const int ndim = magic[3];
    if (ndim < 1 || ndim > 4)
        return bad(QStringLiteral("%1 dimensions at byte offset 3; expected 1 to 4").arg(ndim));

    IdxArray out;
    int64_t payload = 1;
    for (int d = 0; d < ndim; ++d) {
        unsigned char b[4];
        const int64_t offset = 4 + 4 * d;
        const int64_t got = readBytes(f.get(), reinterpret_cast<char *>(b), 4);
        if (got != 4)
            return bad(QStringLiteral("truncated at byte offset %1: header ends inside dimension %2 of %3")
                           .arg(offset + std::max<int64_t>(got, 0)).arg(d).arg(ndim));
        const int64_t size = bigEndian32(b);
        if (size == 0)
            return bad(QStringLiteral("dimension %1 (byte offset %2) is zero").arg(d).arg(offset));
        if (size > kMaxPayload / payload)  // checked before multiplying: four 32-bit sizes overflow 64 bits (found by fuzzing)
            return bad(QStringLiteral("dimensions describe more than 4 GiB of data (dimension %1 at byte offset %2)")
                           .arg(d).arg(offset));
        payload *= size;
        out.dims.push_back(size);
    }

    const int64_t headerSize = 4 + 4 * int64_t(ndim);
    // Grown as the bytes arrive, never sized from the header alone: a
    // 20-byte file announcing 4 GiB must not allocate 4 GiB (found by fuzzing).
    constexpr int64_t kChunk = int64_t(1) << 20;
    int64_t got = 0;
    while (got < payload) {
        const int64_t want = std::min(kChunk, payload - got);
        out.data.resize(qsizetype(got + want));
        const int64_t n = readBytes(f.get(), out.data.data() + got, want);
        if (n < 0)
            return bad(QStringLiteral("corrupt gzip data after byte offset %1").arg(headerSize + got));
        got += n;
        if (n < want)
            break;
    }
    out.data.resize(qsizetype(got));
    if (got < payload)
        return bad(QStringLiteral("truncated at byte offset %1: the header announces %2 data bytes, found %3")
                       .arg(headerSize + got).arg(payload).arg(got));
    char extra;
    if (readBytes(f.get(), &extra, 1) == 1)
        return bad(QStringLiteral("unexpected data after byte offset %1: the header announces %2 data bytes")
                       .arg(headerSize + payload).arg(payload));
    return out;
}

}  // namespace metaaug
