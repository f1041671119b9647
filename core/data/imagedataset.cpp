// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagedataset.h"

namespace metaaug {

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

torch::Tensor ImageDataset::input(const torch::Tensor &indices, const PreprocessSpec &spec) const
{
    // By chunks of indices: the selected uint8 images are not copied all at once.
    const torch::Tensor idx = indices.to(torch::kLong).flatten();
    std::vector<int64_t> shape = images.sizes().vec();
    shape[0] = idx.numel();
    torch::Tensor out = torch::empty(shape, torch::kFloat32);
    constexpr int64_t kChunk = 64;
    for (int64_t i = 0; i < idx.numel(); i += kChunk) {
        const torch::Tensor part = idx.slice(0, i, std::min(idx.numel(), i + kChunk));
        out.slice(0, i, i + part.numel()).copy_(normalizeBatch(images.index_select(0, part), spec));
    }
    return out;
}

torch::Tensor ImageDataset::input(int64_t begin, int64_t end, const PreprocessSpec &spec) const
{
    return normalizeBatch(images.slice(0, begin, end), spec);
}

}  // namespace metaaug
