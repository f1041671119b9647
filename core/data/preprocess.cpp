// SPDX-License-Identifier: GPL-3.0-or-later
#include "preprocess.h"

#include <QtCore/QJsonArray>

#include <opencv2/imgproc.hpp>

namespace metaaug {

namespace {
std::vector<double> doubles(const QJsonValue &v)
{
    std::vector<double> out;
    if (v.isArray()) {
        for (const QJsonValue &e : v.toArray())
            out.push_back(e.toDouble(std::numeric_limits<double>::quiet_NaN()));
    } else if (v.isDouble()) {
        out.push_back(v.toDouble());
    }
    return out;
}
}  // namespace

Result<PreprocessSpec> PreprocessSpec::fromJson(const QJsonObject &card, const QString &what)
{
    PreprocessSpec s;
    const QJsonArray shape = card.value(QStringLiteral("input_shape")).toArray();
    if (!shape.isEmpty()) {
        if (shape.size() != 3)
            return makeError(ErrorCode::BadFile,
                             QStringLiteral("%1: input_shape must be [channels, height, width]").arg(what));
        s.channels = shape[0].toInt();
        s.height = shape[1].toInt();
        s.width = shape[2].toInt();
        s.resize = std::min(s.height, s.width);
    }
    s.channels = card.value(QStringLiteral("channels")).toInt(s.channels);
    s.resize = card.value(QStringLiteral("resize")).toInt(s.resize);
    if (card.contains(QStringLiteral("crop"))) {
        s.height = s.width = card.value(QStringLiteral("crop")).toInt();
    }
    s.scale = card.value(QStringLiteral("scale")).toDouble(s.scale);
    if (card.contains(QStringLiteral("mean")))
        s.mean = doubles(card.value(QStringLiteral("mean")));
    if (card.contains(QStringLiteral("std")))
        s.std = doubles(card.value(QStringLiteral("std")));
    if (auto ok = s.validate(); !ok)
        return makeError(ErrorCode::BadFile, QStringLiteral("%1: %2").arg(what, ok.error().message));
    return s;
}

QJsonObject PreprocessSpec::toJson() const
{
    auto array = [](const std::vector<double> &v) {
        QJsonArray a;
        for (double x : v)
            a.append(x);
        return a;
    };
    return QJsonObject{{QStringLiteral("input_shape"), QJsonArray{channels, height, width}},
                       {QStringLiteral("channels"), channels},
                       {QStringLiteral("resize"), resize},
                       {QStringLiteral("scale"), scale},
                       {QStringLiteral("mean"), array(mean)},
                       {QStringLiteral("std"), array(std)}};
}

Result<void> PreprocessSpec::validate() const
{
    auto bad = [](QString m) { return makeError(ErrorCode::InvalidArgument, m); };
    if (channels != 1 && channels != 3)
        return bad(QStringLiteral("channels must be 1 or 3, got %1").arg(channels));
    if (height < 1 || width < 1 || height > 8192 || width > 8192)
        return bad(QStringLiteral("input size %1x%2 is out of range 1..8192").arg(height).arg(width));
    if (resize < 1 || resize > 8192)
        return bad(QStringLiteral("resize %1 is out of range 1..8192").arg(resize));
    if (!(scale > 0))
        return bad(QStringLiteral("scale must be positive, got %1").arg(scale));
    for (const auto *v : {&mean, &std}) {
        const char *name = v == &mean ? "mean" : "std";
        if (v->size() != 1 && int(v->size()) != channels)
            return bad(QStringLiteral("%1 needs 1 or %2 values, got %3").arg(QLatin1String(name)).arg(channels).arg(v->size()));
        for (double x : *v)
            if (!std::isfinite(x) || (v == &std && x <= 0))
                return bad(QStringLiteral("%1 value %2 is not valid").arg(QLatin1String(name)).arg(x));
    }
    return {};
}

cv::Mat prepareImage(const cv::Mat &decoded, const PreprocessSpec &spec)
{
    cv::Mat img;
    const int cn = decoded.channels();
    if (spec.channels == 1) {
        if (cn == 1) img = decoded;
        else cv::cvtColor(decoded, img, cn == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    } else {
        if (cn == 1) cv::cvtColor(decoded, img, cv::COLOR_GRAY2RGB);
        else cv::cvtColor(decoded, img, cn == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB);
    }
    // Resize so that the shorter side equals `resize` (keeps the aspect ratio).
    const int shorter = std::min(img.rows, img.cols);
    if (shorter != spec.resize) {
        const double f = double(spec.resize) / shorter;
        const int rows = std::max(spec.height, int(std::lround(img.rows * f)));
        const int cols = std::max(spec.width, int(std::lround(img.cols * f)));
        cv::Mat resized;
        cv::resize(img, resized, cv::Size(cols, rows), 0, 0, f < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        img = resized;
    }
    if (img.rows < spec.height || img.cols < spec.width) {
        cv::Mat grown;
        cv::resize(img, grown, cv::Size(std::max(img.cols, spec.width), std::max(img.rows, spec.height)));
        img = grown;
    }
    const int y = (img.rows - spec.height) / 2;
    const int x = (img.cols - spec.width) / 2;
    return img(cv::Rect(x, y, spec.width, spec.height)).clone();
}

torch::Tensor normalizeBatch(const torch::Tensor &u8, const PreprocessSpec &spec)
{
    const int64_t c = u8.size(1);
    auto channelVec = [&](const std::vector<double> &v) {
        std::vector<float> f(c);
        for (int64_t i = 0; i < c; ++i)
            f[i] = float(v.size() == 1 ? v[0] : v[i]);
        return torch::tensor(f).view({1, c, 1, 1});
    };
    const torch::Tensor mean = channelVec(spec.mean), stdev = channelVec(spec.std);
    // In place, a chunk of images at a time: a 224x224 calibration set is
    // 588 MiB as float32 and must not exist three times over in temporaries.
    // The same float32 operations in the same order as (x * scale - mean) / std.
    torch::Tensor out = torch::empty(u8.sizes(), torch::kFloat32);
    constexpr int64_t kChunk = 64;
    for (int64_t i = 0; i < u8.size(0); i += kChunk) {
        torch::Tensor part = out.slice(0, i, std::min(u8.size(0), i + kChunk));
        part.copy_(u8.slice(0, i, std::min(u8.size(0), i + kChunk)));
        part.mul_(float(spec.scale)).sub_(mean).div_(stdev);
    }
    return out;
}

}  // namespace metaaug
