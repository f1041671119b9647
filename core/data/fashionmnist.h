// SPDX-License-Identifier: GPL-3.0-or-later
// Fashion-MNIST from Debian's dataset-fashion-mnist IDX files.
#pragma once

#include "imagedataset.h"

namespace metaaug {

// split: "train" (60 000 images) or "test" (10 000). Keeps the raw 28x28
// bytes; an item is brought to the spec's channels and size when it is read.
Result<ImageDataset> loadFashionMnist(const QString &split, const PreprocessSpec &spec);

// The ten class names, in label order.
QStringList fashionMnistClassNames();

}  // namespace metaaug
