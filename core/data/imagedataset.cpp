// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagedataset.h"

#include <ATen/Parallel.h>

#include <optional>

namespace metaaug {

namespace {
// Items read and normalised together by input(): bounds the uint8 copy that
// exists beside the float result.
constexpr int64_t kChunk = 64;
}  // namespace

bool ImageDataset::labelled() const
{
    return labels.defined() && labels.numel() > 0 && labels.min().item<int64_t>() >= 0;
}

QString ImageDataset::itemId(int64_t index) const
{
    if (index < itemIds.size())
        return itemIds[int(index)];
    return QStringLiteral("#%1").arg(index);
}

Result<cv::Mat> ImageDataset::image(int64_t index) const
{
    if (index < 0 || index >= size())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("image %1 is out of range: %2 has %3 images").arg(index).arg(source).arg(size()));
    try {
        return reader->read(index);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("reading image %1 of %2 failed: %3")
                                                  .arg(index).arg(source, exceptionSummary(e)));
    }
}

Result<torch::Tensor> ImageDataset::read(const torch::Tensor &indices) const
{
    const torch::Tensor idx = indices.to(torch::kLong).contiguous().flatten();
    const int64_t n = idx.numel();
    const int64_t *ix = idx.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i)
        if (ix[i] < 0 || ix[i] >= size())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("image %1 is out of range: %2 has %3 images").arg(ix[i]).arg(source).arg(size()));
    const int c = spec.channels, h = spec.height, w = spec.width;
    torch::Tensor out = torch::empty({n, c, h, w}, torch::kUInt8);
    uint8_t *base = out.data_ptr<uint8_t>();
    // Items decode independently (a folder's JPEGs dominate a batch's time);
    // the first failure in index order is the one reported.
    std::vector<std::optional<Error>> failed(static_cast<size_t>(n));
    at::parallel_for(0, n, 4, [&](int64_t from, int64_t to) {
        for (int64_t i = from; i < to; ++i) {
            Result<cv::Mat> m = image(ix[i]);
            if (!m) {
                failed[size_t(i)] = m.error();
                continue;
            }
            if (m->rows != h || m->cols != w || m->channels() != c || m->depth() != CV_8U) {
                failed[size_t(i)] = makeError(ErrorCode::Internal, QStringLiteral("item %1 of %2 was prepared as %3x%4x%5, not %6x%7x%8")
                                                                       .arg(ix[i]).arg(source).arg(m->channels()).arg(m->rows)
                                                                       .arg(m->cols).arg(c).arg(h).arg(w));
                continue;
            }
            // H x W x C -> C planes of H x W, written in place into `out`.
            uint8_t *dst = base + i * c * h * w;
            std::vector<cv::Mat> planes;
            for (int p = 0; p < c; ++p)
                planes.emplace_back(h, w, CV_8UC1, dst + int64_t(p) * h * w);
            cv::split(*m, planes.data());
        }
    });
    for (const auto &f : failed)
        if (f)
            return *f;
    return out;
}

Result<torch::Tensor> ImageDataset::input(const torch::Tensor &indices) const
{
    const torch::Tensor idx = indices.to(torch::kLong).flatten();
    torch::Tensor out = torch::empty({idx.numel(), spec.channels, spec.height, spec.width}, torch::kFloat32);
    for (int64_t i = 0; i < idx.numel(); i += kChunk) {
        const torch::Tensor part = idx.slice(0, i, std::min(idx.numel(), i + kChunk));
        auto u8 = read(part);
        if (!u8)
            return u8.error();
        out.slice(0, i, i + part.numel()).copy_(normalizeBatch(*u8, spec));
    }
    return out;
}

Result<torch::Tensor> ImageDataset::input(int64_t begin, int64_t end) const
{
    return input(torch::arange(begin, end, torch::kLong));
}

}  // namespace metaaug
