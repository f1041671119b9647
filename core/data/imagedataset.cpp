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
    return normalizeBatch(images.index_select(0, indices), spec);
}

torch::Tensor ImageDataset::input(int64_t begin, int64_t end, const PreprocessSpec &spec) const
{
    return normalizeBatch(images.slice(0, begin, end), spec);
}

}  // namespace metaaug
