// SPDX-License-Identifier: GPL-3.0-or-later
#include "imageheader.h"

#include <QtCore/QList>

#include <cstdlib>

namespace metaaug {

namespace {

// Bounds-checked big/little-endian reads; nullopt past the end.
class Bytes {
public:
    explicit Bytes(const QByteArray &b) : m_b(b) {}
    qsizetype size() const { return m_b.size(); }
    std::optional<uint32_t> be(qsizetype at, int n) const { return read(at, n, true); }
    std::optional<uint32_t> le(qsizetype at, int n) const { return read(at, n, false); }
    bool startsWith(const char *magic, qsizetype at = 0) const { return m_b.mid(at).startsWith(magic); }
    uint8_t at(qsizetype i) const { return uint8_t(m_b[i]); }
    const QByteArray &raw() const { return m_b; }

private:
    std::optional<uint32_t> read(qsizetype at, int n, bool bigEndian) const
    {
        if (at < 0 || at + n > m_b.size())
            return std::nullopt;
        uint32_t v = 0;
        for (int i = 0; i < n; ++i) {
            const uint32_t byte = uint8_t(m_b[at + (bigEndian ? i : n - 1 - i)]);
            v = (v << 8) | byte;
        }
        return v;
    }
    const QByteArray &m_b;
};

std::optional<ImageHeader> make(const char *format, std::optional<uint32_t> w, std::optional<uint32_t> h)
{
    if (!w || !h)
        return std::nullopt;
    return ImageHeader{format, int64_t(*w), int64_t(*h)};
}

std::optional<ImageHeader> jpeg(const Bytes &b)
{
    qsizetype i = 2;
    while (i + 1 < b.size()) {
        if (b.at(i) != 0xFF)
            return std::nullopt;
        const uint8_t marker = b.at(i + 1);
        if (marker == 0xFF) {  // fill byte
            ++i;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {  // no length
            i += 2;
            continue;
        }
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof)
            return make("JPEG", b.be(i + 7, 2), b.be(i + 5, 2));
        const auto length = b.be(i + 2, 2);
        if (!length || *length < 2)
            return std::nullopt;
        i += 2 + *length;
    }
    return std::nullopt;
}

std::optional<ImageHeader> bmp(const Bytes &b)
{
    const auto headerSize = b.le(14, 4);
    if (!headerSize)
        return std::nullopt;
    if (*headerSize == 12)  // BITMAPCOREHEADER: 16-bit sizes
        return make("BMP", b.le(18, 2), b.le(20, 2));
    const auto h = b.le(22, 4);
    if (!h)
        return std::nullopt;
    return make("BMP", b.le(18, 4), uint32_t(std::abs(int64_t(int32_t(*h)))));  // negative: top-down
}

std::optional<ImageHeader> webp(const Bytes &b)
{
    if (b.startsWith("VP8 ", 12))
        return make("WebP", b.le(26, 2).value_or(0) & 0x3FFF, b.le(28, 2).value_or(0) & 0x3FFF);
    if (b.startsWith("VP8L", 12)) {
        const auto bits = b.le(21, 4);
        if (!bits)
            return std::nullopt;
        return make("WebP", (*bits & 0x3FFF) + 1, ((*bits >> 14) & 0x3FFF) + 1);
    }
    if (b.startsWith("VP8X", 12)) {
        const auto w = b.le(24, 3), h = b.le(27, 3);
        if (!w || !h)
            return std::nullopt;
        return make("WebP", *w + 1, *h + 1);
    }
    return std::nullopt;
}

std::optional<ImageHeader> tiff(const Bytes &b)
{
    const bool big = b.startsWith("MM");
    auto rd = [&](qsizetype at, int n) { return big ? b.be(at, n) : b.le(at, n); };
    const auto ifd = rd(4, 4);
    if (!ifd)
        return std::nullopt;
    const auto count = rd(*ifd, 2);
    if (!count)
        return std::nullopt;
    std::optional<uint32_t> w, h;
    for (uint32_t e = 0; e < *count; ++e) {
        const qsizetype at = qsizetype(*ifd) + 2 + 12 * qsizetype(e);
        const auto tag = rd(at, 2), type = rd(at + 2, 2);
        if (!tag || !type)
            return std::nullopt;
        if (*tag != 256 && *tag != 257)
            continue;
        const auto value = *type == 3 ? rd(at + 8, 2) : rd(at + 8, 4);  // SHORT or LONG
        (*tag == 256 ? w : h) = value;
    }
    return make("TIFF", w, h);
}

// PNM: "P1".."P6" then width and height as text (comments start with '#');
// PAM ("P7"): WIDTH and HEIGHT lines.
std::optional<ImageHeader> pnm(const Bytes &b)
{
    const QByteArray head = b.raw().left(1024);
    QList<QByteArray> tokens;
    for (const QByteArray &line : head.split('\n')) {
        const QByteArray text = line.left(line.indexOf('#') < 0 ? line.size() : line.indexOf('#'));
        for (const QByteArray &t : text.simplified().split(' '))
            if (!t.isEmpty())
                tokens << t;
    }
    bool okW = false, okH = false;
    uint32_t w = 0, h = 0;
    if (head.startsWith("P7")) {
        const auto wi = tokens.indexOf("WIDTH"), hi = tokens.indexOf("HEIGHT");
        if (wi < 0 || hi < 0 || wi + 1 >= tokens.size() || hi + 1 >= tokens.size())
            return std::nullopt;
        w = tokens[wi + 1].toUInt(&okW);
        h = tokens[hi + 1].toUInt(&okH);
    } else if (tokens.size() >= 3) {
        w = tokens[1].toUInt(&okW);
        h = tokens[2].toUInt(&okH);
    }
    if (!okW || !okH)
        return std::nullopt;
    return ImageHeader{"PNM", w, h};
}

}  // namespace

std::optional<ImageHeader> readImageHeader(const QByteArray &bytes)
{
    const Bytes b(bytes);
    if (b.startsWith("\x89PNG\r\n\x1a\n") && b.startsWith("IHDR", 12))
        return make("PNG", b.be(16, 4), b.be(20, 4));
    if (b.size() >= 3 && b.at(0) == 0xFF && b.at(1) == 0xD8 && b.at(2) == 0xFF)
        return jpeg(b);
    if (b.startsWith("BM"))
        return bmp(b);
    if (b.startsWith("RIFF") && b.startsWith("WEBP", 8))
        return webp(b);
    if ((b.startsWith("II*") && b.size() >= 4 && b.at(3) == 0) ||
        (b.startsWith("MM") && b.size() >= 4 && b.at(2) == 0 && b.at(3) == '*'))
        return tiff(b);
    if (b.size() >= 2 && b.at(0) == 'P' && b.at(1) >= '1' && b.at(1) <= '7')
        return pnm(b);
    if (b.size() >= 4 && b.at(0) == 0x59 && b.at(1) == 0xA6 && b.at(2) == 0x6A && b.at(3) == 0x95)
        return make("Sun raster", b.be(4, 4), b.be(8, 4));
    return std::nullopt;
}

QString recognisedImageFormats()
{
    return QStringLiteral("PNG, JPEG, BMP, WebP, TIFF, PNM/PAM, Sun raster");
}

std::optional<QString> checkImageHeader(const QByteArray &bytes)
{
    const auto header = readImageHeader(bytes);
    if (!header)
        return QStringLiteral("not a recognised image (the header of %1 was expected)").arg(recognisedImageFormats());
    const int64_t w = header->width, h = header->height;
    if (w <= 0 || h <= 0)
        return QStringLiteral("its %1 header declares %2x%3 pixels").arg(header->format).arg(w).arg(h);
    if (w > kMaxImagePixels / h)  // w * h could overflow: both are 32-bit header fields (found by fuzzing)
        return QStringLiteral("its %1 header declares %2x%3 pixels, more than the limit of %4 pixels "
                              "(refused before decoding)")
            .arg(header->format).arg(w).arg(h).arg(kMaxImagePixels);
    if (w < kMinImageSide || h < kMinImageSide)
        return QStringLiteral("%1x%2 pixels is smaller than the minimum of %3x%3").arg(w).arg(h).arg(kMinImageSide);
    return std::nullopt;
}

}  // namespace metaaug
