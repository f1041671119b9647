// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformfile.h"

#include "common/hashing.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QtEndian>

#include <torch/torch.h>

namespace metaaug::augment {

namespace {

constexpr char kMagic[8] = {'M', 'A', 'U', 'G', 'T', '\0', '\0', '\1'};
constexpr uint32_t kMaxHeader = 16u << 20;  // a header is a few KiB; anything larger is not ours

// Every named tensor of T that defines its function: parameters and
// BatchNorm buffers (running statistics, batch counters), in module order.
std::vector<std::pair<std::string, torch::Tensor>> namedState(UNet &t)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto &p : t->named_parameters())
        out.emplace_back(p.key(), p.value());
    for (const auto &b : t->named_buffers())
        out.emplace_back(b.key(), b.value());
    return out;
}

const char *dtypeName(const torch::Tensor &t)
{
    return t.scalar_type() == torch::kLong ? "i64" : "f32";
}

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

QJsonObject shapeJson(const TransformShape &s)
{
    return QJsonObject{{"channels", s.channels}, {"height", qint64(s.height)}, {"width", qint64(s.width)},
                       {"t_width", s.unet.width}, {"t_depth", s.unet.depth},
                       {"t_output", s.unet.residual ? "residual" : "plain"}};
}

Error bad(const QString &source, const QString &what)
{
    return makeError(ErrorCode::BadFile, QStringLiteral("%1 is not a valid MetaAug T file: %2").arg(source, what));
}

struct Parsed {
    TransformShape shape;
    QJsonObject header;
    qsizetype payloadOffset = 0;
};

Result<Parsed> parse(const QByteArray &bytes, const QString &source)
{
    if (bytes.size() < 12 || std::memcmp(bytes.constData(), kMagic, 7) != 0)
        return bad(source, QStringLiteral("it does not start with the T file signature"));
    if (bytes[7] != kMagic[7])
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1 is a MetaAug T file of format version %2; this program reads version %3")
                                                     .arg(source).arg(int(uint8_t(bytes[7]))).arg(int(kMagic[7])));
    const uint32_t headerLen = qFromLittleEndian<quint32>(bytes.constData() + 8);
    if (headerLen > kMaxHeader || qsizetype(headerLen) > bytes.size() - 12)
        return bad(source, QStringLiteral("its header length %1 exceeds the file (%2 bytes)").arg(headerLen).arg(bytes.size()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.mid(12, headerLen), &pe);
    if (!doc.isObject())
        return bad(source, QStringLiteral("its header is not a JSON object (%1)").arg(pe.errorString()));
    Parsed p;
    p.header = doc.object();
    p.payloadOffset = 12 + qsizetype(headerLen);
    const QJsonObject &h = p.header;
    auto intField = [&h](const char *key, int64_t lo, int64_t hi, int64_t &out) {
        const QJsonValue v = h.value(QLatin1String(key));
        if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < double(lo) || v.toDouble() > double(hi))
            return false;
        out = int64_t(v.toDouble());
        return true;
    };
    int64_t channels = 0, tw = 0, td = 0;
    if (!intField("channels", 1, 64, channels) || !intField("height", 1, 1 << 16, p.shape.height)
        || !intField("width", 1, 1 << 16, p.shape.width) || !intField("t_width", 1, 1024, tw) || !intField("t_depth", 0, 8, td))
        return bad(source, QStringLiteral("its header lacks a valid channels, height, width, t_width or t_depth"));
    const QString output = h.value(QLatin1String("t_output")).toString();
    if (output != QLatin1String("residual") && output != QLatin1String("plain"))
        return bad(source, QStringLiteral("its t_output is '%1' (residual or plain)").arg(output));
    p.shape.channels = int(channels);
    p.shape.unet.channels = int(channels);
    p.shape.unet.width = int(tw);
    p.shape.unet.depth = int(td);
    p.shape.unet.residual = output == QLatin1String("residual");
    return p;
}

}  // namespace

QString TransformShape::describe() const
{
    return QStringLiteral("%1x%2x%3 input, width %4, depth %5, %6 output")
        .arg(channels).arg(height).arg(width).arg(unet.width).arg(unet.depth)
        .arg(unet.residual ? QStringLiteral("residual") : QStringLiteral("plain"));
}

bool TransformShape::operator==(const TransformShape &o) const
{
    return channels == o.channels && height == o.height && width == o.width && unet.width == o.unet.width
           && unet.depth == o.unet.depth && unet.residual == o.unet.residual;
}

QByteArray writeTransform(UNet &t, const TransformShape &shape, QString *payloadSha256)
{
    torch::NoGradGuard ng;
    QJsonArray tensors;
    QByteArray payload;
    for (const auto &[name, value] : namedState(t)) {
        const torch::Tensor v = value.detach().contiguous().cpu();
        QJsonArray dims;
        for (int64_t d : v.sizes())
            dims.append(qint64(d));
        tensors.append(QJsonObject{{"name", QString::fromStdString(name)}, {"dtype", dtypeName(v)}, {"shape", dims}});
        // x86-64 and aarch64 are little-endian, as the format is.
        static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the T file format is little-endian");
        payload.append(static_cast<const char *>(v.data_ptr()), qsizetype(v.numel() * v.element_size()));
    }
    QJsonObject header = shapeJson(shape);
    const QString hash = sha256Hex(payload);
    header[QStringLiteral("payload_sha256")] = hash;
    header[QStringLiteral("tensors")] = tensors;
    const QByteArray h = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QByteArray out(kMagic, 8);
    char len[4];
    qToLittleEndian<quint32>(quint32(h.size()), len);
    out.append(len, 4);
    out.append(h);
    out.append(payload);
    if (payloadSha256)
        *payloadSha256 = hash;
    return out;
}

Result<TransformShape> peekTransformShape(const QByteArray &bytes, const QString &source)
{
    auto p = parse(bytes, source);
    if (!p)
        return p.error();
    return p->shape;
}

Result<void> readTransform(const QByteArray &bytes, const QString &source, UNet &t, const TransformShape &expected)
{
    auto p = parse(bytes, source);
    if (!p)
        return p.error();
    if (!(p->shape == expected))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 holds a T for %2, but this run needs %3")
                                                         .arg(source, p->shape.describe(), expected.describe()));
    const QByteArray payload = bytes.mid(p->payloadOffset);
    if (sha256Hex(payload) != p->header.value(QLatin1String("payload_sha256")).toString())
        return bad(source, QStringLiteral("its weights do not match the SHA-256 in its header (damaged)"));
    const QJsonArray tensors = p->header.value(QLatin1String("tensors")).toArray();
    auto state = namedState(t);
    if (tensors.size() != qsizetype(state.size()))
        return bad(source, QStringLiteral("it has %1 tensors where T has %2").arg(tensors.size()).arg(state.size()));
    torch::NoGradGuard ng;
    qsizetype offset = 0;
    for (qsizetype i = 0; i < tensors.size(); ++i) {
        const QJsonObject entry = tensors[i].toObject();
        auto &[name, target] = state[size_t(i)];
        if (entry.value(QLatin1String("name")).toString() != QString::fromStdString(name))
            return bad(source, QStringLiteral("tensor %1 is '%2' where T has '%3'").arg(i).arg(entry.value(QLatin1String("name")).toString(),
                                                                                             QString::fromStdString(name)));
        std::vector<int64_t> shape;
        for (const QJsonValue &d : entry.value(QLatin1String("shape")).toArray())
            shape.push_back(d.toInteger(-1));
        if (shape != target.sizes().vec())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: tensor '%2' has shape %3 where this run's T has %4")
                                                             .arg(source, QString::fromStdString(name), shapeText(shape), shapeText(target.sizes().vec())));
        if (entry.value(QLatin1String("dtype")).toString() != QLatin1String(dtypeName(target)))
            return bad(source, QStringLiteral("tensor '%1' has type %2 where T has %3")
                                   .arg(QString::fromStdString(name), entry.value(QLatin1String("dtype")).toString(), QLatin1String(dtypeName(target))));
        const qsizetype n = qsizetype(target.numel() * target.element_size());
        if (n > payload.size() - offset)
            return bad(source, QStringLiteral("its payload ends inside tensor '%1'").arg(QString::fromStdString(name)));
        std::memcpy(target.data_ptr(), payload.constData() + offset, size_t(n));
        offset += n;
    }
    if (offset != payload.size())
        return bad(source, QStringLiteral("%1 bytes follow the last tensor").arg(payload.size() - offset));
    return {};
}

}  // namespace metaaug::augment
